package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// The plant data (the MRP's transactional inputs) lives in the store, one
// key per record, so that a net change writes only what it changed, in the
// same transaction:
//
//	server/plant/meta              JSON plantMeta (planning date, horizon)
//	server/plant/calendar          JSON map date -> working
//	server/plant/demand/<id>       JSON storedDemand (item as ordered, configuration)
//	server/plant/receipt/<id>      JSON mrp.Receipt
//	server/plant/stock/<item>      decimal quantity
//	server/plant/firm/<order>      JSON mrp.FirmOrder (a firm planned order)
//
// The plan itself is derived: it is recomputed (regenerative, milliseconds
// for the demo plant) when the server starts and when the master data
// changed, and kept current by net change otherwise.
const (
	pPlant    = "server/plant/"
	pMeta     = pPlant + "meta"
	pCalendar = pPlant + "calendar"
	pDemand   = pPlant + "demand/"
	pReceipt  = pPlant + "receipt/"
	pStock    = pPlant + "stock/"
	pFirm     = pPlant + "firm/"
)

type plantMeta struct {
	Start      time.Time `json:"start"`
	Horizon    int       `json:"horizon"`
	TimeZone   string    `json:"time_zone,omitempty"`
	ShiftStart string    `json:"shift_start,omitempty"`
}

type storedDemand struct {
	mrp.Demand
	Config configurator.Configuration `json:"config,omitempty"`
}

// loadPlant reads the stored plant data; ok is false when there is none.
func loadPlant(ctx context.Context, db kv.DB) (pl *mrp.Plant, meta plantMeta, ok bool, err error) {
	pl = newPlant()
	err = db.View(ctx, func(txn kv.Txn) error {
		b, err := txn.Get([]byte(pMeta))
		if err == kv.ErrNotFound {
			return nil
		}
		if err != nil {
			return err
		}
		ok = true
		if err := json.Unmarshal(b, &meta); err != nil {
			return fmt.Errorf("server: stored plant metadata: %w", err)
		}
		if b, err := txn.Get([]byte(pCalendar)); err == nil {
			if err := json.Unmarshal(b, &pl.Days); err != nil {
				return fmt.Errorf("server: stored calendar: %w", err)
			}
		}
		err = kv.ScanPrefix(txn, []byte(pDemand), func(k, v []byte) error {
			var d storedDemand
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("server: stored demand %s: %w", k, err)
			}
			pl.Demands = append(pl.Demands, d.Demand)
			if d.Config != nil {
				pl.Configs[d.ID] = d.Config
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = kv.ScanPrefix(txn, []byte(pReceipt), func(k, v []byte) error {
			var r mrp.Receipt
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("server: stored receipt %s: %w", k, err)
			}
			pl.Receipts = append(pl.Receipts, r)
			return nil
		})
		if err != nil {
			return err
		}
		err = kv.ScanPrefix(txn, []byte(pFirm), func(k, v []byte) error {
			var f mrp.FirmOrder
			if err := json.Unmarshal(v, &f); err != nil {
				return fmt.Errorf("server: stored firm planned order %s: %w", k, err)
			}
			pl.Firm = append(pl.Firm, f)
			return nil
		})
		if err != nil {
			return err
		}
		return kv.ScanPrefix(txn, []byte(pStock), func(k, v []byte) error {
			q, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil {
				return fmt.Errorf("server: stored stock %s: %w", k, err)
			}
			pl.Stock[string(k[len(pStock):])] = q
			return nil
		})
	})
	return pl, meta, ok, err
}

func newPlant() *mrp.Plant {
	return &mrp.Plant{Stock: map[string]int64{}, Configs: map[string]configurator.Configuration{},
		Days: map[time.Time]bool{}, Rows: map[string]string{}}
}

// savePlant replaces all stored plant data with pl.
func savePlant(txn kv.Txn, pl *mrp.Plant, meta plantMeta) error {
	var old [][]byte
	err := kv.ScanPrefix(txn, []byte(pPlant), func(k, _ []byte) error {
		old = append(old, append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range old {
		if err := txn.Delete(k); err != nil {
			return err
		}
	}
	if err := putJSON(txn, pMeta, meta); err != nil {
		return err
	}
	if err := putJSON(txn, pCalendar, pl.Days); err != nil {
		return err
	}
	for _, d := range pl.Demands {
		if err := putDemand(txn, d, pl.Configs[d.ID]); err != nil {
			return err
		}
	}
	for _, r := range pl.Receipts {
		if err := putJSON(txn, pReceipt+r.ID, r); err != nil {
			return err
		}
	}
	for _, f := range pl.Firm {
		if err := putJSON(txn, pFirm+f.ID, f); err != nil {
			return err
		}
	}
	for item, q := range pl.Stock {
		if err := txn.Set([]byte(pStock+item), strconv.AppendInt(nil, q, 10)); err != nil {
			return err
		}
	}
	return nil
}

func putDemand(txn kv.Txn, d mrp.Demand, cfg configurator.Configuration) error {
	return putJSON(txn, pDemand+d.ID, storedDemand{Demand: d, Config: cfg})
}

func putJSON(txn kv.Txn, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return txn.Set([]byte(key), b)
}
