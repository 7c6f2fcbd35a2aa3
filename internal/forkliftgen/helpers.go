package main

import (
	"fmt"
	"strings"
)

// Capacity groups: frames, axles, masts and cylinders are engineered per
// group, not per capacity.
type group struct {
	code   string   // A, B, C
	caps   []string // capacity values
	zh     string
	weight float64 // rough scale of parts (1 = group A)
}

var (
	grpA   = group{"A", []string{"t15", "t18", "t20"}, "1.5-2.0 吨", 1}
	grpB   = group{"B", []string{"t25", "t30", "t35"}, "2.5-3.5 吨", 1.45}
	grpC   = group{"C", []string{"t40", "t50"}, "4.0-5.0 吨", 2.1}
	groups = []group{grpA, grpB, grpC}
)

func (gr group) cond() string { return inSet("capacity", gr.caps...) }

// en is the group's capacity range in English, as its zh ("2.5-3.5 吨" ->
// "2.5-3.5 t"; the quad mast's group B is only "2.5 t").
func (gr group) en() string {
	return strings.Replace(gr.zh, " 吨", " t", 1)
}

// rawLen declares a raw material bought by the millimetre.
func (g *gen) rawLen(id, desc, zh string, perMetre float64, lt int) string {
	it := g.buy(id, desc, zh, "mm", lt, perMetre/1000)
	it.LotPolicy, it.LotQty = "poq", 20
	it.MinQty = 6000
	return id
}

// cutPart declares a laser-cut (and possibly bent) plate part of kg
// kilograms of plate t mm thick.
func (g *gen) cutPart(p *pools, id, desc, zh string, t int, kg float64, bent bool) string {
	if g.has(id) {
		return id
	}
	g.mk(id, desc, zh, g.r.between(1, 3))
	g.addScrap(id, p.plates[t], round2(kg), 8, "")
	g.op(id, "CUT-LASER", 0.3, round2(0.02+kg/400), "", "Laser cut from plate")
	if bent {
		g.op(id, "BEND-PRESS", 0.4, round2(0.03+kg/900), "", "Bend on press brake")
	}
	return id
}

// machined declares a part turned or milled from raw material.
func (g *gen) machined(id, desc, zh, raw string, qty any, runH float64) string {
	if g.has(id) {
		return id
	}
	g.mk(id, desc, zh, g.r.between(2, 5))
	g.addScrap(id, raw, qty, 3, "")
	g.op(id, "CUT-SAW", 0.2, 0.05, "", "Saw blank")
	g.op(id, "MACH-CNC", 0.8, runH, "", "CNC machining")
	return id
}

// weldment declares a welded structure from its cut parts.
func (g *gen) weldment(p *pools, id, desc, zh string, parts []string, qtys []int, robot bool, weldKg float64) string {
	it := g.mk(id, desc, zh, g.r.between(2, 6))
	it.Scrap = 0.5
	for i, c := range parts {
		g.add(id, c, qtys[i], "")
	}
	g.add(id, "WELDWIRE-G3SI1", round2(weldKg), "")
	if robot {
		g.op(id, "WELD-ROBOT", 1.2, round2(0.3+weldKg/6), "", "Robot welding")
		g.op(id, "WELD-MANUAL", 0, round2(0.2+weldKg/20), "", "Manual tack and finish welds")
	} else {
		g.op(id, "WELD-MANUAL", 0.5, round2(0.3+weldKg/4), "", "Manual welding")
	}
	g.op(id, "BLAST", 0.2, round2(0.1+weldKg/30), "", "Shot blasting")
	return id
}

// cylinder declares a hydraulic cylinder with its tube weldment, rod,
// piston, gland and seals. length is an integer expression in mm (the
// stroke plus dead length), over the configuration in force.
func (g *gen) cylinder(p *pools, id, desc, zh string, bore, rod int, tubeLen, rodLen string) string {
	if g.has(id) {
		return id
	}
	g.mk(id, strings.ToUpper(desc[:1])+desc[1:], zh, g.r.between(3, 6))
	tubeRaw := g.rawLen(fmt.Sprintf("TUBE-HON-%dx%d", bore, bore+10), fmt.Sprintf("Honed tube E355 %d x %d", bore, bore+10),
		fmt.Sprintf("珩磨管 E355 %d x %d", bore, bore+10), 18+0.3*float64(bore), 20)
	rodRaw := g.rawLen(fmt.Sprintf("BAR-CHROME-%d", rod), fmt.Sprintf("Chrome-plated bar CK45 %d mm", rod),
		fmt.Sprintf("镀铬棒 CK45 %d 毫米", rod), 10+0.35*float64(rod), 18)
	c45 := g.rawLen(fmt.Sprintf("BAR-C45-%d", bore+20), fmt.Sprintf("Round bar C45 %d mm", bore+20),
		fmt.Sprintf("圆钢 C45 %d 毫米", bore+20), 6+0.2*float64(bore), 12)

	tube := g.machined(id+"-TUBE", "Cylinder tube, "+desc, "缸筒，"+zh, tubeRaw, tubeLen, 0.6)
	base := g.machined(fmt.Sprintf("CYL-BASE-%d", bore), fmt.Sprintf("Cylinder base %d mm", bore), fmt.Sprintf("缸底 %d 毫米", bore), c45, 60, 0.4)
	port := g.machined(fmt.Sprintf("CYL-PORT-%d", bore), fmt.Sprintf("Port block %d mm bore", bore), fmt.Sprintf("油口块 缸径 %d 毫米", bore), c45, 40, 0.3)
	tw := id + "-TW"
	g.mk(tw, "Tube weldment, "+desc, "缸筒焊接件，"+zh, 2)
	g.add(tw, tube, 1, "")
	g.add(tw, base, 1, "")
	g.add(tw, port, 1, "")
	g.add(tw, "WELDWIRE-G3SI1", 0.15, "")
	g.op(tw, "WELD-ROBOT", 0.6, 0.25, "", "Circumferential welds")
	g.op(tw, "TEST-HYD", 0.2, 0.1, "", "Leak test of weldment")

	rodPart := g.machined(id+"-ROD", "Piston rod, "+desc, "活塞杆，"+zh, rodRaw, rodLen, 0.5)
	piston := g.machined(fmt.Sprintf("CYL-PISTON-%d", bore), fmt.Sprintf("Piston %d mm", bore), fmt.Sprintf("活塞 %d 毫米", bore), c45, 35, 0.3)
	gland := g.machined(fmt.Sprintf("CYL-GLAND-%d-%d", bore, rod), fmt.Sprintf("Gland %d/%d mm", bore, rod), fmt.Sprintf("导向套 %d/%d 毫米", bore, rod), c45, 45, 0.4)
	g.add(id, tw, 1, "")
	g.add(id, rodPart, 1, "")
	g.add(id, piston, 1, "")
	g.add(id, gland, 1, "")
	g.seals(p, id, rod, bore)
	g.add(id, g.pick(p.nipples), 1, "")
	g.op(id, "ASSY-HYD", 0.3, 0.5, "", "Assemble cylinder")
	g.op(id, "TEST-HYD", 0.2, 0.25, "", "Pressure test 1.5 x working pressure")
	return id
}

// nearestKey returns the key of m closest to v (for picking seal sizes).
func nearestKey(m map[int]string, v int) int {
	best, bd := 0, 1<<30
	for k := range m {
		d := k - v
		if d < 0 {
			d = -d
		}
		if d < bd || (d == bd && k < best) {
			best, bd = k, d
		}
	}
	return best
}
