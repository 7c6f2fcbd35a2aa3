package mrp

// NetChangePaths reports how many items net change has adjusted by delta
// (byDeltaRec of them with scheduled receipts) and replanned in full since
// the planner was built.
func NetChangePaths(p *Planner) (byDelta, byDeltaRec, full int) {
	if p.ncs == nil {
		return 0, 0, 0
	}
	return p.ncs.nDelta, p.ncs.nDeltaRec, p.ncs.nFull
}
