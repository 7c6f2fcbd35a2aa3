package main

import (
	"fmt"
	"strings"
)

// The long tail: standard parts generated from named families (bolts,
// nuts, hoses, fittings, bearings, seals, wires, connectors, raw material).
// Assemblies draw on these pools, so the same part is used in many places.

type pools struct {
	bolts    map[int][]string // by diameter
	screws   []string         // socket head cap screws
	ss       []string         // stainless screws (cabin)
	nuts     map[int]string
	nyloc    map[int]string
	washers  map[int]string
	hdWash   map[int]string
	pins     []string
	circlips []string
	nipples  []string
	hoses    map[int][]string // by DN
	fittings map[int][]string // by DN
	clamps   []string
	bearings []string
	taper    []string
	plain    []string
	orings   []string
	rodSeal  map[int]string
	pisSeal  map[int]string
	wipers   map[int]string
	guides   map[int]string
	wires    []string
	cables   []string
	conns    []string
	lugs     []string
	fuses    []string
	relays   []string
	misc     []string // cable ties, grommets, conduit, heat shrink
	plates   map[int]string
}

var boltLengths = map[int][]int{
	6:  {12, 16, 20, 25, 30, 40},
	8:  {16, 20, 25, 30, 35, 40, 50, 60},
	10: {20, 25, 30, 35, 40, 50, 60, 70, 80},
	12: {25, 30, 35, 40, 45, 50, 60, 70, 80, 100},
	14: {30, 40, 50, 60, 70},
	16: {35, 40, 50, 60, 70, 80, 100, 120},
	20: {50, 60, 70, 80, 100, 120, 150},
	24: {60, 80, 100, 120, 150, 180},
}

var boltDiameters = []int{6, 8, 10, 12, 14, 16, 20, 24}

func (g *gen) standardParts() *pools {
	p := &pools{
		bolts: map[int][]string{}, nuts: map[int]string{}, nyloc: map[int]string{},
		washers: map[int]string{}, hdWash: map[int]string{}, hoses: map[int][]string{},
		fittings: map[int][]string{}, rodSeal: map[int]string{}, pisSeal: map[int]string{},
		wipers: map[int]string{}, guides: map[int]string{}, plates: map[int]string{},
	}
	r := g.r
	fastener := func(id, desc, zh string, cost float64) string {
		it := g.buy(id, desc, zh, "pc", r.between(3, 10), cost)
		it.LotPolicy, it.LotQty, it.Multiple = "foq", 500, 100
		it.SafetyStock = 200
		return id
	}
	for _, d := range boltDiameters {
		for _, l := range boltLengths[d] {
			for _, grade := range []string{"8.8", "10.9"} {
				id := fmt.Sprintf("BOLT-M%dx%d-%s", d, l, grade)
				cost := 0.02*float64(d*d)*float64(l)/100 + 0.03
				if grade == "10.9" {
					cost *= 1.6
				}
				p.bolts[d] = append(p.bolts[d], fastener(id,
					fmt.Sprintf("Hex bolt ISO 4017 M%dx%d %s zinc flake", d, l, grade),
					fmt.Sprintf("六角头螺栓 ISO 4017 M%dx%d %s级 锌铝涂层", d, l, grade), cost))
			}
		}
		p.nuts[d] = fastener(fmt.Sprintf("NUT-M%d-8", d), fmt.Sprintf("Hex nut ISO 4032 M%d class 8", d),
			fmt.Sprintf("六角螺母 ISO 4032 M%d 8级", d), 0.01*float64(d*d)/10+0.02)
		fastener(fmt.Sprintf("NUT-M%d-10", d), fmt.Sprintf("Hex nut ISO 4032 M%d class 10", d),
			fmt.Sprintf("六角螺母 ISO 4032 M%d 10级", d), 0.015*float64(d*d)/10+0.03)
		p.nyloc[d] = fastener(fmt.Sprintf("NUTNYL-M%d", d), fmt.Sprintf("Prevailing torque nut ISO 7040 M%d", d),
			fmt.Sprintf("尼龙锁紧螺母 ISO 7040 M%d", d), 0.02*float64(d*d)/10+0.04)
		p.washers[d] = fastener(fmt.Sprintf("WASHER-M%d", d), fmt.Sprintf("Plain washer ISO 7089 M%d", d),
			fmt.Sprintf("平垫圈 ISO 7089 M%d", d), 0.004*float64(d*d)/10+0.01)
		p.hdWash[d] = fastener(fmt.Sprintf("WASHER-HD-M%d", d), fmt.Sprintf("Hardened washer ISO 7090 M%d", d),
			fmt.Sprintf("淬硬垫圈 ISO 7090 M%d", d), 0.008*float64(d*d)/10+0.02)
	}
	for _, d := range []int{5, 6, 8, 10, 12} {
		for _, l := range []int{12, 16, 20, 25, 30} {
			p.screws = append(p.screws, fastener(fmt.Sprintf("SCREW-M%dx%d-12.9", d, l),
				fmt.Sprintf("Socket head cap screw ISO 4762 M%dx%d 12.9", d, l),
				fmt.Sprintf("内六角圆柱头螺钉 ISO 4762 M%dx%d 12.9级", d, l), 0.015*float64(d*l)/10+0.05))
		}
	}
	for _, d := range []int{4, 5, 6} {
		for _, l := range []int{10, 12, 16, 20} {
			p.ss = append(p.ss, fastener(fmt.Sprintf("SCREW-M%dx%d-A2", d, l),
				fmt.Sprintf("Button head screw ISO 7380 M%dx%d A2-70", d, l),
				fmt.Sprintf("半圆头螺钉 ISO 7380 M%dx%d A2-70 不锈钢", d, l), 0.03*float64(d*l)/10+0.06))
		}
	}
	for _, pl := range [][2]int{{4, 20}, {5, 30}, {6, 30}, {6, 40}, {8, 40}, {8, 50}, {10, 50}, {10, 60}, {12, 60}, {12, 80}} {
		p.pins = append(p.pins, fastener(fmt.Sprintf("PIN-SPRING-%dx%d", pl[0], pl[1]),
			fmt.Sprintf("Spring pin ISO 8752 %dx%d", pl[0], pl[1]), fmt.Sprintf("弹性圆柱销 ISO 8752 %dx%d", pl[0], pl[1]), 0.08+0.01*float64(pl[0])))
	}
	for _, d := range []int{20, 25, 30, 35, 40, 45, 50, 55, 60, 70} {
		p.circlips = append(p.circlips, fastener(fmt.Sprintf("CIRCLIP-EXT-%d", d),
			fmt.Sprintf("Retaining ring DIN 471 %d mm", d), fmt.Sprintf("轴用挡圈 DIN 471 %d 毫米", d), 0.05+0.004*float64(d)))
	}
	for _, d := range []int{47, 52, 62, 72, 80, 90} {
		p.circlips = append(p.circlips, fastener(fmt.Sprintf("CIRCLIP-INT-%d", d),
			fmt.Sprintf("Retaining ring DIN 472 %d mm", d), fmt.Sprintf("孔用挡圈 DIN 472 %d 毫米", d), 0.06+0.004*float64(d)))
	}
	for _, t := range []string{"M6", "M8", "M10"} {
		p.nipples = append(p.nipples, fastener("GREASE-NIPPLE-"+t, "Grease nipple DIN 71412 "+t, "黄油嘴 DIN 71412 "+t, 0.18))
	}

	// Hydraulic hoses and fittings.
	dns := []int{6, 8, 10, 12, 16, 20}
	lengths := []int{300, 400, 500, 600, 700, 850, 1000, 1200, 1400, 1600, 1800, 2000, 2200, 2400}
	for _, dn := range dns {
		for _, l := range lengths {
			id := fmt.Sprintf("HOSE-HP-%02d-%04d", dn, l)
			it := g.buy(id, fmt.Sprintf("Hydraulic hose DN%d 2SN %d mm, JIC ends", dn, l),
				fmt.Sprintf("高压液压软管 DN%d 2SN %d 毫米 JIC 接头", dn, l), "pc", r.between(5, 12),
				4+0.9*float64(dn)*float64(l)/1000)
			it.LotPolicy = "lfl"
			p.hoses[dn] = append(p.hoses[dn], id)
		}
		for _, f := range []struct{ code, en, zh string }{
			{"ADP", "straight adapter", "直通接头"}, {"ELB90", "90° elbow", "90° 弯头"}, {"ELB45", "45° elbow", "45° 弯头"},
			{"TEE", "tee", "三通"}, {"BHD", "bulkhead union", "穿板接头"},
		} {
			id := fmt.Sprintf("FIT-%s-JIC-%02d", f.code, dn)
			it := g.buy(id, fmt.Sprintf("Hydraulic fitting JIC DN%d, %s", dn, f.en), fmt.Sprintf("液压接头 JIC DN%d %s", dn, f.zh),
				"pc", r.between(4, 10), 1.2+0.25*float64(dn))
			it.LotPolicy, it.LotQty = "poq", 10
			p.fittings[dn] = append(p.fittings[dn], id)
		}
	}
	for _, d := range []int{12, 16, 20, 25, 32, 40, 50, 63} {
		p.clamps = append(p.clamps, fastener(fmt.Sprintf("PCLIP-%d", d), fmt.Sprintf("Rubber-lined P-clip %d mm", d),
			fmt.Sprintf("带胶垫 P 型管夹 %d 毫米", d), 0.25+0.01*float64(d)))
	}

	// Bearings.
	bearing := func(id, desc, zh string, cost float64) string {
		it := g.buy(id, desc, zh, "pc", r.between(8, 20), cost)
		it.LotPolicy, it.LotQty = "poq", 20
		return id
	}
	for i := 0; i <= 12; i++ {
		p.bearings = append(p.bearings, bearing(fmt.Sprintf("BRG-62%02d-2RS", i), fmt.Sprintf("Deep groove ball bearing 62%02d-2RS", i),
			fmt.Sprintf("深沟球轴承 62%02d-2RS", i), 2.5+0.9*float64(i)))
	}
	for i := 2; i <= 10; i++ {
		p.bearings = append(p.bearings, bearing(fmt.Sprintf("BRG-63%02d-2RS", i), fmt.Sprintf("Deep groove ball bearing 63%02d-2RS", i),
			fmt.Sprintf("深沟球轴承 63%02d-2RS", i), 4+1.4*float64(i)))
	}
	for i := 5; i <= 12; i++ {
		p.taper = append(p.taper, bearing(fmt.Sprintf("BRG-320%02d", i), fmt.Sprintf("Tapered roller bearing 320%02d X", i),
			fmt.Sprintf("圆锥滚子轴承 320%02d X", i), 9+2.2*float64(i)))
	}
	for i := 5; i <= 10; i++ {
		p.taper = append(p.taper, bearing(fmt.Sprintf("BRG-302%02d", i), fmt.Sprintf("Tapered roller bearing 302%02d", i),
			fmt.Sprintf("圆锥滚子轴承 302%02d", i), 8+2*float64(i)))
	}
	for i := 4; i <= 8; i++ {
		p.bearings = append(p.bearings, bearing(fmt.Sprintf("BRG-NA49%02d", i), fmt.Sprintf("Needle roller bearing NA49%02d", i),
			fmt.Sprintf("滚针轴承 NA49%02d", i), 6+1.5*float64(i)))
	}
	for _, d := range []int{15, 17, 20, 25, 30, 35, 40} {
		p.plain = append(p.plain, bearing(fmt.Sprintf("BRG-GE%dES", d), fmt.Sprintf("Spherical plain bearing GE %d ES-2RS", d),
			fmt.Sprintf("关节轴承 GE %d ES-2RS", d), 5+0.4*float64(d)))
	}

	// Seals.
	seal := func(id, desc, zh string, cost float64) string {
		it := g.buy(id, desc, zh, "pc", r.between(6, 15), cost)
		it.LotPolicy, it.LotQty, it.Multiple = "foq", 100, 50
		return id
	}
	for _, id := range []int{8, 10, 12, 14, 16, 18, 20, 22, 25, 28, 30, 32, 35, 40, 45, 50, 55, 60, 70, 80} {
		for _, cs := range []string{"2", "2.5", "3"} {
			p.orings = append(p.orings, seal(fmt.Sprintf("ORING-%dx%s-NBR", id, cs), fmt.Sprintf("O-ring %d x %s NBR 70", id, cs),
				fmt.Sprintf("O 形圈 %d x %s 丁腈橡胶", id, cs), 0.05+0.004*float64(id)))
		}
	}
	for _, d := range []int{25, 30, 35, 40, 45, 50, 55, 60, 65, 70} {
		p.rodSeal[d] = seal(fmt.Sprintf("SEAL-ROD-%d", d), fmt.Sprintf("Rod seal PU %d mm", d), fmt.Sprintf("活塞杆密封 聚氨酯 %d 毫米", d), 1.2+0.05*float64(d))
		p.wipers[d] = seal(fmt.Sprintf("WIPER-%d", d), fmt.Sprintf("Rod wiper %d mm", d), fmt.Sprintf("防尘圈 %d 毫米", d), 0.8+0.03*float64(d))
		p.guides[d] = seal(fmt.Sprintf("GUIDE-RING-%d", d), fmt.Sprintf("Guide ring %d mm", d), fmt.Sprintf("导向环 %d 毫米", d), 0.6+0.02*float64(d))
	}
	for _, d := range []int{40, 50, 60, 63, 70, 75, 80, 90, 100, 110} {
		p.pisSeal[d] = seal(fmt.Sprintf("SEAL-PIS-%d", d), fmt.Sprintf("Piston seal %d mm", d), fmt.Sprintf("活塞密封 %d 毫米", d), 1.8+0.05*float64(d))
	}

	// Electrical.
	elec := func(id, desc, zh, uom string, cost float64) string {
		it := g.buy(id, desc, zh, uom, r.between(5, 15), cost)
		it.LotPolicy, it.LotQty = "poq", 15
		return id
	}
	colours := []struct{ code, en, zh string }{{"BK", "black", "黑"}, {"RD", "red", "红"}, {"BU", "blue", "蓝"},
		{"BN", "brown", "棕"}, {"GY", "grey", "灰"}, {"YG", "yellow-green", "黄绿"}}
	for _, mm := range []string{"0.75", "1.0", "1.5", "2.5", "4.0", "6.0"} {
		for _, c := range colours {
			p.wires = append(p.wires, elec(fmt.Sprintf("WIRE-%s-%s", mm, c.code), fmt.Sprintf("Automotive wire FLRY-B %s mm², %s", mm, c.en),
				fmt.Sprintf("汽车电线 FLRY-B %s 平方毫米 %s色", mm, c.zh), "m", 0.12+0.1*atof(mm)))
		}
	}
	for _, mm := range []int{16, 25, 35, 50, 70, 95} {
		for _, c := range colours[:2] {
			p.cables = append(p.cables, elec(fmt.Sprintf("CABLE-%d-%s", mm, c.code), fmt.Sprintf("Battery cable H01N2-D %d mm², %s", mm, c.en),
				fmt.Sprintf("电池电缆 H01N2-D %d 平方毫米 %s色", mm, c.zh), "m", 0.6+0.09*float64(mm)))
		}
	}
	for _, n := range []int{2, 3, 4, 6, 8, 12} {
		p.conns = append(p.conns,
			elec(fmt.Sprintf("CON-DT-%dP-PLUG", n), fmt.Sprintf("Deutsch DT plug, %d way", n), fmt.Sprintf("德驰 DT 插头 %d 孔", n), "pc", 1.1+0.35*float64(n)),
			elec(fmt.Sprintf("CON-DT-%dP-RCPT", n), fmt.Sprintf("Deutsch DT receptacle, %d way", n), fmt.Sprintf("德驰 DT 插座 %d 孔", n), "pc", 1.2+0.35*float64(n)))
	}
	p.conns = append(p.conns,
		elec("TERM-DT-16", "DT contact, size 16", "DT 端子 16 号", "pc", 0.18),
		elec("TERM-DT-20", "DT contact, size 20", "DT 端子 20 号", "pc", 0.15),
		elec("SEAL-DT-PLUG", "DT cavity plug", "DT 堵塞", "pc", 0.05))
	for _, mm := range []int{16, 25, 35, 50, 70, 95} {
		for _, b := range []int{8, 10} {
			p.lugs = append(p.lugs, elec(fmt.Sprintf("LUG-%d-M%d", mm, b), fmt.Sprintf("Tubular cable lug %d mm², M%d", mm, b),
				fmt.Sprintf("铜管端子 %d 平方毫米 M%d", mm, b), "pc", 0.3+0.02*float64(mm)))
		}
	}
	for _, a := range []string{"5", "7.5", "10", "15", "20", "25", "30"} {
		p.fuses = append(p.fuses, elec("FUSE-MINI-"+a+"A", "Mini blade fuse "+a+" A", "迷你插片保险丝 "+a+" 安", "pc", 0.12))
	}
	for _, a := range []int{40, 60, 80, 100, 125} {
		p.fuses = append(p.fuses, elec(fmt.Sprintf("FUSE-MIDI-%dA", a), fmt.Sprintf("MIDI fuse %d A", a), fmt.Sprintf("MIDI 保险丝 %d 安", a), "pc", 2.2))
	}
	for _, a := range []int{200, 250, 325, 355, 425} {
		p.fuses = append(p.fuses, elec(fmt.Sprintf("FUSE-ANL-%dA", a), fmt.Sprintf("ANL fuse %d A", a), fmt.Sprintf("ANL 保险丝 %d 安", a), "pc", 6.5))
	}
	for _, v := range []int{12, 24, 48, 80} {
		p.relays = append(p.relays, elec(fmt.Sprintf("RELAY-%dV", v), fmt.Sprintf("Automotive relay %d V, 40 A", v), fmt.Sprintf("汽车继电器 %d 伏 40 安", v), "pc", 3.4))
	}
	for _, l := range []int{100, 200, 300, 400} {
		p.misc = append(p.misc, elec(fmt.Sprintf("CABLETIE-%d", l), fmt.Sprintf("Cable tie %d mm, black UV", l), fmt.Sprintf("扎带 %d 毫米 黑色耐紫外", l), "pc", 0.02+0.0001*float64(l)))
	}
	for _, d := range []int{10, 16, 20, 25, 32, 40} {
		p.misc = append(p.misc, elec(fmt.Sprintf("GROMMET-%d", d), fmt.Sprintf("Rubber grommet %d mm", d), fmt.Sprintf("橡胶护线圈 %d 毫米", d), "pc", 0.1))
	}
	for _, d := range []int{10, 13, 17, 23, 29} {
		p.misc = append(p.misc, elec(fmt.Sprintf("CONDUIT-%d", d), fmt.Sprintf("Corrugated conduit NW%d", d), fmt.Sprintf("波纹管 NW%d", d), "m", 0.3+0.02*float64(d)))
	}
	for _, d := range []int{6, 9, 12, 19, 25} {
		p.misc = append(p.misc, elec(fmt.Sprintf("HEATSHRINK-%d", d), fmt.Sprintf("Heat-shrink tube %d mm, adhesive", d), fmt.Sprintf("带胶热缩管 %d 毫米", d), "m", 0.4+0.03*float64(d)))
	}

	// Raw material: plate and sheet in kg.
	for _, t := range []int{3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 60} {
		id := fmt.Sprintf("PLATE-S355-%d", t)
		it := g.buy(id, fmt.Sprintf("Steel plate S355J2 %d mm", t), fmt.Sprintf("钢板 S355J2 %d 毫米", t), "kg", r.between(10, 25), 0.92+0.002*float64(t))
		it.LotPolicy, it.MinQty, it.Multiple = "poq", 2000, 500
		it.LotQty = 20
		p.plates[t] = id
	}
	return p
}

func atof(s string) float64 {
	var f float64
	fmt.Sscanf(s, "%g", &f)
	return f
}

// pick returns a random element of xs.
func (g *gen) pick(xs []string) string { return xs[g.r.intn(len(xs))] }

// fasteners adds a bolted joint: n bolts of diameter d (a random length),
// washers and nuts, to parent.
func (g *gen) fasteners(p *pools, parent string, d, n int, cond string) {
	bolt := g.pick(p.bolts[d])
	g.add(parent, bolt, n, cond)
	if g.r.intn(2) == 0 {
		g.add(parent, p.nyloc[d], n, cond)
	} else {
		g.add(parent, p.nuts[d], n, cond)
	}
	if strings.HasSuffix(bolt, "10.9") {
		g.add(parent, p.hdWash[d], 2*n, cond)
	} else {
		g.add(parent, p.washers[d], 2*n, cond)
	}
}

// hoses adds k hoses of nominal size dn with two fittings each.
func (g *gen) hoses(p *pools, parent string, dn, k int, cond string) {
	for i := 0; i < k; i++ {
		g.add(parent, g.pick(p.hoses[dn]), 1, cond)
	}
	g.add(parent, g.pick(p.fittings[dn]), 2*k, cond)
	g.add(parent, g.pick(p.clamps), k, cond)
}

// seals adds a seal set for a cylinder of rod diameter rod and bore bore.
func (g *gen) seals(p *pools, parent string, rod, bore int) {
	g.add(parent, p.rodSeal[rod], 1, "")
	g.add(parent, p.wipers[rod], 1, "")
	g.add(parent, p.guides[rod], 2, "")
	g.add(parent, p.pisSeal[bore], 1, "")
	g.add(parent, g.pick(p.orings), 2, "")
}
