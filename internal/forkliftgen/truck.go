package main

import (
	"fmt"
	"strings"
)

// The named assemblies of the truck, written out by hand from the model's
// characteristics. Conditions use the model language over forklift.ctm.

func (g *gen) workCenters() {
	// Units are machines, cells or stations (a line's stations, a cold
	// chamber's places, an outside processor counts as one): each offers
	// the hours per day, so the day's capacity is Hours x Units.
	g.wcs = []WorkCenter{
		{"CUT-LASER", "Laser cutting (6 kW fibre laser)", 95, 16, 2},
		{"CUT-SAW", "Band saw cutting", 48, 8, 3},
		{"BEND-PRESS", "Press brake bending", 70, 8, 3},
		{"MACH-CNC", "CNC turning and milling", 110, 16, 8},
		{"WELD-ROBOT", "Robot welding cells", 120, 16, 4},
		{"WELD-MANUAL", "Manual MAG welding", 72, 16, 4},
		{"BLAST", "Shot blasting", 60, 8, 2},
		{"PAINT-LINE", "Paint line (primer and top coat, oven)", 85, 16, 4},
		{"GALV-OUT", "Galvanizing (outside processing)", 40, 8, 1},
		{"ASSY-MAST", "Mast assembly", 70, 16, 6},
		{"ASSY-HYD", "Hydraulics and cylinder assembly", 72, 8, 6},
		{"ASSY-ELEC", "Electrical assembly and harness making", 68, 8, 4},
		{"ASSY-BATT", "Battery assembly", 70, 8, 3},
		{"ASSY-CAB", "Cabin assembly", 66, 8, 3},
		{"ASSY-SUB", "Sub-assembly (axles, frame, counterweight)", 68, 16, 4},
		{"ASSY-FINAL", "Final assembly line", 75, 16, 6},
		{"TEST-HYD", "Hydraulic pressure test bench", 80, 8, 3},
		{"TEST-FUNC", "End-of-line functional test", 90, 16, 3},
		{"TEST-COLD", "Cold chamber (-30 °C)", 130, 8, 4},
		{"INSP-QC", "Quality inspection", 85, 8, 4},
		{"PACK", "Packing and shipping preparation", 50, 8, 3},
	}
}

// truck builds FL-TRUCK and everything below it.
func (g *gen) truck(p *pools) {
	top := g.mk("FL-TRUCK", "Electric counterbalance forklift (configured)", "电动平衡重式叉车（按配置）", 5)
	top.Model = "forklift"
	top.LotPolicy = "lfl"

	g.item(&Item{ID: "WELDWIRE-G3SI1", Desc: "Welding wire G3Si1 1.2 mm", DescZh: "焊丝 G3Si1 1.2 毫米", UOM: "kg", Kind: "buy", LeadTime: 7, Cost: 2.1, LotPolicy: "foq", LotQty: 1000, SafetyStock: 300})

	g.add("FL-TRUCK", g.frame(p), 1, "")
	g.add("FL-TRUCK", g.mast(p), 1, "")
	g.add("FL-TRUCK", g.driveAssy(p), 1, "")
	g.steerAxles(p)
	g.add("FL-TRUCK", g.hydraulics(p), 1, "")
	g.add("FL-TRUCK", g.electrics(p), 1, "")
	g.add("FL-TRUCK", g.operatorProtection(p), 1, "")
	g.add("FL-TRUCK", g.counterweight(p), 1, "")
	g.add("FL-TRUCK", g.batteryPack(p), 1, "")
	g.chargers()
	g.wheels(p)
	g.forks()
	g.attachments(p)
	g.lightsAndSafety()
	g.cabinComfort()
	g.fluidsPaintDocs(p)
	g.kits(p)
	g.truckRouting()
	g.planningParameters()
}

// planningParameters sets the lot-sizing rules purchasing and production
// planning use for some families.
func (g *gen) planningParameters() {
	for _, it := range g.items {
		switch {
		case strings.HasPrefix(it.ID, "GEARBOX-"), strings.HasPrefix(it.ID, "BRAKE-"), strings.HasPrefix(it.ID, "PUMP-GEAR-"),
			strings.HasPrefix(it.ID, "HYD-TANK-"):
			it.LotPolicy, it.LotQty = "ww", 0
		case strings.HasPrefix(it.ID, "CWT-CAST-"):
			it.MaxQty = 60 // foundry batch limit
		case strings.HasPrefix(it.ID, "CELL-PZS-"):
			it.Multiple = 12 // cells come on pallets of 12
		case it.ID == "MOD-LFP-8S100":
			it.MinQty, it.Multiple = 20, 10
		}
	}
}

// ---------------------------------------------------------------- frame

func (g *gen) frame(p *pools) string {
	g.mk("FRM-ASSY", "Frame assembly", "车架总成", 2)
	type variant struct {
		code, cond, en, zh string
		gr                 group
		three              bool
	}
	vs := []variant{
		{"A3S", and(grpA.cond(), "chassis = three_wheel", "wheelbase = short"), "1.5-2.0 t three-wheel, short", "1.5-2.0 吨 三支点 短轴距", grpA, true},
		{"A3T", and(grpA.cond(), "chassis = three_wheel", "wheelbase = standard"), "1.5-2.0 t three-wheel, standard", "1.5-2.0 吨 三支点 标准轴距", grpA, true},
		{"A4S", and(grpA.cond(), "chassis = four_wheel", "wheelbase = short"), "1.5-2.0 t four-wheel, short", "1.5-2.0 吨 四支点 短轴距", grpA, false},
		{"A4T", and(grpA.cond(), "chassis = four_wheel", "wheelbase = standard"), "1.5-2.0 t four-wheel, standard", "1.5-2.0 吨 四支点 标准轴距", grpA, false},
		{"B1S", and("capacity = t25", "wheelbase = short"), "2.5 t, short", "2.5 吨 短轴距", grpB, false},
		{"B1T", and("capacity = t25", "wheelbase = standard"), "2.5 t, standard", "2.5 吨 标准轴距", grpB, false},
		{"B2T", and("capacity in {t30, t35}", "wheelbase = standard"), "3.0-3.5 t, standard", "3.0-3.5 吨 标准轴距", grpB, false},
		{"B2L", and("capacity in {t30, t35}", "wheelbase = long"), "3.0-3.5 t, long", "3.0-3.5 吨 长轴距", grpB, false},
		{"CL", grpC.cond(), "4.0-5.0 t, long", "4.0-5.0 吨 长轴距", grpC, false},
	}
	sideT := map[string]int{"A": 12, "B": 15, "C": 20}
	for _, v := range vs {
		w := v.gr.weight
		boss := g.machined("FRM-MASTBOSS-"+v.gr.code, "Mast pivot boss "+v.gr.en(), "门架铰支座 "+v.gr.zh,
			g.rawLen("BAR-C45-"+fmt.Sprint(80+20*int(w)), fmt.Sprintf("Round bar C45 %d mm", 80+20*int(w)), fmt.Sprintf("圆钢 C45 %d 毫米", 80+20*int(w)), 14, 12), 120, 0.6)
		tiltBr := g.cutPart(p, "FRM-TILTBRKT-"+v.gr.code, "Tilt cylinder bracket "+v.gr.en(), "倾斜油缸支架 "+v.gr.zh, 20, 6*w, false)
		parts := []string{
			g.cutPart(p, "FRM-SIDEPL-L-"+v.code, "Frame side plate left "+v.en, "车架左侧板 "+v.zh, sideT[v.gr.code], 48*w, true),
			g.cutPart(p, "FRM-SIDEPL-R-"+v.code, "Frame side plate right "+v.en, "车架右侧板 "+v.zh, sideT[v.gr.code], 48*w, true),
			g.cutPart(p, "FRM-FLOOR-"+v.code, "Battery compartment floor "+v.en, "电池箱底板 "+v.zh, 10, 22*w, false),
			g.cutPart(p, "FRM-XMBR-F-"+v.gr.code, "Front cross member "+v.gr.en(), "前横梁 "+v.gr.zh, 15, 18*w, true),
			g.cutPart(p, "FRM-XMBR-R-"+v.code, "Rear cross member "+v.en, "后横梁 "+v.zh, 12, 14*w, true),
			g.cutPart(p, "FRM-STEERMT-"+v.code, "Steer axle mount "+v.en, "转向桥安装座 "+v.zh, 20, 9*w, false),
			tiltBr, boss,
		}
		wld := g.weldment(p, "FRM-WLD-"+v.code, "Frame weldment "+v.en, "车架焊接件 "+v.zh, parts, []int{1, 1, 1, 1, 1, 1, 2, 2}, true, 3.5*w)
		g.op(wld, "INSP-QC", 0.1, 0.3, "", "Check frame dimensions")
		g.add("FRM-ASSY", wld, 1, v.cond)
	}
	for _, gr := range groups {
		hood := g.mk("HOOD-ASSY-"+gr.code, "Battery hood assembly "+gr.en(), "电池盖总成 "+gr.zh, 2)
		g.add(hood.ID, g.cutPart(p, "HOOD-PANEL-"+gr.code, "Hood panel "+gr.en(), "电池盖板 "+gr.zh, 4, 14*gr.weight, true), 1, "")
		g.add(hood.ID, g.buy("GASSPRING-"+gr.code, "Gas spring for hood "+gr.en(), "电池盖气弹簧 "+gr.zh, "pc", 12, 9.5*gr.weight), 2, "")
		g.add(hood.ID, g.buy("HOOD-LATCH", "Hood latch with seat switch", "电池盖锁扣带座椅开关", "pc", 15, 14.8), 1, "")
		g.add(hood.ID, g.buy("HINGE-HOOD", "Hood hinge", "电池盖铰链", "pc", 10, 6.2), 2, "")
		g.add(hood.ID, g.pick(p.ss), 8, "")
		g.op(hood.ID, "ASSY-SUB", 0.2, 0.3, "", "Assemble hood")
		g.add("FRM-ASSY", hood.ID, 1, gr.cond())
		g.add("FRM-ASSY", g.buy("FLOORMAT-"+gr.code, "Rubber floor mat "+gr.en(), "橡胶脚垫 "+gr.zh, "pc", 14, 18*gr.weight), 1, gr.cond())
		g.add("FRM-ASSY", g.buy("STEP-"+gr.code, "Anti-slip step "+gr.en(), "防滑踏板 "+gr.zh, "pc", 12, 11), 1, gr.cond())
	}
	rollers := g.phantom("KIT-BATROLLER", "Side extraction roller kit", "侧拉换电滚轮套件")
	g.add(rollers.ID, g.buy("BAT-ROLLER-BED", "Roller bed for battery side extraction", "侧拉换电滚轮床", "pc", 18, 145), 1, "")
	g.add(rollers.ID, g.buy("BAT-LOCK-SIDE", "Battery side lock", "电池侧锁", "pc", 15, 22), 2, "")
	g.fasteners(p, rollers.ID, 10, 8, "")
	g.add("FRM-ASSY", rollers.ID, 1, "battery_exchange = side_extraction")
	g.add("FRM-ASSY", g.buy("HANDLE-GRAB", "Grab handle with horn button", "带喇叭按钮的扶手", "pc", 10, 16), 1, "")
	g.add("FRM-ASSY", g.buy("MIRROR-REAR", "Rear-view mirror", "后视镜", "pc", 8, 12), 2, "not cold_store")
	g.fasteners(p, "FRM-ASSY", 12, 12, "")
	g.fasteners(p, "FRM-ASSY", 8, 16, "")
	g.op("FRM-ASSY", "ASSY-SUB", 0.5, 1.2, "", "Assemble frame: hood, floor, step, mirrors")
	return "FRM-ASSY"
}

// ---------------------------------------------------------------- mast

type mastType struct {
	code, value, en, zh string
	stages              []string // OUTER, MIDDLE, MIDDLE2, INNER
	freeLift            bool
	groups              []group
}

func (g *gen) mast(p *pools) string {
	m := g.mk("MAST-ASSY", "Mast assembly (configured)", "门架总成（按配置）", 4)
	m.Model = "forklift"
	types := []mastType{
		{"DX", "duplex", "duplex", "二级门架", []string{"OUTER", "INNER"}, false, groups},
		{"DF", "duplex_ffl", "duplex full free lift", "二级全自由提升门架", []string{"OUTER", "INNER"}, true, groups},
		{"TX", "triplex", "triplex", "三级门架", []string{"OUTER", "MIDDLE", "INNER"}, true, groups},
		{"QD", "quad", "quad", "四级门架", []string{"OUTER", "MIDDLE", "MIDDLE2", "INNER"}, true, []group{grpA, {"B", []string{"t25"}, "2.5 吨", 1.45}}},
	}
	stageZh := map[string]string{"OUTER": "外门架", "MIDDLE": "中门架", "MIDDLE2": "第二中门架", "INNER": "内门架"}
	// Channel profiles are bought per group and stage position and cut to
	// the length the lift height and number of stages need.
	railLen := "lift_height / (2 + count(mast = triplex) + 2 * count(mast = quad)) + 180"
	for _, gr := range groups {
		for _, st := range []string{"OUTER", "MIDDLE", "INNER"} {
			g.rawLen(fmt.Sprintf("PROFILE-MAST-%s-%s", gr.code, st), fmt.Sprintf("Hot-rolled mast profile %s, %s", strings.ToLower(st), gr.en()),
				fmt.Sprintf("热轧门架型钢 %s %s", stageZh[st], gr.zh), 38*gr.weight, 30)
		}
	}
	for _, mt := range types {
		for _, gr := range mt.groups {
			cond := and("mast = "+mt.value, gr.cond())
			for _, st := range mt.stages {
				prof := st
				if st == "MIDDLE2" {
					prof = "MIDDLE"
				}
				rail := g.machined(fmt.Sprintf("MAST-RAIL-%s-%s", st, gr.code), fmt.Sprintf("Machined mast rail, %s, %s", strings.ToLower(st), gr.en()),
					fmt.Sprintf("机加工门架导轨 %s %s", stageZh[st], gr.zh), fmt.Sprintf("PROFILE-MAST-%s-%s", gr.code, prof), railLen, 0.9)
				xm := g.cutPart(p, fmt.Sprintf("MAST-XMBR-%s-%s-%s", mt.code, st, gr.code), fmt.Sprintf("Mast cross member, %s %s, %s", mt.en, strings.ToLower(st), gr.en()),
					fmt.Sprintf("门架横梁 %s %s %s", mt.zh, stageZh[st], gr.zh), 20, 16*gr.weight, true)
				rb := g.cutPart(p, fmt.Sprintf("MAST-ROLLBRKT-%s-%s", st, gr.code), fmt.Sprintf("Roller bracket, %s, %s", strings.ToLower(st), gr.en()),
					fmt.Sprintf("滚轮支架 %s %s", stageZh[st], gr.zh), 15, 2.5*gr.weight, false)
				wld := g.weldment(p, fmt.Sprintf("MAST-CH-%s-%s-%s-WLD", st, mt.code, gr.code), fmt.Sprintf("Mast channel weldment, %s %s, %s", mt.en, strings.ToLower(st), gr.en()),
					fmt.Sprintf("门架焊接件 %s %s %s", mt.zh, stageZh[st], gr.zh), []string{rail, xm, rb}, []int{2, 2, 4}, true, 2.2*gr.weight)
				g.op(wld, "MACH-CNC", 1.5, 1.2, "", "Machine roller seats and pivot bores")
				stage := g.mk(fmt.Sprintf("MAST-STAGE-%s-%s-%s", st, mt.code, gr.code), fmt.Sprintf("Mast stage, %s %s, %s", mt.en, strings.ToLower(st), gr.en()),
					fmt.Sprintf("%s %s总成 %s", mt.zh, stageZh[st], gr.zh), 2)
				g.add(stage.ID, wld, 1, "")
				g.add(stage.ID, fmt.Sprintf("ROLLER-MAST-%s", gr.code), 4, "")
				g.add(stage.ID, fmt.Sprintf("ROLLER-SIDE-%s", gr.code), 2, "")
				g.add(stage.ID, g.buy("SHIM-ROLLER-"+gr.code, "Roller shim set "+gr.en(), "滚轮调整垫片组 "+gr.zh, "pc", 6, 3.5), 1, "")
				g.add(stage.ID, g.pick(p.circlips), 4, "")
				g.add(stage.ID, g.pick(p.nipples), 2, "")
				g.fasteners(p, stage.ID, 12, 6, "")
				g.op(stage.ID, "ASSY-MAST", 0.3, 1.1, "", "Fit rollers and shim to channel")
				g.add("MAST-ASSY", stage.ID, 1, cond)
			}
		}
	}
	for _, gr := range groups {
		dia := map[string]int{"A": 90, "B": 110, "C": 130}[gr.code]
		g.buy("ROLLER-MAST-"+gr.code, fmt.Sprintf("Mast load roller %d mm, combined bearing", dia), fmt.Sprintf("门架主滚轮 %d 毫米 复合轴承", dia), "pc", 20, 18*gr.weight)
		g.buy("ROLLER-SIDE-"+gr.code, "Mast side roller "+gr.en(), "门架侧滚轮 "+gr.zh, "pc", 20, 9*gr.weight)
	}

	// Lift cylinders: main (2 per mast) and, for free-lift masts, one
	// free-lift cylinder. Stroke follows the lift height.
	bores := map[string][2]int{"A": {50, 40}, "B": {60, 45}, "C": {75, 55}}
	tubeLen := "lift_height / (2 + count(mast = triplex) + 2 * count(mast = quad)) + 150"
	rodLen := "lift_height / (2 + count(mast = triplex) + 2 * count(mast = quad)) + 90"
	for _, gr := range groups {
		b := bores[gr.code]
		main := g.cylinder(p, "LIFTCYL-MAIN-"+gr.code, "main lift cylinder "+gr.en(), "主起升油缸 "+gr.zh, b[0], b[1], tubeLen, rodLen)
		g.add("MAST-ASSY", main, 2, gr.cond())
		fb := map[string][2]int{"A": {63, 50}, "B": {75, 55}, "C": {90, 65}}[gr.code]
		fl := g.cylinder(p, "LIFTCYL-FREE-"+gr.code, "free-lift cylinder "+gr.en(), "自由提升油缸 "+gr.zh, fb[0], fb[1], fmt.Sprint(1400+200*int(gr.weight)), fmt.Sprint(1330+200*int(gr.weight)))
		g.add("MAST-ASSY", fl, 1, and("mast != duplex", gr.cond()))
		tilt := g.cylinder(p, "TILTCYL-"+gr.code, "tilt cylinder "+gr.en(), "倾斜油缸 "+gr.zh, map[string]int{"A": 63, "B": 70, "C": 80}[gr.code], map[string]int{"A": 30, "B": 35, "C": 40}[gr.code], "420", "380")
		g.add("MAST-ASSY", tilt, 2, gr.cond())
		// Lift chains, counted in links (pitch 19.05 mm).
		chain := g.buy("CHAIN-LH"+map[string]string{"A": "1244", "B": "1644", "C": "2066"}[gr.code], "Leaf chain "+gr.en()+", per link", "板式起重链 "+gr.zh+" 按节", "link", 15, 0.9*gr.weight)
		chain.LotPolicy, chain.Multiple = "lfl", 10
		g.add("MAST-ASSY", chain.ID, "2 * (lift_height / 38 + 16)", gr.cond())
		g.add("MAST-ASSY", chain.ID, "2 * (lift_height / 114 + 12)", and("mast in {triplex, quad}", gr.cond()))
		anchor := g.machined("CHAIN-ANCHOR-"+gr.code, "Chain anchor bolt "+gr.en(), "链条锚栓 "+gr.zh, g.rawLen("BAR-C45-40", "Round bar C45 40 mm", "圆钢 C45 40 毫米", 8, 12), 160, 0.2)
		g.add("MAST-ASSY", anchor, 4, gr.cond())
		sheave := g.mk("SHEAVE-ASSY-"+gr.code, "Chain sheave assembly "+gr.en(), "链轮总成 "+gr.zh, 2)
		g.add(sheave.ID, g.machined("SHEAVE-"+gr.code, "Chain sheave "+gr.en(), "链轮 "+gr.zh, g.rawLen("BAR-C45-160", "Round bar C45 160 mm", "圆钢 C45 160 毫米", 42, 12), 45, 0.5), 1, "")
		g.add(sheave.ID, p.bearings[4+int(gr.weight)], 2, "")
		g.add(sheave.ID, g.pick(p.circlips), 1, "")
		g.op(sheave.ID, "ASSY-MAST", 0.1, 0.15, "", "Press in bearings")
		g.add("MAST-ASSY", sheave.ID, 2, gr.cond())
		g.add("MAST-ASSY", sheave.ID, 2, and("mast in {triplex, quad}", gr.cond()))
		g.hoses(p, "MAST-ASSY", 12, 3, gr.cond())
		g.add("MAST-ASSY", g.buy("PAINT-MAST-BLACK", "Mast paint, black RAL 9005", "门架面漆 黑色 RAL 9005", "kg", 10, 7.8), 3*gr.weight, gr.cond())
	}
	// Auxiliary hydraulics for attachments: bulk hose through the mast.
	bulk := g.buy("HOSE-BULK-2SN-08", "Hydraulic hose DN8 2SN, bulk", "高压液压软管 DN8 2SN 散装", "mm", 10, 0.0062)
	bulk.LotPolicy, bulk.Multiple = "lfl", 1000
	g.add("MAST-ASSY", bulk.ID, "(hydraulic_functions - 2) * (2 * lift_height + 1500)", "hydraulic_functions > 2")
	g.add("MAST-ASSY", g.buy("HOSEREEL-DUAL", "Hose reel, double, for auxiliary hydraulics", "双联液压软管卷盘", "pc", 25, 145), 1, "hydraulic_functions > 2 and mast in {triplex, quad}")
	g.add("MAST-ASSY", g.pick(p.fittings[8]), "2 * (hydraulic_functions - 2)", "hydraulic_functions > 2")

	// Fork carriage and load backrest by ISO class.
	for i, cl := range []string{"class2", "class3", "class4"} {
		n := i + 2
		w := 1 + 0.5*float64(i)
		top := g.cutPart(p, fmt.Sprintf("FC-BAR-UPPER-C%d", n), fmt.Sprintf("Fork carriage upper bar, ISO class %d", n), fmt.Sprintf("货叉架上横梁 ISO %d 级", n), 25, 28*w, false)
		bot := g.cutPart(p, fmt.Sprintf("FC-BAR-LOWER-C%d", n), fmt.Sprintf("Fork carriage lower bar, ISO class %d", n), fmt.Sprintf("货叉架下横梁 ISO %d 级", n), 20, 19*w, false)
		side := g.cutPart(p, fmt.Sprintf("FC-SIDEPL-C%d", n), fmt.Sprintf("Fork carriage side plate, ISO class %d", n), fmt.Sprintf("货叉架侧板 ISO %d 级", n), 20, 8*w, false)
		fc := g.weldment(p, fmt.Sprintf("FC-C%d-WLD", n), fmt.Sprintf("Fork carriage weldment ISO class %d", n), fmt.Sprintf("货叉架焊接件 ISO %d 级", n), []string{top, bot, side}, []int{1, 1, 2}, true, 1.4*w)
		g.op(fc, "MACH-CNC", 0.8, 0.7, "", "Machine fork bar notches")
		g.add("MAST-ASSY", fc, 1, "fork_carriage = "+cl)
		for _, h := range []struct{ val, code, en, zh string }{{"standard", "STD", "standard", "标准"}, {"high", "HIGH", "high", "加高"}} {
			lbr := g.weldment(p, fmt.Sprintf("LBR-%s-C%d-WLD", h.code, n), fmt.Sprintf("Load backrest, %s, ISO class %d", h.en, n), fmt.Sprintf("挡货架 %s ISO %d 级", h.zh, n),
				[]string{g.cutPart(p, fmt.Sprintf("LBR-GRID-%s-C%d", h.code, n), fmt.Sprintf("Backrest grid %s class %d", h.en, n), fmt.Sprintf("挡货架格栅 %s %d 级", h.zh, n), 8, 14*w, true)}, []int{1}, false, 0.8*w)
			g.add("MAST-ASSY", lbr, 1, and("load_backrest = "+h.val, "fork_carriage = "+cl))
		}
	}
	g.fasteners(p, "MAST-ASSY", 16, 8, "")
	g.fasteners(p, "MAST-ASSY", 20, 4, "")
	g.op("MAST-ASSY", "ASSY-MAST", 1.0, 3.5, "mast in {duplex, duplex_ffl}", "Assemble duplex mast, cylinders, chains, carriage")
	g.altOp("MAST-ASSY", "ASSY-MAST", 1.5, 5.5, "mast in {triplex, quad}", "Assemble multi-stage mast, cylinders, chains, carriage")
	g.op("MAST-ASSY", "ASSY-HYD", 0.3, 0.8, "", "Pipe lift and tilt hydraulics")
	g.op("MAST-ASSY", "ASSY-HYD", 0.3, 0.6, "hydraulic_functions > 2", "Pipe auxiliary hydraulics and hose reel")
	g.op("MAST-ASSY", "TEST-FUNC", 0.2, 0.7, "", "Mast lift test at rated load")
	g.op("MAST-ASSY", "PAINT-LINE", 0.5, 1.0, "", "Paint mast")
	return "MAST-ASSY"
}

// ---------------------------------------------------------------- drive

func (g *gen) driveAssy(p *pools) string {
	g.mk("DRV-ASSY", "Drive unit assembly", "驱动总成", 3)
	motors := []struct {
		volt, cond string
		gr         group
		kw         string
	}{
		{"24", "voltage = v24", grpA, "4.5"}, {"48", "voltage = v48", grpA, "7"}, {"48", "voltage = v48", grpB, "11"},
		{"80", "voltage = v80", grpB, "15"}, {"80", "voltage = v80", grpC, "22"},
	}
	for _, gr := range groups {
		housing := g.buy("DRV-HOUSING-"+gr.code, "Drive axle housing casting "+gr.en(), "驱动桥壳铸件 "+gr.zh, "pc", 35, 180*gr.weight)
		housing.LotPolicy, housing.LotQty = "poq", 20
		forging := g.buy("FORGING-HUB-"+gr.code, "Wheel hub forging "+gr.en(), "轮毂锻件 "+gr.zh, "pc", 30, 38*gr.weight)
		forging.LotPolicy, forging.LotQty = "poq", 20
		hub := g.mk("HUB-DRV-"+gr.code, "Drive wheel hub "+gr.en(), "驱动轮毂 "+gr.zh, 3)
		g.add(hub.ID, forging.ID, 1, "")
		g.op(hub.ID, "MACH-CNC", 0.8, 0.9, "", "Turn and drill hub")
		for _, d := range []string{"S", "D"} {
			if d == "S" && gr.code == "C" {
				continue
			}
			id := fmt.Sprintf("DRV-AXLE-%s-%s", d, gr.code)
			en, zh := "single motor", "单电机"
			if d == "D" {
				en, zh = "twin motor", "双电机"
			}
			g.mk(id, "Drive axle, "+en+", "+gr.en(), "驱动桥 "+zh+" "+gr.zh, 4)
			g.add(id, housing.ID, 1, "")
			gb := g.buy(fmt.Sprintf("GEARBOX-%s-%s", d, gr.code), fmt.Sprintf("Reduction gearbox, %s, %s", en, gr.en()), fmt.Sprintf("减速箱 %s %s", zh, gr.zh), "pc", 30, 420*gr.weight)
			if d == "S" {
				g.add(id, gb.ID, 1, "")
			} else {
				g.add(id, gb.ID, 2, "")
			}
			g.add(id, hub.ID, 2, "")
			if gr.code == "C" {
				g.add(id, g.buy("BRAKE-WET-C", "Wet multi-disc brake 4.0-5.0 t", "湿式多盘制动器 4.0-5.0 吨", "pc", 32, 610), 2, "")
			} else {
				g.add(id, g.buy("BRAKE-DRUM-"+gr.code, "Drum brake "+gr.en(), "鼓式制动器 "+gr.zh, "pc", 20, 95*gr.weight), 2, "")
			}
			g.add(id, p.taper[int(2*gr.weight)], 4, "")
			g.add(id, p.rodSeal[nearestKey(p.rodSeal, int(40*gr.weight))], 2, "")
			g.add(id, g.pick(p.orings), 4, "")
			g.fasteners(p, id, 16, 12, "")
			g.add(id, g.buy("OIL-GEAR-80W90", "Gear oil 80W-90", "齿轮油 80W-90", "l", 6, 4.2), 3*gr.weight, "")
			g.op(id, "ASSY-SUB", 0.5, 1.6, "", "Assemble drive axle")
			g.op(id, "TEST-FUNC", 0.2, 0.3, "", "Run-in test of axle")
			cond := and(gr.cond(), "drive = "+map[string]string{"S": "single_ac", "D": "dual_ac"}[d])
			g.add("DRV-ASSY", id, 1, cond)
		}
	}
	for _, m := range motors {
		mot := g.buy(fmt.Sprintf("MOT-TRAC-%sV-%sKW", m.volt, m.kw), fmt.Sprintf("AC traction motor %s V %s kW", m.volt, m.kw),
			fmt.Sprintf("交流行走电机 %s 伏 %s 千瓦", m.volt, m.kw), "pc", 28, 520+40*atof(m.kw))
		mot.LotPolicy = "lfl"
		g.add("DRV-ASSY", mot.ID, 1, and(m.cond, m.gr.cond(), "drive = single_ac"))
		g.add("DRV-ASSY", mot.ID, 2, and(m.cond, m.gr.cond(), "drive = dual_ac"))
	}
	g.fasteners(p, "DRV-ASSY", 12, 8, "")
	g.op("DRV-ASSY", "ASSY-SUB", 0.3, 0.8, "", "Flange motors to axle, wire sensors")
	return "DRV-ASSY"
}

// ---------------------------------------------------------------- steer axle

func (g *gen) steerAxles(p *pools) {
	for _, gr := range groups {
		id := "STR-AXLE-" + gr.code
		g.mk(id, "Steer axle "+gr.en(), "转向桥 "+gr.zh, 4)
		beam := g.weldment(p, "STR-BEAM-"+gr.code+"-WLD", "Steer axle beam weldment "+gr.en(), "转向桥梁焊接件 "+gr.zh,
			[]string{
				g.cutPart(p, "STR-BEAMPL-"+gr.code, "Steer axle beam plate "+gr.en(), "转向桥梁板 "+gr.zh, 20, 34*gr.weight, true),
				g.cutPart(p, "STR-KNUCKLEBR-"+gr.code, "Knuckle bracket "+gr.en(), "转向节支架 "+gr.zh, 25, 7*gr.weight, false),
			}, []int{2, 4}, true, 1.6*gr.weight)
		g.op(beam, "MACH-CNC", 1.0, 0.9, "", "Bore king pin seats")
		g.add(id, beam, 1, "")
		g.add(id, g.cylinder(p, "STR-CYL-"+gr.code, "steering cylinder "+gr.en(), "转向油缸 "+gr.zh, map[string]int{"A": 60, "B": 70, "C": 80}[gr.code], map[string]int{"A": 40, "B": 45, "C": 50}[gr.code], "380", "520"), 1, "")
		knForging := g.buy("FORGING-KNUCKLE-"+gr.code, "Steering knuckle forging "+gr.en(), "转向节锻件 "+gr.zh, "pc", 30, 46*gr.weight)
		kn := g.mk("STR-KNUCKLE-"+gr.code, "Steering knuckle "+gr.en(), "转向节 "+gr.zh, 3)
		g.add(kn.ID, knForging.ID, 1, "")
		g.op(kn.ID, "MACH-CNC", 0.8, 1.1, "", "Machine knuckle")
		g.add(id, kn.ID, 2, "")
		g.add(id, g.machined("KINGPIN-"+gr.code, "King pin "+gr.en(), "主销 "+gr.zh, g.rawLen("BAR-C45-50", "Round bar C45 50 mm", "圆钢 C45 50 毫米", 9, 12), 180, 0.35), 2, "")
		g.add(id, g.buy("STR-TIEROD-"+gr.code, "Tie rod with ball joints "+gr.en(), "转向拉杆带球头 "+gr.zh, "pc", 18, 31*gr.weight), 2, "")
		g.add(id, p.taper[int(gr.weight*2)+1], 4, "")
		g.add(id, p.plain[int(gr.weight*2)], 2, "")
		g.add(id, g.pick(p.nipples), 4, "")
		g.add(id, g.pick(p.orings), 4, "")
		g.fasteners(p, id, 14, 8, "")
		g.op(id, "ASSY-SUB", 0.4, 1.3, "", "Assemble steer axle")
		g.add("FL-TRUCK", id, 1, and(gr.cond(), "chassis = four_wheel"))
	}
	// Three-wheelers steer with a rear turntable.
	tt := g.mk("STR-TURNTABLE-A", "Rear turntable steer unit, three-wheel", "三支点后转盘转向单元", 4)
	g.add(tt.ID, g.buy("BRG-SLEW-450", "Slewing ring bearing 450 mm", "回转支承 450 毫米", "pc", 35, 260), 1, "")
	g.add(tt.ID, g.cylinder(p, "STR-CYL-A3", "steering cylinder three-wheel", "三支点转向油缸", 50, 35, "300", "410"), 1, "")
	g.add(tt.ID, g.cutPart(p, "STR-TTPLATE-A", "Turntable plate", "转盘板", 25, 28, false), 1, "")
	g.add(tt.ID, p.taper[1], 2, "")
	g.fasteners(p, tt.ID, 12, 12, "")
	g.op(tt.ID, "ASSY-SUB", 0.4, 1.1, "", "Assemble turntable")
	g.add("FL-TRUCK", tt.ID, 1, "chassis = three_wheel")
}

// ---------------------------------------------------------------- hydraulics

func (g *gen) hydraulics(p *pools) string {
	g.mk("HYD-ASSY", "Hydraulic system", "液压系统", 3)
	pumps := []struct {
		volt, cond string
		gr         group
		kw         string
	}{
		{"24", "voltage = v24", grpA, "5.5"}, {"48", "voltage = v48", grpA, "8"}, {"48", "voltage = v48", grpB, "12"},
		{"80", "voltage = v80", grpB, "16"}, {"80", "voltage = v80", grpC, "22"},
	}
	for _, pm := range pumps {
		id := fmt.Sprintf("MOT-PUMP-%sV-%sKW", pm.volt, pm.kw)
		g.buy(id, fmt.Sprintf("AC pump motor %s V %s kW", pm.volt, pm.kw), fmt.Sprintf("交流油泵电机 %s 伏 %s 千瓦", pm.volt, pm.kw), "pc", 28, 410+35*atof(pm.kw))
		cond := and(pm.cond, pm.gr.cond())
		if id == "MOT-PUMP-80V-16KW" {
			g.buy(id+"-V2", "AC pump motor 80 V 16 kW, IP65 revision", "交流油泵电机 80 伏 16 千瓦 IP65 改进型", "pc", 28, 985)
			g.change("HYD-ASSY", id, id+"-V2", 1, "2027-02-01", cond)
			continue
		}
		g.add("HYD-ASSY", id, 1, cond)
	}
	for _, gp := range []struct {
		cc, cond string
	}{{"16", grpA.cond()}, {"22", "capacity = t25"}, {"28", "capacity in {t30, t35}"}, {"36", grpC.cond()}} {
		g.add("HYD-ASSY", g.buy("PUMP-GEAR-"+gp.cc+"CC", "Gear pump "+gp.cc+" cm³/rev", "齿轮泵 "+gp.cc+" 毫升/转", "pc", 25, 140+6*atof(gp.cc)), 1, gp.cond)
	}
	for n := 2; n <= 5; n++ {
		m := g.buy(fmt.Sprintf("VALVE-MAIN-M-%dF", n), fmt.Sprintf("Main control valve, manual, %d sections", n), fmt.Sprintf("手动多路阀 %d 联", n), "pc", 30, 260+95*float64(n))
		e := g.buy(fmt.Sprintf("VALVE-MAIN-E-%dF", n), fmt.Sprintf("Main control valve, proportional, %d sections", n), fmt.Sprintf("电比例多路阀 %d 联", n), "pc", 35, 620+180*float64(n))
		g.add("HYD-ASSY", m.ID, 1, and("controls = levers", fmt.Sprintf("hydraulic_functions = %d", n)))
		g.add("HYD-ASSY", e.ID, 1, and("controls in {fingertip, joystick}", fmt.Sprintf("hydraulic_functions = %d", n)))
		g.add("HYD-ASSY", g.buy(fmt.Sprintf("LEVER-KIT-%dF", n), fmt.Sprintf("Mechanical control levers, %d", n), fmt.Sprintf("机械操纵杆组 %d 联", n), "pc", 18, 30*float64(n)), 1, and("controls = levers", fmt.Sprintf("hydraulic_functions = %d", n)))
		g.add("HYD-ASSY", g.buy(fmt.Sprintf("FINGERTIP-%dF", n), fmt.Sprintf("Fingertip control module, %d levers", n), fmt.Sprintf("指尖操纵模块 %d 杆", n), "pc", 25, 160+70*float64(n)), 1, and("controls = fingertip", fmt.Sprintf("hydraulic_functions = %d", n)))
	}
	g.add("HYD-ASSY", g.buy("JOYSTICK-MF", "Multi-function joystick with armrest", "带扶手多功能操纵手柄", "pc", 30, 690), 1, "controls = joystick")
	for _, gr := range groups {
		tank := g.weldment(p, "HYD-TANK-"+gr.code+"-WLD", "Hydraulic tank weldment "+gr.en(), "液压油箱焊接件 "+gr.zh,
			[]string{g.cutPart(p, "HYD-TANKSHELL-"+gr.code, "Tank shell "+gr.en(), "油箱壳体 "+gr.zh, 4, 16*gr.weight, true),
				g.cutPart(p, "HYD-TANKBAFFLE-"+gr.code, "Tank baffle "+gr.en(), "油箱隔板 "+gr.zh, 3, 3*gr.weight, false)}, []int{1, 2}, false, 0.6*gr.weight)
		g.op(tank, "TEST-HYD", 0.2, 0.2, "", "Tank leak test")
		g.add("HYD-ASSY", tank, 1, gr.cond())
		kit := g.phantom("KIT-HOSE-HYD-"+gr.code, "Hydraulic hose kit "+gr.en(), "液压软管套件 "+gr.zh)
		g.hoses(p, kit.ID, 16, 2, "")
		g.hoses(p, kit.ID, 12, 4, "")
		g.hoses(p, kit.ID, 10, 2, "")
		g.add("HYD-ASSY", kit.ID, 1, gr.cond())
		g.add("HYD-ASSY", g.buy("STEER-ORBIT-"+gr.code, "Steering unit (orbitrol) "+gr.en(), "全液压转向器 "+gr.zh, "pc", 28, 190*gr.weight), 1, and("steering = hydrostatic", gr.cond()))
	}
	g.add("HYD-ASSY", g.buy("PRIO-VALVE", "Priority valve for steering", "转向优先阀", "pc", 20, 74), 1, "steering = hydrostatic")
	g.change("HYD-ASSY", g.buy("FILTER-RET-10U", "Return filter 10 µm", "回油滤清器 10 微米", "pc", 8, 21).ID,
		g.buy("FILTER-RET-10U-B", "Return filter 10 µm, glass fibre, bypass 2.5 bar", "回油滤清器 10 微米 玻纤 旁通 2.5 巴", "pc", 8, 23).ID, 1, "2026-12-14", "")
	g.add("HYD-ASSY", g.buy("BREATHER-3U", "Tank breather 3 µm", "空气滤清器 3 微米", "pc", 8, 9.5), 1, "")
	g.add("HYD-ASSY", g.buy("STRAINER-SUCT", "Suction strainer", "吸油滤网", "pc", 8, 7.2), 1, "")
	g.add("HYD-ASSY", g.buy("LEVEL-GAUGE", "Oil level gauge", "液位计", "pc", 8, 6.8), 1, "")
	g.fasteners(p, "HYD-ASSY", 10, 12, "")
	g.op("HYD-ASSY", "ASSY-HYD", 0.5, 2.4, "", "Assemble pump, valve, tank and hoses")
	g.op("HYD-ASSY", "TEST-HYD", 0.3, 0.5, "", "Relief valve setting and pressure test")
	return "HYD-ASSY"
}

// ---------------------------------------------------------------- electrics

func (g *gen) electrics(p *pools) string {
	g.mk("ELE-ASSY", "Electrical system", "电气系统", 3)
	ctrls := []struct {
		volt, cond, single, dual string
		gr                       group
	}{
		{"24", "voltage = v24", "250", "2x200", grpA}, {"48", "voltage = v48", "350", "2x300", grpA},
		{"48", "voltage = v48", "450", "2x400", grpB}, {"80", "voltage = v80", "500", "2x450", grpB},
		{"80", "voltage = v80", "", "2x550", grpC},
	}
	for _, c := range ctrls {
		cond := and(c.cond, c.gr.cond())
		if c.single != "" {
			id := fmt.Sprintf("MC-TRAC-%s-%s", c.volt, c.single)
			g.buy(id, fmt.Sprintf("AC traction controller %s V %s A", c.volt, c.single), fmt.Sprintf("交流行走控制器 %s 伏 %s 安", c.volt, c.single), "pc", 25, 480+1.1*atof(c.single))
			if id == "MC-TRAC-48-350" {
				g.buy(id+"B", "AC traction controller 48 V 350 A, rev. B (CAN open)", "交流行走控制器 48 伏 350 安 B 版（CANopen）", "pc", 25, 859)
				g.change("ELE-ASSY", id, id+"B", 1, "2027-01-04", and(cond, "drive = single_ac"))
			} else {
				g.add("ELE-ASSY", id, 1, and(cond, "drive = single_ac"))
			}
		}
		id := fmt.Sprintf("MC-DUAL-%s-%s", c.volt, c.dual)
		g.buy(id, fmt.Sprintf("Dual AC traction controller %s V %s A", c.volt, c.dual), fmt.Sprintf("双交流行走控制器 %s 伏 %s 安", c.volt, c.dual), "pc", 28, 980)
		g.add("ELE-ASSY", id, 1, and(cond, "drive = dual_ac"))
	}
	for _, v := range []string{"24", "48", "80"} {
		cond := "voltage = v" + v
		g.add("ELE-ASSY", g.buy("MC-PUMP-"+v, "Pump motor controller "+v+" V", "油泵控制器 "+v+" 伏", "pc", 25, 420), 1, cond)
		g.add("ELE-ASSY", g.buy("DCDC-"+v+"-12", "DC/DC converter "+v+" V to 12 V, 300 W", "DC/DC 转换器 "+v+" 伏转 12 伏 300 瓦", "pc", 18, 88), 1, cond)
		g.add("ELE-ASSY", g.buy("CONTACTOR-"+v, "Main contactor "+v+" V", "主接触器 "+v+" 伏", "pc", 15, 64), 1, cond)
		h := g.mk("HARN-BATT-"+v, "Battery cable set "+v+" V", "电池电缆组 "+v+" 伏", 2)
		g.add(h.ID, g.pick(p.cables), 2.5, "")
		g.add(h.ID, g.pick(p.cables), 2.5, "")
		g.add(h.ID, g.pick(p.lugs), 6, "")
		g.add(h.ID, g.pick(p.fuses[12:]), 1, "")
		g.add(h.ID, g.pick(p.misc), 2, "")
		g.op(h.ID, "ASSY-ELEC", 0.2, 0.4, "", "Cut, crimp and label battery cables")
		g.add("ELE-ASSY", h.ID, 1, cond)
	}
	for _, v := range []string{"48", "80"} {
		g.add("ELE-ASSY", g.buy("EPS-UNIT-"+v, "Electric power steering unit "+v+" V", "电动助力转向单元 "+v+" 伏", "pc", 30, 740), 1, and("steering = eps", "voltage = v"+v))
	}
	// Main harnesses: wires by the metre, connectors, fuses, relays.
	for _, hv := range []struct{ code, cond, en, zh string }{
		{"A3W", and(grpA.cond(), "chassis = three_wheel"), "1.5-2.0 t three-wheel", "1.5-2.0 吨 三支点"},
		{"A4W", and(grpA.cond(), "chassis = four_wheel"), "1.5-2.0 t four-wheel", "1.5-2.0 吨 四支点"},
		{"B4W", grpB.cond(), "2.5-3.5 t", "2.5-3.5 吨"},
		{"C4W", grpC.cond(), "4.0-5.0 t", "4.0-5.0 吨"},
	} {
		h := g.mk("HARN-MAIN-"+hv.code, "Main wiring harness "+hv.en, "主线束 "+hv.zh, 3)
		seen := map[string]bool{}
		for i := 0; i < 14; i++ {
			w := g.pick(p.wires)
			if seen[w] {
				continue
			}
			seen[w] = true
			g.add(h.ID, w, float64(g.r.between(4, 30)), "")
		}
		for i := 0; i < 8; i++ {
			c := g.pick(p.conns[:12])
			if seen[c] {
				continue
			}
			seen[c] = true
			g.add(h.ID, c, g.r.between(1, 4), "")
		}
		g.add(h.ID, "TERM-DT-16", g.r.between(40, 90), "")
		g.add(h.ID, "TERM-DT-20", g.r.between(20, 50), "")
		g.add(h.ID, "SEAL-DT-PLUG", g.r.between(5, 15), "")
		for i := 0; i < 4; i++ {
			f := g.pick(p.fuses[:7])
			if !seen[f] {
				seen[f] = true
				g.add(h.ID, f, g.r.between(1, 3), "")
			}
		}
		g.add(h.ID, p.relays[0], g.r.between(2, 4), "")
		for _, m := range p.misc {
			if g.r.intn(2) == 0 {
				g.add(h.ID, m, g.r.between(2, 30), "")
			}
		}
		g.op(h.ID, "ASSY-ELEC", 0.5, 2.2, "", "Make harness on board")
		g.op(h.ID, "TEST-FUNC", 0.1, 0.2, "", "Harness continuity test")
		g.add("ELE-ASSY", h.ID, 1, hv.cond)
	}
	hl := g.mk("HARN-LIGHT", "Lighting harness", "灯具线束", 2)
	g.add(hl.ID, "CON-DT-2P-PLUG", "count(lights)", "")
	g.add(hl.ID, "CON-DT-2P-RCPT", "count(lights)", "")
	g.add(hl.ID, "WIRE-1.0-BK", "4 * count(lights)", "")
	g.add(hl.ID, "WIRE-1.0-RD", "4 * count(lights)", "")
	g.add(hl.ID, "TERM-DT-16", "4 * count(lights)", "")
	g.add(hl.ID, "FUSE-MINI-10A", 1, "")
	g.add(hl.ID, "RELAY-12V", 1, "count(lights) > 2")
	g.op(hl.ID, "ASSY-ELEC", 0.2, 0.5, "", "Make lighting harness")
	g.add("ELE-ASSY", hl.ID, 1, "count(lights) > 0")
	hc := g.mk("HARN-CAB", "Cabin harness (wipers, heater, interior light)", "驾驶室线束（雨刮、暖风、顶灯）", 2)
	g.add(hc.ID, "WIRE-1.5-BK", 12, "")
	g.add(hc.ID, "WIRE-1.5-RD", 12, "")
	g.add(hc.ID, "WIRE-2.5-RD", 6, "cabin = heated")
	g.add(hc.ID, "CON-DT-4P-PLUG", 3, "")
	g.add(hc.ID, "CON-DT-4P-RCPT", 3, "")
	g.add(hc.ID, "TERM-DT-16", 24, "")
	g.add(hc.ID, "FUSE-MINI-15A", 2, "")
	g.add(hc.ID, "FUSE-MIDI-40A", 1, "cabin = heated")
	g.op(hc.ID, "ASSY-ELEC", 0.2, 0.6, "", "Make cabin harness")
	g.add("ELE-ASSY", hc.ID, 1, "cabin in {full, heated}")
	g.add("ELE-ASSY", g.buy("ESTOP-SW", "Emergency stop switch", "紧急停止开关", "pc", 12, 19), 1, "")
	g.add("ELE-ASSY", g.buy("FUSEBOX-12", "Fuse and relay box, 12 way", "保险丝继电器盒 12 路", "pc", 14, 26), 1, "")
	g.change("ELE-ASSY", g.buy("DISPLAY-STD-LCD", "Standard LCD display", "标准液晶仪表", "pc", 20, 145).ID,
		g.buy("DISPLAY-STD-LCD2", "Standard LCD display, rev. 2 (sunlight readable)", "标准液晶仪表 第 2 版（强光可读）", "pc", 20, 139).ID, 1, "2027-02-15", "display = std_display")
	g.add("ELE-ASSY", g.buy("DISPLAY-COLOUR-7", "7\" colour display", "7 英寸彩色显示屏", "pc", 25, 390), 1, "display = colour_display")
	g.add("ELE-ASSY", g.buy("DISPLAY-TOUCH-10", "10\" touch screen", "10 英寸触摸屏", "pc", 30, 720), 1, "display = touch_display")
	g.add("ELE-ASSY", g.buy("TELEM-BASIC", "Telematics unit, GPS/4G, basic", "远程管理终端 GPS/4G 基础版", "pc", 20, 240), 1, "telematics = basic")
	g.add("ELE-ASSY", g.buy("TELEM-FLEET", "Telematics unit, fleet", "远程管理终端 车队版", "pc", 25, 460), 1, "telematics in {fleet, fleet_impact}")
	g.add("ELE-ASSY", g.buy("IMPACT-SENSOR", "3-axis impact sensor", "三轴碰撞传感器", "pc", 25, 210), 1, "telematics = fleet_impact")
	g.add("ELE-ASSY", g.buy("KEYSWITCH", "Key switch with 2 keys", "钥匙开关（含 2 把钥匙）", "pc", 10, 11), 1, "access_control = key")
	g.add("ELE-ASSY", g.buy("KEYPAD-PIN", "PIN code keypad", "密码键盘", "pc", 20, 118), 1, "access_control = keypad")
	g.add("ELE-ASSY", g.buy("RFID-READER", "RFID card reader 13.56 MHz", "RFID 读卡器 13.56 兆赫", "pc", 25, 176), 1, "access_control = rfid")
	g.fasteners(p, "ELE-ASSY", 6, 24, "")
	g.add("ELE-ASSY", g.pick(p.screws), 16, "")
	g.op("ELE-ASSY", "ASSY-ELEC", 0.5, 2.0, "", "Mount controllers, contactor, fuses; route harnesses")
	g.op("ELE-ASSY", "TEST-FUNC", 0.2, 0.4, "", "Insulation and function test, parameter download")
	return "ELE-ASSY"
}

// ---------------------------------------------------------------- guard and cabin

func (g *gen) operatorProtection(p *pools) string {
	g.mk("OPG-ASSY", "Operator protection (overhead guard and cabin)", "司机防护（护顶架与驾驶室）", 2)
	rect := g.rawLen("TUBE-RECT-80x40x4", "Rectangular tube S355 80x40x4", "矩形管 S355 80x40x4", 7.5, 15)
	for _, gr := range groups {
		for _, h := range []struct{ val, code, en, zh string }{{"standard", "STD", "standard", "标准"}, {"low", "LOW", "low", "低"}, {"high", "HIGH", "high", "加高"}} {
			post := g.machined(fmt.Sprintf("OHG-POST-%s-%s", h.code, gr.code), fmt.Sprintf("Overhead guard post, %s, %s", h.en, gr.en()),
				fmt.Sprintf("护顶架立柱 %s %s", h.zh, gr.zh), rect, map[string]int{"STD": 1350, "LOW": 1150, "HIGH": 1500}[h.code], 0.15)
			roof := g.cutPart(p, "OHG-ROOF-"+gr.code, "Overhead guard roof grid "+gr.en(), "护顶架顶网 "+gr.zh, 8, 24*gr.weight, true)
			w := g.weldment(p, fmt.Sprintf("OHG-%s-%s-WLD", h.code, gr.code), fmt.Sprintf("Overhead guard weldment, %s, %s", h.en, gr.en()),
				fmt.Sprintf("护顶架焊接件 %s %s", h.zh, gr.zh), []string{post, roof}, []int{4, 1}, true, 1.1*gr.weight)
			g.op(w, "INSP-QC", 0.1, 0.2, "", "FOPS weld inspection")
			g.add("OPG-ASSY", w, 1, and("overhead_guard = "+h.val, gr.cond()))
		}
		for _, c := range []struct{ val, code, en, zh string }{{"half", "HALF", "half", "半封闭"}, {"full", "FULL", "full", "全封闭"}, {"heated", "HEAT", "heated", "暖风全封闭"}} {
			id := fmt.Sprintf("CAB-%s-%s", c.code, gr.code)
			g.mk(id, fmt.Sprintf("Cabin kit, %s, %s", c.en, gr.en()), fmt.Sprintf("驾驶室套件 %s %s", c.zh, gr.zh), 4)
			g.add(id, g.buy("GLASS-FRONT-"+gr.code, "Windscreen, laminated "+gr.en(), "夹层前挡风玻璃 "+gr.zh, "pc", 25, 96*gr.weight), 1, "")
			g.add(id, g.buy("POLYC-ROOF-"+gr.code, "Polycarbonate roof panel "+gr.en(), "聚碳酸酯顶板 "+gr.zh, "pc", 20, 64*gr.weight), 1, "")
			g.add(id, g.buy("WIPER-MOTOR-12V", "Wiper motor 12 V", "雨刮电机 12 伏", "pc", 15, 38), map[string]int{"HALF": 1, "FULL": 2, "HEAT": 2}[c.code], "")
			g.add(id, g.buy("WIPER-ARM", "Wiper arm and blade", "雨刮臂及刮片", "pc", 10, 9), map[string]int{"HALF": 1, "FULL": 2, "HEAT": 2}[c.code], "")
			g.add(id, g.buy("SEAL-EPDM-PROFILE", "EPDM sealing profile", "三元乙丙密封条", "m", 12, 3.6), round2(6*gr.weight), "")
			g.add(id, g.pick(p.ss), 24, "")
			if c.code != "HALF" {
				door := g.mk("CAB-DOOR-"+gr.code, "Cabin door "+gr.en(), "驾驶室门 "+gr.zh, 3)
				g.add(door.ID, g.weldment(p, "CAB-DOORFRAME-"+gr.code+"-WLD", "Door frame weldment "+gr.en(), "门框焊接件 "+gr.zh,
					[]string{g.machined("CAB-DOORTUBE-"+gr.code, "Door frame tube "+gr.en(), "门框管 "+gr.zh, g.rawLen("TUBE-RECT-40x20x2", "Rectangular tube 40x20x2", "矩形管 40x20x2", 3.1, 12), 4200, 0.3)}, []int{1}, false, 0.4), 1, "")
				g.add(door.ID, g.buy("GLASS-DOOR-"+gr.code, "Door glass, toughened "+gr.en(), "钢化门玻璃 "+gr.zh, "pc", 25, 58*gr.weight), 1, "")
				g.add(door.ID, g.buy("DOOR-LOCK", "Door lock with handle", "门锁带把手", "pc", 15, 27), 1, "")
				g.add(door.ID, g.buy("HINGE-DOOR", "Door hinge", "门铰链", "pc", 10, 8), 2, "")
				g.add(door.ID, "SEAL-EPDM-PROFILE", round2(5*gr.weight), "")
				g.op(door.ID, "ASSY-CAB", 0.2, 0.6, "", "Assemble door")
				g.add(id, door.ID, 2, "")
				g.add(id, g.buy("GLASS-REAR-"+gr.code, "Rear window "+gr.en(), "后窗玻璃 "+gr.zh, "pc", 25, 54*gr.weight), 1, "")
				g.add(id, g.buy("LIGHT-INTERIOR", "Interior light LED", "室内 LED 顶灯", "pc", 10, 12), 1, "")
			}
			if c.code == "HEAT" {
				g.add(id, g.buy("HEATER-48", "Cabin heater 48 V 3 kW", "驾驶室暖风机 48 伏 3 千瓦", "pc", 30, 410), 1, "voltage = v48")
				g.add(id, g.buy("HEATER-80", "Cabin heater 80 V 4 kW", "驾驶室暖风机 80 伏 4 千瓦", "pc", 30, 470), 1, "voltage = v80")
				g.add(id, g.buy("DEFROSTER", "Windscreen defroster", "前挡风除霜器", "pc", 20, 85), 1, "")
			}
			g.op(id, "ASSY-CAB", 0.5, map[string]float64{"HALF": 1.2, "FULL": 3.0, "HEAT": 3.8}[c.code], "", "Pre-assemble cabin panels, glazing and wipers")
			g.add("OPG-ASSY", id, 1, and("cabin = "+c.val, gr.cond()))
		}
	}
	g.fasteners(p, "OPG-ASSY", 12, 4, "")
	g.op("OPG-ASSY", "ASSY-CAB", 0.3, 0.8, "", "Mount guard (and cabin) pre-assembly")
	return "OPG-ASSY"
}

// ---------------------------------------------------------------- counterweight

func (g *gen) counterweight(p *pools) string {
	g.mk("CWT-ASSY", "Counterweight assembly", "平衡重总成", 2)
	kg := map[string]float64{"t15": 780, "t18": 930, "t20": 1080, "t25": 1320, "t30": 1650, "t35": 1980, "t40": 2350, "t50": 3100}
	for _, c := range []string{"t15", "t18", "t20", "t25", "t30", "t35", "t40", "t50"} {
		for _, v := range []struct{ val, code, en, zh string }{{"standard", "STD", "standard", "标准"}, {"heavy", "HVY", "heavy", "加重"}} {
			if c == "t15" && v.val == "heavy" {
				continue
			}
			w := kg[c]
			if v.val == "heavy" {
				w *= 1.18
			}
			id := fmt.Sprintf("CWT-CAST-%s-%s", strings.ToUpper(c), v.code)
			it := g.buy(id, fmt.Sprintf("Counterweight casting %s, %s (%.0f kg)", c[1:2]+"."+c[2:]+" t", v.en, w),
				fmt.Sprintf("平衡重铸件 %s 吨 %s（%.0f 千克）", c[1:2]+"."+c[2:], v.zh, w), "pc", 40, 0.95*w)
			it.LotPolicy, it.LotQty = "poq", 20
			it.Scrap = 0
			g.add("CWT-ASSY", id, 1, and("capacity = "+c, "counterweight = "+v.val))
		}
	}
	for _, gr := range groups {
		ballast := g.cutPart(p, "BALLAST-LFP-"+gr.code, "Ballast plate for lithium battery "+gr.en(), "锂电池配重板 "+gr.zh, 60, 180*gr.weight, false)
		g.add("CWT-ASSY", ballast, 1, and("battery = lfp", gr.cond()))
		g.add("CWT-ASSY", g.machined("TOWPIN-"+gr.code, "Towing pin "+gr.en(), "牵引销 "+gr.zh, "BAR-C45-40", 220, 0.2), 1, gr.cond())
	}
	g.fasteners(p, "CWT-ASSY", 24, 4, "")
	g.op("CWT-ASSY", "ASSY-SUB", 0.3, 0.5, "", "Fit towing pin, lifting eyes and ballast")
	return "CWT-ASSY"
}

// ---------------------------------------------------------------- battery

func (g *gen) batteryPack(p *pools) string {
	b := g.mk("BAT-PACK", "Traction battery (configured)", "牵引电池（按配置）", 3)
	b.Model = "forklift"
	cells := "12 * count(voltage = v24) + 24 * count(voltage = v48) + 40 * count(voltage = v80)"
	for ah := 200; ah <= 1000; ah += 100 {
		cell := g.buy(fmt.Sprintf("CELL-PZS-%dAH", ah), fmt.Sprintf("Lead-acid traction cell 2 V %d Ah (PzS)", ah), fmt.Sprintf("铅酸牵引单体 2 伏 %d 安时（PzS）", ah), "pc", 30, 18+0.11*float64(ah))
		cell.LotPolicy = "lfl"
		g.add("BAT-PACK", cell.ID, cells, fmt.Sprintf("battery = lead_acid and battery_ah = %d", ah))
	}
	g.add("BAT-PACK", g.buy("CELLCON-35", "Cell connector 35 mm², bolted", "单体连接条 35 平方毫米 螺栓式", "pc", 15, 2.1), cells+" - 1", "battery = lead_acid and battery_ah <= 500")
	g.add("BAT-PACK", g.buy("CELLCON-70", "Cell connector 70 mm², bolted", "单体连接条 70 平方毫米 螺栓式", "pc", 15, 3.4), cells+" - 1", "battery = lead_acid and battery_ah >= 600")
	for _, v := range []string{"24", "48", "80"} {
		g.add("BAT-PACK", g.buy("AQUAMATIC-"+v, "Single-point watering system "+v+" V", "单点补水系统 "+v+" 伏", "pc", 20, 4.5*atof(v)), 1, "battery = lead_acid and voltage = v"+v)
		for _, wb := range []struct{ val, code, en, zh string }{{"short", "S", "short", "短"}, {"standard", "T", "standard", "标准"}, {"long", "L", "long", "长"}} {
			if v == "24" && wb.val == "long" {
				continue // 24 V trucks are 1.5-2.0 t: no long wheelbase
			}
			tray := g.weldment(p, fmt.Sprintf("BAT-TRAY-%s-%s-WLD", v, wb.code), fmt.Sprintf("Battery tray %s V, %s compartment", v, wb.en),
				fmt.Sprintf("电池箱 %s 伏 %s轴距", v, wb.zh),
				[]string{
					g.cutPart(p, fmt.Sprintf("BAT-TRAYWALL-%s", wb.code), fmt.Sprintf("Battery tray wall, %s", wb.en), fmt.Sprintf("电池箱侧板 %s", wb.zh), 5, 22, true),
					g.cutPart(p, fmt.Sprintf("BAT-TRAYBASE-%s-%s", v, wb.code), fmt.Sprintf("Battery tray base %s V, %s", v, wb.en), fmt.Sprintf("电池箱底板 %s 伏 %s", v, wb.zh), 6, 30, false),
				}, []int{4, 1}, true, 0.9)
			g.op(tray, "PAINT-LINE", 0.3, 0.4, "", "Acid-resistant coating")
			g.add("BAT-PACK", tray, 1, and("voltage = v"+v, "wheelbase = "+wb.val))
		}
	}
	g.add("BAT-PACK", g.buy("MOD-LFP-8S100", "LFP module 8S 25.6 V 100 Ah", "磷酸铁锂模组 8 串 25.6 伏 100 安时", "pc", 35, 690), "(count(voltage = v24) + 2 * count(voltage = v48) + 3 * count(voltage = v80)) * (battery_ah / 100)", "battery = lfp")
	g.add("BAT-PACK", g.buy("BMS-LFP-24", "Battery management system 24 V", "电池管理系统 24 伏", "pc", 30, 380), 1, "battery = lfp and voltage = v24")
	g.change("BAT-PACK", g.buy("BMS-LFP-48", "Battery management system 48 V", "电池管理系统 48 伏", "pc", 30, 460).ID,
		g.buy("BMS-LFP-48-V2", "Battery management system 48 V, rev. 2 (CAN FD)", "电池管理系统 48 伏 第 2 版（CAN FD）", "pc", 30, 445).ID, 1, "2027-04-01", "battery = lfp and voltage = v48")
	g.add("BAT-PACK", g.buy("BMS-LFP-80", "Battery management system 80 V", "电池管理系统 80 伏", "pc", 30, 560), 1, "battery = lfp and voltage = v80")
	g.add("BAT-PACK", g.buy("LFP-HEATER-PAD", "Battery heating pad for cold store", "冷库电池加热垫", "pc", 25, 95), "count(voltage = v24) + 2 * count(voltage = v48) + 3 * count(voltage = v80)", "battery = lfp and cold_store")
	g.add("BAT-PACK", g.buy("BAT-PLUG-160A", "Battery connector 160 A", "电池插头 160 安", "pc", 12, 34), 1, "battery_ah <= 500")
	g.add("BAT-PACK", g.buy("BAT-PLUG-320A", "Battery connector 320 A", "电池插头 320 安", "pc", 12, 52), 1, "battery_ah >= 600")
	g.add("BAT-PACK", g.buy("BAT-PLUG-EX", "Explosion-protected battery connector", "防爆电池插头", "pc", 30, 310), 1, "ex_protection != non_ex")
	g.add("BAT-PACK", g.pick(p.cables), 2, "")
	g.add("BAT-PACK", g.pick(p.lugs), 4, "")
	g.op("BAT-PACK", "ASSY-BATT", 0.5, 2.5, "battery = lead_acid", "Place and connect cells, fit watering system")
	g.altOp("BAT-PACK", "ASSY-BATT", 0.5, 1.5, "battery = lfp", "Mount modules, BMS and heating")
	g.op("BAT-PACK", "TEST-FUNC", 0.2, 0.8, "", "Charge, insulation and capacity test")
	return "BAT-PACK"
}

func (g *gen) chargers() {
	amps := func(v string) [][2]string {
		switch v {
		case "24":
			return [][2]string{{"60", "battery_ah <= 400"}, {"100", "battery_ah >= 500"}}
		case "48":
			return [][2]string{{"60", "battery_ah <= 400"}, {"100", "battery_ah >= 500 and battery_ah <= 700"}, {"150", "battery_ah >= 800"}}
		}
		return [][2]string{{"100", "battery_ah <= 500"}, {"150", "battery_ah >= 600 and battery_ah <= 800"}, {"200", "battery_ah >= 900"}}
	}
	for _, v := range []string{"24", "48", "80"} {
		for _, a := range amps(v) {
			id := fmt.Sprintf("CHG-EXT-%s-%sA", v, a[0])
			it := g.buy(id, fmt.Sprintf("External HF charger %s V %s A", v, a[0]), fmt.Sprintf("外置高频充电机 %s 伏 %s 安", v, a[0]), "pc", 25, 540+3.2*atof(a[0])+2*atof(v))
			it.LotPolicy = "lfl"
			cond := and("charger = external", "voltage = v"+v, a[1])
			if id == "CHG-EXT-48-100A" {
				g.buy(id+"-G2", "External HF charger 48 V 100 A, generation 2", "外置高频充电机 48 伏 100 安 第二代", "pc", 25, 829)
				g.change("FL-TRUCK", id, id+"-G2", 1, "2027-01-04", cond)
				continue
			}
			g.add("FL-TRUCK", id, 1, cond)
		}
	}
	g.add("FL-TRUCK", g.buy("CHG-ONB-24", "Onboard charger 24 V 60 A", "车载充电机 24 伏 60 安", "pc", 25, 610).ID, 1, "charger = onboard and voltage = v24")
	g.add("FL-TRUCK", g.buy("CHG-ONB-48", "Onboard charger 48 V 80 A", "车载充电机 48 伏 80 安", "pc", 25, 790).ID, 1, "charger = onboard and voltage = v48")
	g.add("FL-TRUCK", g.buy("CHG-FAST-48-300A", "Fast charger 48 V 300 A", "快速充电机 48 伏 300 安", "pc", 35, 2350).ID, 1, "charger = fast and voltage = v48")
	g.add("FL-TRUCK", g.buy("CHG-FAST-80-300A", "Fast charger 80 V 300 A", "快速充电机 80 伏 300 安", "pc", 35, 3150).ID, 1, "charger = fast and voltage = v80")
}

// ---------------------------------------------------------------- wheels and forks

func (g *gen) wheels(p *pools) {
	types := []struct{ val, code, en, zh string }{
		{"pneumatic", "PN", "pneumatic", "充气"}, {"superelastic", "SE", "superelastic", "实心弹性"},
		{"cushion", "CU", "cushion press-on", "压配式实心"}, {"non_marking", "NM", "non-marking superelastic", "无痕实心"},
	}
	sizes := []struct {
		pos, size, cond string
		front           bool
		w               float64
	}{
		{"F", "18x7-8", grpA.cond(), true, 1},
		{"R", "15x4.5-8", and(grpA.cond(), "chassis = four_wheel"), false, 0.6},
		{"R", "16x6-8", "chassis = three_wheel", false, 0.8},
		{"F", "23x9-10", "capacity = t25", true, 1.4},
		{"F", "28x9-15", "capacity in {t30, t35}", true, 1.7},
		{"R", "18x7-8", grpB.cond(), false, 1},
		{"F", "250-15", grpC.cond(), true, 2.3},
		{"R", "7.00-12", grpC.cond(), false, 1.5},
	}
	for _, s := range sizes {
		rim := g.buy("RIM-"+s.size, "Split rim "+s.size, "分体轮辋 "+s.size, "pc", 20, 48*s.w)
		for _, t := range types {
			id := fmt.Sprintf("TYRE-%s-%s", t.code, s.size)
			it := g.buy(id, fmt.Sprintf("Tyre %s %s", s.size, t.en), fmt.Sprintf("轮胎 %s %s", s.size, t.zh), "pc", g.r.between(15, 30), map[string]float64{"PN": 70, "SE": 150, "CU": 120, "NM": 185}[t.code]*s.w)
			it.LotPolicy, it.LotQty = "poq", 10
			qty := any(2)
			if s.front {
				qty = "2 + 2 * count(dual_front)"
			}
			g.add("FL-TRUCK", id, qty, and("tyres = "+t.val, s.cond))
		}
		qty := any(2)
		if s.front {
			qty = "2 + 2 * count(dual_front)"
		}
		g.add("FL-TRUCK", rim.ID, qty, and("tyres != cushion", s.cond))
		g.add("FL-TRUCK", g.buy("HUB-CU-"+s.size, "Press-on band hub for cushion tyre "+s.size, "压配式轮胎钢圈 "+s.size, "pc", 25, 60*s.w).ID, qty, and("tyres = cushion", s.cond))
	}
	g.add("FL-TRUCK", p.nuts[16], "8 + 4 * count(dual_front)", "")
}

func (g *gen) forks() {
	lo := map[int]int{2: 900, 3: 900, 4: 1100}
	hi := map[int]int{2: 2000, 3: 2400, 4: 2400}
	cost := map[int]float64{2: 0.09, 3: 0.14, 4: 0.22}
	for n := 2; n <= 4; n++ {
		cl := fmt.Sprintf("fork_carriage = class%d", n)
		for l := lo[n]; l <= hi[n]; l += 100 {
			std := g.buy(fmt.Sprintf("FORK-C%d-%d-STD", n, l), fmt.Sprintf("Fork ISO class %d, %d mm, forged", n, l), fmt.Sprintf("锻造货叉 ISO %d 级 %d 毫米", n, l), "pc", 20, cost[n]*float64(l))
			std.LotPolicy, std.LotQty = "poq", 20
			tap := g.buy(fmt.Sprintf("FORK-C%d-%d-TAP", n, l), fmt.Sprintf("Fork ISO class %d, %d mm, tapered and polished", n, l), fmt.Sprintf("锥形抛光货叉 ISO %d 级 %d 毫米", n, l), "pc", 25, cost[n]*float64(l)*1.15)
			galv := g.mk(fmt.Sprintf("FORK-C%d-%d-GALV", n, l), fmt.Sprintf("Fork ISO class %d, %d mm, galvanized", n, l), fmt.Sprintf("镀锌货叉 ISO %d 级 %d 毫米", n, l), 8)
			g.add(galv.ID, std.ID, 1, "")
			g.op(galv.ID, "GALV-OUT", 0, 0.6, "", "Hot-dip galvanizing (outside)")
			g.op(galv.ID, "INSP-QC", 0.1, 0.1, "", "Check coating thickness and hook fit")
			length := fmt.Sprintf("fork_length = %d", l)
			g.add("FL-TRUCK", std.ID, 2, and(cl, length, "fork_type = standard", "load_backrest != none"))
			g.add("FL-TRUCK", tap.ID, 2, and(cl, length, "fork_type = tapered"))
			g.add("FL-TRUCK", galv.ID, 2, and(cl, length, "fork_type = galvanized"))
			if l >= 1200 && l <= 1800 {
				tel := g.buy(fmt.Sprintf("FORK-TEL-C%d-%d", n, l), fmt.Sprintf("Hydraulic telescopic fork ISO class %d, %d mm", n, l), fmt.Sprintf("液压伸缩货叉 ISO %d 级 %d 毫米", n, l), "pc", 35, cost[n]*float64(l)*6)
				g.add("FL-TRUCK", tel.ID, 2, and(cl, length, "fork_type = telescopic"))
			}
		}
	}
}

// ---------------------------------------------------------------- attachments

func (g *gen) attachments(p *pools) {
	type att struct {
		val, code, en, zh string
		classes           []int
		made              bool
		price             float64
	}
	atts := []att{
		{"sideshift", "SS", "integrated side-shift", "一体式侧移器", []int{2, 3, 4}, true, 0},
		{"positioner", "POS", "fork positioner", "调距叉", []int{2, 3, 4}, false, 1650},
		{"ss_positioner", "SSPOS", "side-shifting fork positioner", "侧移调距叉", []int{2, 3, 4}, false, 2500},
		{"paper_clamp", "PCLAMP", "paper roll clamp", "纸卷夹", []int{3, 4}, false, 5600},
		{"carton_clamp", "CCLAMP", "carton clamp", "纸箱夹", []int{2, 3, 4}, false, 3700},
		{"bale_clamp", "BCLAMP", "bale clamp", "软包夹", []int{2, 3, 4}, false, 3900},
		{"rotator", "ROT", "rotator 360°", "360° 旋转器", []int{2, 3, 4}, false, 3000},
		{"push_pull", "PP", "push-pull", "推拉器", []int{2, 3}, false, 3400},
		{"load_stabilizer", "STAB", "load stabilizer", "压紧装置", []int{2, 3, 4}, false, 2000},
		{"multi_pallet", "MP", "double pallet handler", "双托盘叉", []int{2, 3, 4}, false, 4300},
	}
	for _, a := range atts {
		for _, n := range a.classes {
			id := fmt.Sprintf("ATT-%s-C%d", a.code, n)
			cond := and(fmt.Sprintf("has(attachments, %s)", a.val), fmt.Sprintf("fork_carriage = class%d", n))
			if a.made {
				g.mk(id, fmt.Sprintf("Integrated side-shift ISO class %d", n), fmt.Sprintf("一体式侧移器 ISO %d 级", n), 4)
				fr := g.weldment(p, fmt.Sprintf("ATT-SS-FRAME-C%d-WLD", n), fmt.Sprintf("Side-shift frame weldment class %d", n), fmt.Sprintf("侧移器框架焊接件 %d 级", n),
					[]string{g.cutPart(p, fmt.Sprintf("ATT-SS-PLATE-C%d", n), fmt.Sprintf("Side-shift frame plate class %d", n), fmt.Sprintf("侧移器框架板 %d 级", n), 15, 21+8*float64(n-2), false)}, []int{2}, true, 0.7)
				g.add(id, fr, 1, "")
				g.add(id, g.cylinder(p, fmt.Sprintf("ATT-SS-CYL-C%d", n), fmt.Sprintf("side-shift cylinder class %d", n), fmt.Sprintf("侧移油缸 %d 级", n), 40, 25, "260", "320"), 1, "")
				g.add(id, g.buy("SLIDEPAD-POM", "Slide pad POM", "聚甲醛滑块", "pc", 10, 3.2), 6, "")
				g.fasteners(p, id, 10, 6, "")
				g.op(id, "ASSY-HYD", 0.3, 0.7, "", "Assemble side-shift")
			} else {
				it := g.buy(id, fmt.Sprintf("%s ISO class %d", strings.ToUpper(a.en[:1])+a.en[1:], n), fmt.Sprintf("%s ISO %d 级", a.zh, n), "pc", g.r.between(25, 40), a.price*(1+0.2*float64(n-2)))
				it.LotPolicy = "lfl"
			}
			g.add("FL-TRUCK", id, 1, cond)
		}
	}
	g.add("FL-TRUCK", g.buy("FEXT-1800", "Fork extension sleeve 1800 mm", "加长货叉套 1800 毫米", "pc", 15, 165).ID, 2, "has(attachments, fork_ext) and fork_length <= 1200")
	g.add("FL-TRUCK", g.buy("FEXT-2100", "Fork extension sleeve 2100 mm", "加长货叉套 2100 毫米", "pc", 15, 190).ID, 2, "has(attachments, fork_ext) and fork_length >= 1300")
	kit := g.phantom("KIT-HOSE-ATT", "Attachment hose and coupling kit", "属具软管及快换接头套件")
	g.hoses(p, kit.ID, 8, 2, "")
	g.add(kit.ID, g.buy("QC-COUPLING-08", "Quick coupling DN8 pair", "快换接头 DN8 一对", "pc", 12, 24), 1, "")
	g.add("FL-TRUCK", kit.ID, "hydraulic_functions - 2", "hydraulic_functions > 2")
}

// ---------------------------------------------------------------- lights, safety, cabin comfort

func (g *gen) lightsAndSafety() {
	lights := []struct {
		val, id, en, zh string
		qty             int
		ex              bool
		cost            float64
	}{
		{"led_front", "LIGHT-LED-FRONT", "LED work light front", "前 LED 工作灯", 2, true, 48},
		{"led_rear", "LIGHT-LED-REAR", "LED work light rear", "后 LED 工作灯", 1, true, 44},
		{"beacon", "BEACON-LED", "Rotating beacon LED amber", "琥珀色 LED 旋转警示灯", 1, false, 39},
		{"strobe", "STROBE-LED", "Strobe light LED amber", "琥珀色 LED 频闪灯", 1, false, 42},
		{"blue_spot", "BLUESPOT-LED", "Blue spot light", "蓝光安全灯", 1, true, 61},
		{"red_zone", "REDZONE-LED", "Red zone light", "红色区域警示灯", 2, true, 58},
		{"reversing_light", "REVLIGHT-LED", "Reversing light LED", "LED 倒车灯", 1, true, 22},
		{"road_lights", "ROADLIGHT-KIT", "Road lighting kit (head, tail, indicators)", "道路照明套件（前灯、尾灯、转向灯）", 1, false, 310},
	}
	for _, l := range lights {
		has := fmt.Sprintf("has(lights, %s)", l.val)
		g.buy(l.id, l.en, l.zh, "pc", g.r.between(10, 20), l.cost)
		if l.ex {
			g.buy(l.id+"-EX", l.en+", ATEX certified", l.zh+"（防爆认证）", "pc", 35, l.cost*4.5)
			g.add("FL-TRUCK", l.id, l.qty, and(has, "ex_protection = non_ex"))
			g.add("FL-TRUCK", l.id+"-EX", l.qty, and(has, "ex_protection != non_ex"))
		} else {
			g.add("FL-TRUCK", l.id, l.qty, has)
		}
	}
	safety := []struct {
		val, id, en, zh string
		cost            float64
	}{
		{"seatbelt_alarm", "SEATBELT-IL", "Seat belt with interlock switch and alarm", "带联锁开关和报警的安全带", 36},
		{"reversing_alarm", "BUZZER-REV", "Reversing buzzer 97 dB", "倒车蜂鸣器 97 分贝", 14},
		{"rear_camera", "CAM-REAR-KIT", "Rear-view camera kit", "后视摄像头套件", 260},
		{"fork_camera", "CAM-FORK-KIT", "Fork-tip camera kit with wireless link", "货叉摄像头套件（无线传输）", 410},
		{"radar", "RADAR-PED-KIT", "Pedestrian detection radar kit", "行人探测雷达套件", 1050},
		{"weight_display", "WEIGH-KIT", "Load weighing kit (pressure transducer)", "载荷称重套件（压力传感器）", 310},
		{"height_preselect", "HPS-KIT", "Lift height preselection kit (encoder)", "起升高度预选套件（编码器）", 640},
		{"speed_limiter", "SPEEDLIM-KIT", "Zone speed limiter kit", "区域限速套件", 290},
	}
	for _, s := range safety {
		g.add("FL-TRUCK", g.buy(s.id, s.en, s.zh, "pc", g.r.between(12, 30), s.cost).ID, 1, fmt.Sprintf("has(safety, %s)", s.val))
	}
	for _, h := range []struct {
		val, id, en, zh string
		cost            float64
	}{
		{"standard_horn", "HORN-STD", "Horn 12 V", "喇叭 12 伏", 9}, {"dual_tone", "HORN-DUAL", "Dual-tone horn 12 V", "双音喇叭 12 伏", 24}, {"loud_108db", "HORN-108DB", "Horn 108 dB", "高音喇叭 108 分贝", 38},
	} {
		g.add("FL-TRUCK", g.buy(h.id, h.en, h.zh, "pc", 10, h.cost).ID, 1, "horn = "+h.val)
	}
	g.add("FL-TRUCK", g.buy("EXTINGUISHER-2KG", "Fire extinguisher 2 kg with bracket", "2 千克灭火器带支架", "pc", 10, 42).ID, 1, "extinguisher")
}

func (g *gen) cabinComfort() {
	g.add("FL-TRUCK", g.buy("SEAT-VINYL", "Seat, vinyl, with seat switch", "人造革座椅带座椅开关", "pc", 20, 85).ID, 1, "seat = vinyl")
	g.change("FL-TRUCK", g.buy("SEAT-SUSP-MSG20", "Mechanical suspension seat MSG20", "机械减震座椅 MSG20", "pc", 20, 160).ID,
		g.buy("SEAT-SUSP-MSG65", "Mechanical suspension seat MSG65", "机械减震座椅 MSG65", "pc", 20, 172).ID, 1, "2027-03-01", "seat = suspension")
	g.add("FL-TRUCK", g.buy("SEAT-AIR-MSG75", "Air-suspension seat MSG75", "气囊减震座椅 MSG75", "pc", 25, 430).ID, 1, "seat = premium_air")
	g.add("FL-TRUCK", g.buy("SEAT-AIR-HEAT-MSG95", "Heated air-suspension seat MSG95", "加热气囊减震座椅 MSG95", "pc", 25, 560).ID, 1, "seat = heated_air")
	g.add("FL-TRUCK", g.buy("PEDAL-AUTO-KIT", "Pedal set, automotive layout", "汽车式踏板组", "pc", 15, 96).ID, 1, "pedal_layout = automotive")
	g.add("FL-TRUCK", g.buy("PEDAL-DUAL-KIT", "Pedal set, dual direction", "双向踏板组", "pc", 20, 188).ID, 1, "pedal_layout = dual_pedal")
}

// ---------------------------------------------------------------- fluids, paint, documentation

func (g *gen) fluidsPaintDocs(p *pools) {
	oils := []struct {
		val, id, en, zh string
		cost            float64
	}{
		{"standard_hlp", "OIL-HLP46", "Hydraulic oil HLP 46", "液压油 HLP 46", 2.6}, {"low_temp", "OIL-HVLP15", "Low-temperature hydraulic oil HVLP 15", "低温液压油 HVLP 15", 4.9},
		{"bio_oil", "OIL-HEES46", "Biodegradable hydraulic oil HEES 46", "可生物降解液压油 HEES 46", 7.4}, {"fire_resistant", "OIL-HFDU46", "Fire-resistant hydraulic fluid HFDU 46", "抗燃液压油 HFDU 46", 11.8},
	}
	for _, o := range oils {
		it := g.buy(o.id, o.en, o.zh, "l", 8, o.cost)
		it.LotPolicy, it.LotQty, it.SafetyStock = "foq", 1000, 400
		for _, gr := range groups {
			g.add("FL-TRUCK", o.id, 18*gr.weight, and("hydraulic_oil = "+o.val, gr.cond()))
		}
	}
	colours := []struct{ val, ral, en, zh string }{
		{"yellow", "1003", "signal yellow", "信号黄"}, {"orange", "2004", "pure orange", "纯橙"}, {"red", "3000", "flame red", "火焰红"},
		{"blue", "5017", "traffic blue", "交通蓝"}, {"green", "6018", "yellow green", "黄绿"}, {"grey", "7016", "anthracite", "煤灰"},
		{"white", "9016", "traffic white", "交通白"}, {"black", "9005", "jet black", "墨黑"}, {"custom_ral", "CUSTOM", "customer RAL colour", "客户指定 RAL 颜色"},
	}
	for _, c := range colours {
		id := "PAINT-RAL" + c.ral
		if c.ral == "CUSTOM" {
			id = "PAINT-CUSTOM"
		}
		it := g.buy(id, "Top coat "+c.en, "面漆 "+c.zh, "kg", map[bool]int{true: 15, false: 8}[c.ral == "CUSTOM"], 9.5)
		it.LotPolicy = "poq"
		it.LotQty = 10
		for _, gr := range groups {
			g.addScrap("FL-TRUCK", id, 6*gr.weight, 15, and("colour = "+c.val, gr.cond()))
		}
	}
	primer := g.buy("PRIMER-EPOXY", "Epoxy primer", "环氧底漆", "kg", 8, 6.8)
	primer.LotPolicy, primer.LotQty = "foq", 200
	for _, gr := range groups {
		g.addScrap("FL-TRUCK", primer.ID, 5*gr.weight, 15, gr.cond())
	}
	langs := map[string][2]string{"en": {"English", "英语"}, "de": {"German", "德语"}, "fr": {"French", "法语"}, "es": {"Spanish", "西班牙语"}, "it": {"Italian", "意大利语"}, "ru": {"Russian", "俄语"}, "zh": {"Chinese", "中文"}}
	for _, l := range []string{"en", "de", "fr", "es", "it", "ru", "zh"} {
		g.add("FL-TRUCK", g.buy("MAN-OP-"+strings.ToUpper(l), "Operator manual, "+langs[l][0], "使用说明书 "+langs[l][1], "pc", 5, 6.5).ID, 1, "manual_language = "+l)
	}
	for _, c := range []string{"t15", "t18", "t20", "t25", "t30", "t35", "t40", "t50"} {
		g.add("FL-TRUCK", g.buy("DECAL-LOADCHART-"+strings.ToUpper(c), "Load chart decal "+c[1:2]+"."+c[2:]+" t", "载荷曲线标牌 "+c[1:2]+"."+c[2:]+" 吨", "pc", 6, 3.2).ID, 1, "capacity = "+c)
	}
	for _, rg := range []struct{ val, code, en, zh string }{{"ce", "CE", "CE", "欧盟"}, {"ansi", "ANSI", "ANSI", "北美"}, {"gb", "GB", "GB", "中国"}} {
		kit := g.phantom("KIT-DECAL-"+rg.code, "Decal and nameplate kit "+rg.en, "标牌及铭牌套件 "+rg.zh)
		g.add(kit.ID, g.buy("NAMEPLATE-"+rg.code, "Nameplate "+rg.en, "铭牌 "+rg.zh, "pc", 6, 4.1).ID, 1, "")
		g.add(kit.ID, g.buy("DECAL-WARN-"+rg.code, "Warning decal set "+rg.en, "警示标贴组 "+rg.zh, "pc", 6, 7.5).ID, 1, "")
		switch rg.code {
		case "CE":
			g.add(kit.ID, g.buy("DOC-CE-DOC", "EU declaration of conformity", "欧盟符合性声明", "pc", 2, 0.5).ID, 1, "")
		case "ANSI":
			g.add(kit.ID, g.buy("LABEL-UL-TYPE", "UL type designation label", "UL 型式标签", "pc", 10, 5.5).ID, 1, "")
		case "GB":
			g.add(kit.ID, g.buy("PLATE-TSG", "TSG special equipment plate", "TSG 特种设备铭牌", "pc", 8, 6).ID, 1, "")
		}
		g.add(kit.ID, g.pick(p.ss), 4, "")
		g.add("FL-TRUCK", kit.ID, 1, "region = "+rg.val)
	}
}

// kits: cold store, explosion protection, corrosion, final assembly hardware.
func (g *gen) kits(p *pools) {
	cold := g.phantom("KIT-COLD", "Cold-store package", "冷库包")
	g.add(cold.ID, g.buy("COLD-HEATER-CTRL", "Controller compartment heater", "控制器舱加热器", "pc", 25, 140).ID, 1, "")
	g.add(cold.ID, g.buy("COLD-CONN-KIT", "Sealed connector kit, cold store", "冷库密封接插件套件", "pc", 20, 85).ID, 1, "")
	g.add(cold.ID, g.buy("GREASE-LT", "Low-temperature grease", "低温润滑脂", "kg", 8, 14).ID, 1.5, "")
	g.add(cold.ID, g.buy("MIRROR-HEATED", "Heated rear-view mirror", "加热后视镜", "pc", 20, 46).ID, 2, "")
	g.add(cold.ID, g.buy("COLD-SEAL-KIT", "Low-temperature seal kit", "低温密封件套件", "pc", 25, 120).ID, 1, "")
	g.add(cold.ID, g.buy("DECAL-COLD", "Cold-store decal", "冷库标识", "pc", 6, 1.5).ID, 1, "")
	g.add("FL-TRUCK", cold.ID, 1, "cold_store")
	for _, z := range []struct{ val, code, en, zh string }{{"zone2", "Z2", "ATEX zone 2", "防爆 2 区"}, {"zone22", "Z22", "ATEX zone 22", "防爆 22 区"}, {"zone1", "Z1", "ATEX zone 1", "防爆 1 区"}} {
		kit := g.phantom("KIT-EX-"+z.code, "Explosion protection kit "+z.en, "防爆套件 "+z.zh)
		g.add(kit.ID, g.buy("EX-ENCLOSURE-"+z.code, "Ex enclosure set for controllers "+z.en, "控制器防爆壳体组 "+z.zh, "pc", 40, map[string]float64{"Z2": 2100, "Z22": 1800, "Z1": 4200}[z.code]).ID, 1, "")
		g.add(kit.ID, g.buy("EX-TEMP-MON-"+z.code, "Surface temperature monitor "+z.en, "表面温度监测 "+z.zh, "pc", 35, 380).ID, 1, "")
		g.add(kit.ID, g.buy("EX-CERT-"+z.code, "ATEX certificate and marking "+z.en, "防爆合格证及标识 "+z.zh, "pc", 10, 650).ID, 1, "")
		g.add(kit.ID, g.buy("EX-FORKSLEEVE-BRASS", "Brass-clad fork sleeve (spark-free)", "黄铜包覆货叉套（防火花）", "pc", 30, 240).ID, 2, "load_backrest != none")
		if z.code != "Z22" {
			g.add(kit.ID, g.buy("EX-GAS-DETECT", "Gas detector with shutdown", "带断电功能的气体探测器", "pc", 35, 1150).ID, 1, "")
		} else {
			g.add(kit.ID, g.buy("EX-DUST-SEALS", "Dust-tight seal kit", "防尘密封套件", "pc", 25, 260).ID, 1, "")
		}
		g.add(kit.ID, g.buy("EX-ANTISTATIC-STRAP", "Antistatic earthing strap", "防静电接地带", "pc", 10, 18).ID, 1, "")
		g.add("FL-TRUCK", kit.ID, 1, "ex_protection = "+z.val)
	}
	corr := g.phantom("KIT-CORROSION", "Corrosion protection kit", "防腐套件")
	g.add(corr.ID, g.buy("WAX-CAVITY", "Cavity wax", "空腔蜡", "l", 8, 9).ID, 2, "")
	g.add(corr.ID, g.buy("CONN-SEALED-KIT", "Sealed connector upgrade", "密封接插件升级套件", "pc", 20, 65).ID, 1, "")
	for i := 0; i < 3; i++ {
		g.add(corr.ID, p.ss[g.r.intn(len(p.ss))], 8, "")
	}
	g.add("FL-TRUCK", corr.ID, 1, "corrosion_protection")
	hw := g.phantom("KIT-HW-FINAL", "Final assembly hardware kit", "总装紧固件套件")
	g.fasteners(p, hw.ID, 16, 8, "")
	g.fasteners(p, hw.ID, 12, 12, "")
	g.fasteners(p, hw.ID, 10, 16, "")
	g.fasteners(p, hw.ID, 20, 6, "")
	g.add(hw.ID, g.pick(p.pins), 4, "")
	g.add(hw.ID, "CABLETIE-200", 40, "")
	g.add("FL-TRUCK", hw.ID, 1, "")
}

func (g *gen) truckRouting() {
	t := "FL-TRUCK"
	g.op(t, "PAINT-LINE", 0.5, 2.5, "", "Prime and paint frame, counterweight, guard")
	g.op(t, "PAINT-LINE", 1.5, 0.8, "colour = custom_ral", "Colour change and paint match for customer RAL")
	g.op(t, "ASSY-FINAL", 0.5, 2.0, "", "Marry frame, drive unit and steer axle")
	g.op(t, "ASSY-FINAL", 0.3, 1.4, "mast in {duplex, duplex_ffl}", "Fit mast and tilt cylinders, connect hydraulics")
	g.altOp(t, "ASSY-FINAL", 0.5, 2.2, "mast in {triplex, quad}", "Fit multi-stage mast with crane, connect hydraulics and hose reel")
	g.op(t, "ASSY-FINAL", 0.2, 0.8, "", "Install battery, hydraulics and electrics; fill oil")
	g.op(t, "ASSY-FINAL", 0.3, 1.5, "cabin != roof_guard", "Fit cabin, connect wipers and heater")
	g.op(t, "ASSY-FINAL", 0.3, 0.9, "count(attachments) > 0", "Fit and adjust attachments")
	g.op(t, "TEST-FUNC", 0.3, 1.0, "", "End-of-line test: drive, lift, brakes, stability")
	g.op(t, "TEST-COLD", 1.0, 3.0, "cold_store", "Cold chamber test at -30 °C")
	g.op(t, "INSP-QC", 1.0, 4.0, "ex_protection != non_ex", "ATEX inspection, marking and certificate")
	g.op(t, "INSP-QC", 0.5, 1.0, "region = gb", "TSG special equipment factory inspection")
	g.op(t, "INSP-QC", 0.2, 0.6, "", "Final inspection and documents")
	g.op(t, "PACK", 0.2, 0.5, "delivery != cif", "Prepare for shipment")
	g.altOp(t, "PACK", 0.5, 1.5, "delivery = cif", "Seaworthy packing, wax and container lashing")
}
