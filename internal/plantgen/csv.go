package plantgen

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// WriteCSV writes a generated plant as the CSV files an ERP export gives
// (docs/csv-format.md) into dir, which must exist: items.csv, bom.csv,
// routings.csv and workcenters.csv (master data: each work center sized
// to its load at [Utilization], see [WorkCenters]) and stock.csv,
// demands.csv and receipts.csv (plant data). `ctoplan mrp run --data dir
// --date D` plans it, D being the plant's Calendar.Start.
//
// Planning items carry only what the CSV files can say: lead times in whole
// days, lot policies with their costs, safety stock, component scrap and
// assembly scrap. Phantom items are blown through on import: the imported
// plan has no phantom orders, and stock the generator put on a phantom is
// left out (a plant's data may not stock a phantom; planned directly, it
// covers part of the phantom's requirements), so the components of such a
// phantom plan more.
func WriteCSV(dir string, in *mrp.Input) error {
	w := &csvDir{dir: dir}
	w.file("items.csv", func(b *bufio.Writer) {
		b.WriteString("item,description,uom,kind,lead_time_days,unit_cost,lot_policy,lot_qty,min_qty,max_qty,multiple,safety_stock,scrap_pct,setup_cost,holding_cost\n")
		for _, it := range in.Items {
			kind := map[mrp.Kind]string{mrp.Make: "make", mrp.Buy: "buy", mrp.Phantom: "phantom"}[it.Kind]
			policy, lotQty := "lfl", ""
			var setup, holding string
			switch l := it.Lot; l.Policy {
			case mrp.FixedQty:
				policy, lotQty = "foq", itoa(l.Qty)
			case mrp.PeriodQty:
				policy, lotQty = "poq", strconv.Itoa(l.Periods)
			case mrp.WagnerWhitin:
				policy, setup, holding = "ww", ftoa(l.SetupCost), ftoa(l.HoldingCost)
			}
			fmt.Fprintf(b, "%s,%s,pc,%s,%d,1,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", it.ID, it.ID, kind, it.LeadTime, policy, lotQty,
				opt(it.Lot.Min), opt(it.Lot.Max), opt(it.Lot.Multiple), opt(it.SafetyStock), optf(it.ScrapPct), setup, holding)
		}
	})
	w.file("bom.csv", func(b *bufio.Writer) {
		b.WriteString("parent,component,qty_per,scrap_pct\n")
		for _, it := range in.Items {
			for _, c := range it.Components {
				fmt.Fprintf(b, "%s,%s,%s,%s\n", it.ID, c.Item, ftoa(c.QtyPer), optf(c.ScrapPct))
			}
		}
	})
	w.file("routings.csv", func(b *bufio.Writer) {
		b.WriteString("item,op_seq,work_center,setup_hours,run_hours_per_unit\n")
		for _, it := range in.Items {
			for _, o := range it.Operations {
				fmt.Fprintf(b, "%s,%d,%s,%s,%s\n", it.ID, o.Seq, o.WorkCenter, ftoa(o.SetupHours), ftoa(o.RunHours))
			}
		}
	})
	wcs, err := WorkCenters(in, Utilization)
	if err != nil {
		return err
	}
	w.file("workcenters.csv", func(b *bufio.Writer) {
		b.WriteString("work_center,rate_per_hour,capacity_hours_per_day,units\n")
		for _, wc := range wcs {
			fmt.Fprintf(b, "%s,60,%s,%d\n", wc.ID, ftoa(wc.HoursPerDay), wc.Units)
		}
	})
	w.file("stock.csv", func(b *bufio.Writer) {
		b.WriteString("item,qty\n")
		for _, it := range in.Items { // item order: the same file for the same plant
			if q, ok := in.Stock[it.ID]; ok && it.Kind != mrp.Phantom {
				fmt.Fprintf(b, "%s,%d\n", it.ID, q)
			}
		}
	})
	w.file("demands.csv", func(b *bufio.Writer) {
		b.WriteString("id,item,qty,due_date,priority,forecast\n")
		for _, d := range in.Demands {
			fc := ""
			if d.Forecast {
				fc = "true"
			}
			fmt.Fprintf(b, "%s,%s,%d,%s,%d,%s\n", d.ID, d.Item, d.Qty, d.Due.Format(time.DateOnly), d.Priority, fc)
		}
	})
	w.file("receipts.csv", func(b *bufio.Writer) {
		b.WriteString("id,item,qty,due_date,kind\n")
		for _, r := range in.Receipts {
			fmt.Fprintf(b, "%s,%s,%d,%s,%s\n", r.ID, r.Item, r.Qty, r.Due.Format(time.DateOnly), r.Kind)
		}
	})
	return w.err
}

type csvDir struct {
	dir string
	err error
}

func (w *csvDir) file(name string, fill func(*bufio.Writer)) {
	if w.err != nil {
		return
	}
	f, err := os.Create(filepath.Join(w.dir, name))
	if err != nil {
		w.err = fmt.Errorf("plantgen: %w", err)
		return
	}
	b := bufio.NewWriterSize(f, 1<<16)
	fill(b)
	if err := errors.Join(b.Flush(), f.Close()); err != nil {
		w.err = fmt.Errorf("plantgen: %s: %w", name, err)
	}
}

func itoa(q int64) string { return strconv.FormatInt(q, 10) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// opt prints a quantity, leaving 0 (none) empty.
func opt(q int64) string {
	if q == 0 {
		return ""
	}
	return itoa(q)
}

func optf(f float64) string {
	if f == 0 {
		return ""
	}
	return ftoa(f)
}
