package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ctoplan/ctoplan/configurator"
)

// planningDate is the "today" of the demo plant.
const planningDate = "2026-12-01"

const dateLayout = "2006-01-02"

func mustDate(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dayBefore(s string) string { return mustDate(s).AddDate(0, 0, -1).Format(dateLayout) }

// Chinese public holidays (non-working) and make-up working days on
// weekends. 2026: the State Council schedule. 2027: estimated from the lunar
// calendar (Spring Festival on 6 February 2027); replace with the official
// schedule when it is published.
var (
	holidays = []string{
		"2026-01-01", "2026-01-02", "2026-01-03",
		"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
		"2026-04-04", "2026-04-05", "2026-04-06",
		"2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
		"2026-06-19", "2026-06-20", "2026-06-21",
		"2026-09-25", "2026-09-26", "2026-09-27",
		"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07",
		"2027-01-01", "2027-01-02", "2027-01-03",
		"2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12", "2027-02-13",
		"2027-04-03", "2027-04-04", "2027-04-05",
		"2027-05-01", "2027-05-02", "2027-05-03", "2027-05-04", "2027-05-05",
		"2027-06-09",
		"2027-09-15",
		"2027-10-01", "2027-10-02", "2027-10-03", "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07",
	}
	makeupDays = []string{
		"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
		"2027-02-20", "2027-04-25", "2027-05-08", "2027-09-26", "2027-10-09",
	}
)

// calendar returns rows date,working for every day of 2026 and 2027.
func calendar() [][]string {
	off := map[string]bool{}
	for _, d := range holidays {
		off[d] = true
	}
	on := map[string]bool{}
	for _, d := range makeupDays {
		on[d] = true
	}
	var rows [][]string
	for d := mustDate("2026-01-01"); d.Year() < 2028; d = d.AddDate(0, 0, 1) {
		s := d.Format(dateLayout)
		working := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		if off[s] {
			working = false
		}
		if on[s] {
			working = true
		}
		w := "0"
		if working {
			w = "1"
		}
		rows = append(rows, []string{s, w})
	}
	return rows
}

// order is one sales order of configured trucks: the model defaults with
// some characteristics changed.
type order struct {
	id, due  string
	qty      int
	priority int
	set      map[string]string // single, int, bool
	multi    map[string][]string
}

// salesOrders are the plant's open sales orders for trucks. SO-26-1187 is
// the story's order of 100 identical trucks for a European importer.
var salesOrders = []order{
	{id: "SO-26-1187", due: "2027-03-12", qty: 100, priority: 1,
		set: map[string]string{"capacity": "t25", "mast": "triplex", "lift_height": "4500", "free_lift": "full",
			"battery": "lfp", "voltage": "v48", "battery_ah": "500", "charger": "fast", "tyres": "non_marking",
			"cabin": "half", "seat": "premium_air", "display": "colour_display", "telematics": "fleet",
			"access_control": "rfid", "warranty": "w36", "service_plan": "preventive", "region": "ce",
			"manual_language": "de", "delivery": "cif", "corrosion_protection": "true", "colour": "orange"},
		multi: map[string][]string{"attachments": {"sideshift"}, "lights": {"led_front", "blue_spot"},
			"safety": {"seatbelt_alarm", "rear_camera"}}},
	{id: "SO-26-1150", due: "2027-01-22", qty: 4, priority: 2,
		set: map[string]string{"capacity": "t20", "cold_store": "true", "cabin": "heated", "hydraulic_oil": "low_temp",
			"corrosion_protection": "true", "seat": "heated_air", "battery": "lfp", "voltage": "v48", "battery_ah": "400",
			"region": "ce", "manual_language": "en", "colour": "blue"},
		multi: map[string][]string{"attachments": {"sideshift"}, "lights": {"led_front", "led_rear"},
			"safety": {"seatbelt_alarm"}}},
	{id: "SO-26-1162", due: "2027-02-26", qty: 2, priority: 2,
		set: map[string]string{"capacity": "t30", "ex_protection": "zone2", "voltage": "v80", "battery_ah": "700",
			"extinguisher": "true", "manual_language": "de", "region": "ce", "fork_carriage": "class3"},
		multi: map[string][]string{"attachments": {"sideshift"}, "lights": {"led_front"},
			"safety": {"seatbelt_alarm", "reversing_alarm"}}},
	{id: "SO-26-1171", due: "2027-03-26", qty: 6, priority: 2,
		set: map[string]string{"capacity": "t50", "mast": "triplex", "lift_height": "5000", "free_lift": "full",
			"voltage": "v80", "battery_ah": "900", "wheelbase": "long", "battery_exchange": "side_extraction",
			"drive": "dual_ac", "fork_carriage": "class4", "fork_length": "1500", "tyres": "pneumatic",
			"hydraulic_functions": "4", "region": "ansi", "delivery": "fca", "warranty": "w24"},
		multi: map[string][]string{"attachments": {"sideshift", "positioner"}, "lights": {"led_front", "strobe"},
			"safety": {"seatbelt_alarm", "reversing_alarm"}}},
	{id: "SO-27-0003", due: "2027-02-19", qty: 12, priority: 3,
		set: map[string]string{"capacity": "t18", "chassis": "three_wheel", "drive": "dual_ac", "wheelbase": "short",
			"voltage": "v24", "battery_ah": "400", "tyres": "non_marking", "region": "gb", "manual_language": "zh",
			"delivery": "dap", "colour": "grey"},
		multi: map[string][]string{"attachments": {"sideshift"}, "lights": {"led_front"},
			"safety": {"seatbelt_alarm"}}},
	{id: "SO-27-0011", due: "2027-03-05", qty: 3, priority: 2,
		set: map[string]string{"capacity": "t35", "mast": "duplex_ffl", "lift_height": "3500", "free_lift": "full",
			"voltage": "v80", "fork_carriage": "class3", "counterweight": "heavy", "hydraulic_functions": "4",
			"region": "ce", "manual_language": "fr", "colour": "red"},
		multi: map[string][]string{"attachments": {"sideshift", "rotator"}, "lights": {"led_front", "beacon"},
			"safety": {"seatbelt_alarm"}}},
	{id: "SO-27-0020", due: "2027-04-09", qty: 1, priority: 3,
		set: map[string]string{"capacity": "t20", "mast": "quad", "lift_height": "7000", "free_lift": "full",
			"dual_front": "true", "forward_tilt": "reduced", "display": "colour_display", "controls": "fingertip",
			"battery": "lfp", "voltage": "v48", "battery_ah": "500", "charger": "onboard", "region": "ce",
			"manual_language": "it"},
		multi: map[string][]string{"attachments": {"sideshift"}, "lights": {"led_front", "red_zone"},
			"safety": {"seatbelt_alarm", "fork_camera"}}},
	{id: "SO-27-0034", due: "2027-04-23", qty: 8, priority: 3,
		set: map[string]string{"tyres": "cushion", "region": "ansi", "manual_language": "es"},
		multi: map[string][]string{"attachments": {"sideshift"}, "lights": {"led_front", "reversing_light"},
			"safety": {"seatbelt_alarm", "reversing_alarm"}}},
}

// spareOrders are demands for service parts: plain items, no configuration.
var spareOrders = []struct {
	id, item, due string
	qty           int
}{
	{"SP-26-0311", "FORK-C3-1200-STD", "2026-12-18", 20},
	{"SP-26-0312", "TYRE-SE-23x9-10", "2027-01-15", 40},
	{"SP-27-0004", "STR-CYL-B", "2027-01-29", 5},
	{"SP-27-0009", "HARN-BATT-48", "2027-02-26", 10},
}

// configuration builds the full configuration of o over the model's defaults.
func (o order) configuration(m *configurator.Model) (configurator.Configuration, error) {
	cfg := configurator.Configuration{}
	for _, c := range m.Chars {
		if len(c.Default) > 0 {
			cfg[c.Name] = append([]string(nil), c.Default...)
		}
	}
	for k, v := range o.set {
		if m.Char(k) == nil {
			return nil, fmt.Errorf("order %s: unknown characteristic %q", o.id, k)
		}
		cfg[k] = []string{v}
	}
	for k, v := range o.multi {
		if m.Char(k) == nil {
			return nil, fmt.Errorf("order %s: unknown characteristic %q", o.id, k)
		}
		cfg[k] = append([]string(nil), v...)
	}
	for _, c := range m.Chars {
		if len(cfg[c.Name]) == 0 && !(c.Kind == configurator.Single && c.Optional) && c.Kind != configurator.Multi {
			return nil, fmt.Errorf("order %s: no value for %s", o.id, c.Name)
		}
	}
	bad, err := m.Violations(cfg)
	if err != nil {
		return nil, fmt.Errorf("order %s: %v", o.id, err)
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("order %s: configuration breaks %s", o.id, strings.Join(bad, ", "))
	}
	return cfg, nil
}

// configString writes cfg as char=value pairs separated by ';' in model
// order; a multi-valued characteristic repeats its name once per value.
func configString(m *configurator.Model, cfg configurator.Configuration) string {
	var parts []string
	for _, c := range m.Chars {
		vals := cfg[c.Name]
		if c.Kind == configurator.Multi {
			dom := map[string]int{}
			for i, v := range c.Values {
				dom[v.Name] = i
			}
			vals = append([]string(nil), vals...)
			sort.Slice(vals, func(i, j int) bool { return dom[vals[i]] < dom[vals[j]] })
		}
		for _, v := range vals {
			parts = append(parts, c.Name+"="+v)
		}
	}
	return strings.Join(parts, ";")
}

func (g *gen) demands(m *configurator.Model) ([][]string, error) {
	var rows [][]string
	for _, o := range salesOrders {
		cfg, err := o.configuration(m)
		if err != nil {
			return nil, err
		}
		rows = append(rows, []string{o.id, "FL-TRUCK", fmt.Sprint(o.qty), o.due, fmt.Sprint(o.priority), configString(m, cfg)})
	}
	configured := g.configured()
	for _, s := range spareOrders {
		if !g.has(s.item) || configured[s.item] {
			return nil, fmt.Errorf("spare order %s: %s is not a plain item", s.id, s.item)
		}
		rows = append(rows, []string{s.id, s.item, fmt.Sprint(s.qty), s.due, "3", ""})
	}
	return rows, nil
}

// stock gives on-hand quantities: most standard parts, some long-lead
// purchased parts, a few sub-assemblies from earlier production.
func (g *gen) stock() [][]string {
	var rows [][]string
	configured := g.configured()
	for _, it := range g.items {
		var q int
		switch {
		case it.Kind == "phantom" || configured[it.ID]:
			continue
		case it.Kind == "buy" && (it.LotPolicy == "foq" && it.UOM == "pc"):
			q = 100 * g.r.between(2, 40)
		case it.Kind == "buy" && (it.UOM == "kg" || it.UOM == "l"):
			q = 50 * g.r.between(4, 120)
		case it.Kind == "buy" && it.UOM == "mm":
			q = 1000 * g.r.between(0, 60)
		case it.Kind == "buy" && it.UOM == "m":
			q = 10 * g.r.between(5, 80)
		case it.Kind == "buy":
			if g.r.intn(3) == 0 {
				continue
			}
			q = g.r.between(0, 30)
		default:
			if g.r.intn(6) != 0 {
				continue
			}
			q = g.r.between(1, 8)
		}
		if q == 0 {
			continue
		}
		rows = append(rows, []string{it.ID, fmt.Sprint(q)})
	}
	return rows
}

// configured returns the items whose content depends on the configuration
// (a line with a condition or a formula, here or below): they are built to
// order and never stocked or ordered as plain items.
func (g *gen) configured() map[string]bool {
	kids := map[string][]Line{}
	for _, l := range g.lines {
		kids[l.Parent] = append(kids[l.Parent], l)
	}
	memo := map[string]bool{}
	var dep func(id string) bool
	dep = func(id string) bool {
		if v, ok := memo[id]; ok {
			return v
		}
		memo[id] = false
		v := g.byID[id].Model != ""
		for _, o := range g.ops {
			if o.Item == id && o.Cond != "" {
				v = true
			}
		}
		for _, l := range kids[id] {
			if l.Cond != "" || !isNumber(l.Qty) || dep(l.Component) {
				v = true
			}
		}
		memo[id] = v
		return v
	}
	out := map[string]bool{}
	for _, it := range g.items {
		if dep(it.ID) {
			out[it.ID] = true
		}
	}
	return out
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// receipts gives open purchase and production orders due in the coming
// weeks: the fixed ones below, and purchase orders for long-lead parts the
// open sales orders need.
func (g *gen) receipts(needed map[string]bool) [][]string {
	fixed := [][]string{
		{"PO-26-4401", "CWT-CAST-T25-STD", "30", "2026-12-10", "purchase"},
		{"PO-26-4402", "MOT-TRAC-48V-11KW", "40", "2026-12-18", "purchase"},
		{"PO-26-4403", "MOD-LFP-8S100", "300", "2027-01-15", "purchase"},
		{"PO-26-4404", "PROFILE-MAST-B-OUTER", "60000", "2026-12-22", "purchase"},
		{"PO-26-4405", "FORK-C2-1200-STD", "100", "2026-12-16", "purchase"},
		{"PO-26-4406", "CHG-FAST-48-300A", "25", "2027-01-20", "purchase"},
		{"PO-26-4407", "TYRE-NM-23x9-10", "120", "2027-01-08", "purchase"},
		{"MO-26-0912", "HARN-MAIN-B4W", "20", "2026-12-08", "production"},
		{"MO-26-0913", "STR-AXLE-B", "10", "2026-12-11", "production"},
		{"MO-26-0914", "FRM-WLD-B1T", "15", "2026-12-15", "production"},
		{"MO-26-0915", "TILTCYL-B", "24", "2026-12-17", "production"},
	}
	configured := g.configured()
	var rows [][]string
	taken := map[string]bool{}
	for _, r := range fixed {
		if !g.has(r[1]) || configured[r[1]] {
			panic("forkliftgen: receipt for " + r[1] + ", which is not a plain item")
		}
		rows = append(rows, r)
		taken[r[1]] = true
	}
	var buys []*Item
	for _, it := range g.items {
		if it.Kind == "buy" && it.UOM == "pc" && it.LeadTime >= 15 && needed[it.ID] && !taken[it.ID] {
			buys = append(buys, it)
		}
	}
	start := mustDate(planningDate)
	for i := 0; i < 25 && len(buys) > 0; i++ {
		k := g.r.intn(len(buys))
		it := buys[k]
		buys = append(buys[:k], buys[k+1:]...)
		due := start.AddDate(0, 0, g.r.between(20, 80))
		for due.Weekday() == time.Saturday || due.Weekday() == time.Sunday {
			due = due.AddDate(0, 0, 1)
		}
		rows = append(rows, []string{fmt.Sprintf("PO-26-%04d", 4500+i), it.ID, fmt.Sprint(10 * g.r.between(1, 12)), due.Format(dateLayout), "purchase"})
	}
	return rows
}

// needed returns the items the open sales orders' trucks are built from.
func (g *gen) needed(m *configurator.Model) (map[string]bool, error) {
	res, err := newResolver(g, m)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, o := range salesOrders {
		cfg, err := o.configuration(m)
		if err != nil {
			return nil, err
		}
		seen, err := res.reach("FL-TRUCK", cfg, planningDate)
		if err != nil {
			return nil, fmt.Errorf("order %s: %v", o.id, err)
		}
		for id := range seen {
			out[id] = true
		}
	}
	return out, nil
}
