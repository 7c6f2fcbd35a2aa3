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

// Plant data and plan are owned by an mrp.Store (mrp/... keys, see
// mrp/store.go). Servers before it kept the plant data one record per key
// under server/plant/ and rebuilt the plan on start; migratePlant moves such
// data into the store once:
//
//	server/plant/meta              JSON plantMeta (planning date, horizon)
//	server/plant/calendar          JSON map date -> working
//	server/plant/demand/<id>       JSON storedDemand (item as ordered, configuration)
//	server/plant/receipt/<id>      JSON mrp.Receipt
//	server/plant/stock/<item>      decimal quantity
//	server/plant/firm/<order>      JSON mrp.FirmOrder (a firm planned order)
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
		Days: map[time.Time]bool{}}
}

// migratePlant plans plant data of the earlier layout into a new
// mrp.Store and deletes it. A plan that cannot be built now (say the
// master data lacks an item) leaves the old data as it was, logged.
func (s *Server) migratePlant(ctx context.Context) error {
	pl, meta, ok, err := loadPlant(ctx, s.db)
	if err != nil || !ok {
		return err
	}
	if err := s.rebuild(ctx, pl, mrp.LoadOptions{Start: meta.Start, Horizon: meta.Horizon, TimeZone: meta.TimeZone, ShiftStart: meta.ShiftStart}); err != nil {
		s.log.Error("plant data of an earlier version not planned; import the plant again", "err", err)
		return nil
	}
	return s.db.Update(ctx, func(txn kv.Txn) error {
		var old [][]byte
		if err := kv.ScanPrefix(txn, []byte(pPlant), func(k, _ []byte) error {
			old = append(old, append([]byte(nil), k...))
			return nil
		}); err != nil {
			return err
		}
		for _, k := range old {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}
