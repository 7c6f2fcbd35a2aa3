package server_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"connectrpc.com/connect"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/kv"
)

// failDB is a kv.DB whose transactions fail a Set of a key starting with
// the armed prefix (no failure while the prefix is empty).
type failDB struct {
	kv.DB
	prefix atomic.Pointer[string]
}

var errInjected = errors.New("injected write failure")

func (d *failDB) arm(prefix string) { d.prefix.Store(&prefix) }

func (d *failDB) Update(ctx context.Context, fn func(kv.Txn) error) error {
	return d.DB.Update(ctx, func(txn kv.Txn) error { return fn(failTxn{txn, d}) })
}

type failTxn struct {
	kv.Txn
	d *failDB
}

func (t failTxn) Set(k, v []byte) error {
	if p := t.d.prefix.Load(); p != nil && *p != "" && bytes.HasPrefix(k, []byte(*p)) {
		return errInjected
	}
	return t.Txn.Set(k, v)
}

// dump is every key and value in db.
func dump(t *testing.T, db kv.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := db.View(context.Background(), func(txn kv.Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameStore(t *testing.T, before, after map[string]string) {
	t.Helper()
	for k, v := range before {
		if w, ok := after[k]; !ok {
			t.Errorf("key %q gone", k)
		} else if w != v {
			t.Errorf("key %q changed", k)
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("key %q added", k)
		}
	}
}

// TestPutModelOneTransaction replaces a model the BOM uses while one of
// its two writes (the model's text, the master-data revision) fails: the
// store must be unchanged and the old model still served; without a
// failure both change, and the model is stored once.
func TestPutModelOneTransaction(t *testing.T) {
	v2 := strings.Replace(tinyModel, `version "1"`, `version "2"`, 1)
	for _, prefix := range []string{"bom/model/", "bom/meta"} {
		t.Run(prefix, func(t *testing.T) {
			db := &failDB{DB: kv.NewMemory()}
			e := startOn(t, db, true)
			p := protocols[1]
			importTiny(t, e, p)
			before := dump(t, db)
			db.arm(prefix)
			_, err := e.configurator(p).PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: v2}))
			if !errors.Is(err, errInjected) && (err == nil || !strings.Contains(err.Error(), errInjected.Error())) {
				t.Fatalf("PutModel with a failing %s write: %v, want the injected failure", prefix, err)
			}
			sameStore(t, before, dump(t, db))
			db.arm("")
			res, err := e.configurator(p).GetModel(context.Background(), connect.NewRequest(&configuratorv1.GetModelRequest{Name: "tiny"}))
			if err != nil {
				t.Fatal(err)
			}
			if v := res.Msg.GetModel().GetVersion(); v != "1" {
				t.Errorf("after the failed PutModel the server serves version %q, want 1", v)
			}
			if _, err := e.configurator(p).PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: v2})); err != nil {
				t.Fatal(err)
			}
			after := dump(t, db)
			if k := "bom/model/tiny"; !strings.Contains(after[k], `version \"2\"`) {
				t.Errorf("%s after PutModel: %q, want version 2", k, after[k])
			}
			onlyBOMModelKeys(t, after)
			if before["bom/meta"] == after["bom/meta"] {
				t.Errorf("bom/meta unchanged by a new text of a model the BOM uses: %s", after["bom/meta"])
			}
		})
	}
}

// onlyBOMModelKeys fails when a model is stored anywhere but in the BOM
// store's registry (bom/model/): models have one owner.
func onlyBOMModelKeys(t *testing.T, kvs map[string]string) {
	t.Helper()
	for k := range kvs {
		if strings.Contains(k, "model/") && !strings.HasPrefix(k, "bom/model/") {
			t.Errorf("model stored under %q, outside bom/model/", k)
		}
	}
}

// TestImportModelsOneTransaction imports a BOM with a model the server
// does not know while one of the import's writes fails (the first, one in
// the middle, the model's text written last): the model must not be stored
// either, nor anything else.
func TestImportModelsOneTransaction(t *testing.T) {
	for _, prefix := range []string{"bom/meta", "bom/item/", "bom/model/"} {
		t.Run(prefix, func(t *testing.T) {
			db := &failDB{DB: kv.NewMemory()}
			e := startOn(t, db, true)
			p := protocols[1]
			before := dump(t, db)
			db.arm(prefix)
			req := &bomv1.ImportRequest{
				Csv:    []*bomv1.CSVFile{{Name: "items.csv", Text: tinyItems}, {Name: "bom.csv", Text: tinyBOM}},
				Models: []*bomv1.ModelSource{{Filename: "tiny.ctm", Source: tinyModel}},
			}
			if _, err := e.bom(p).Import(context.Background(), connect.NewRequest(req)); err == nil || !strings.Contains(err.Error(), errInjected.Error()) {
				t.Fatalf("Import with a failing %s write: %v, want the injected failure", prefix, err)
			}
			sameStore(t, before, dump(t, db))
			_, err := e.configurator(p).GetModel(context.Background(), connect.NewRequest(&configuratorv1.GetModelRequest{Name: "tiny"}))
			if connect.CodeOf(err) != connect.CodeNotFound {
				t.Fatalf("GetModel after the failed import: %v, want NotFound", err)
			}
			db.arm("")
			if _, err := e.bom(p).Import(context.Background(), connect.NewRequest(req)); err != nil {
				t.Fatal(err)
			}
			after := dump(t, db)
			if after["bom/model/tiny"] == "" || after["bom/item/TRUCK"] == "" {
				t.Fatalf("after the import: bom/model/tiny %q, bom/item/TRUCK %q", after["bom/model/tiny"], after["bom/item/TRUCK"])
			}
			onlyBOMModelKeys(t, after)
			if _, err := e.configurator(p).GetModel(context.Background(), connect.NewRequest(&configuratorv1.GetModelRequest{Name: "tiny"})); err != nil {
				t.Fatalf("GetModel after the import: %v", err)
			}
		})
	}
}

// TestLibraryModelsServed: a model imported through the library (bom.Store
// on the same DB) is what the configurator service answers with, and a
// model put through the service is what a library Store reads: there is
// one registry.
func TestLibraryModelsServed(t *testing.T) {
	ctx := context.Background()
	db := kv.NewMemory()
	bs, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	d, err := bom.ReadCSV("items.csv", bom.ItemsFile, strings.NewReader(tinyItems))
	if err != nil {
		t.Fatal(err)
	}
	m, err := configurator.Parse("tiny.ctm", []byte(tinyModel))
	if err != nil {
		t.Fatal(err)
	}
	if err := bs.Import(ctx, d, map[string]*configurator.Model{"tiny": m}); err != nil {
		t.Fatal(err)
	}
	e := startOn(t, db, true)
	c := e.configurator(protocols[1])
	res, err := c.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: "tiny",
		Picks: []*configuratorv1.Pick{{Char: "mast", Value: "triplex"}}}))
	if err != nil {
		t.Fatalf("Propagate on a model the library imported: %v", err)
	}
	found := false
	for _, ch := range res.Msg.GetChars() {
		// The rule triplex_capacity: a triplex mast needs t25.
		if ch.GetChar() == "capacity" {
			found = true
			if fmt.Sprint(ch.GetForced()) != "[t25]" {
				t.Errorf("capacity after mast=triplex: forced %v, want [t25]", ch.GetForced())
			}
		}
	}
	if !found {
		t.Errorf("Propagate answered no domain for capacity: %v", res.Msg)
	}
	v2 := strings.Replace(tinyModel, `version "1"`, `version "2"`, 1)
	if _, err := c.PutModel(ctx, connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: v2})); err != nil {
		t.Fatal(err)
	}
	bs2, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	sm, err := bs2.StoredModel(ctx, "tiny")
	if err != nil || sm.Model().Version != "2" || bs2.Revision() != 2 {
		t.Fatalf("library after PutModel through the service: %v, revision %d", err, bs2.Revision())
	}
	onlyBOMModelKeys(t, dump(t, db))
}

// TestImportReplace: with replace set, each kind the request gives
// replaces the stored one whole (a line and an item deleted from the
// files go; given as messages too); without it the import merges.
func TestImportReplace(t *testing.T) {
	ctx := context.Background()
	db := kv.NewMemory()
	e := startOn(t, db, true)
	c := e.bom(protocols[1])
	full := &bomv1.ImportRequest{
		Csv:    []*bomv1.CSVFile{{Name: "items.csv", Text: tinyItems}, {Name: "bom.csv", Text: tinyBOM}},
		Models: []*bomv1.ModelSource{{Filename: "tiny.ctm", Source: tinyModel}},
	}
	if _, err := c.Import(ctx, connect.NewRequest(full)); err != nil {
		t.Fatal(err)
	}
	// the chain goes: no mast takes it any more
	noChainItems := strings.Replace(tinyItems, "CHAIN,Chain,pc,buy,10,12.5,\n", "", 1)
	noChainBOM := strings.Replace(strings.Replace(tinyBOM, "MAST-D,CHAIN,2,,,0010\n", "", 1), "MAST-T,CHAIN,3,,,0010\n", "", 1)
	merge := &bomv1.ImportRequest{Csv: []*bomv1.CSVFile{{Name: "bom.csv", Text: noChainBOM}}}
	if _, err := c.Import(ctx, connect.NewRequest(merge)); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, db); after["bom/bom/MAST-D"] == "" {
		t.Fatal("a merging import dropped MAST-D's line (its parent has no line in the file)")
	}
	replace := &bomv1.ImportRequest{Replace: true, Csv: []*bomv1.CSVFile{{Name: "items.csv", Text: noChainItems}, {Name: "bom.csv", Text: noChainBOM}}}
	if _, err := c.Import(ctx, connect.NewRequest(replace)); err != nil {
		t.Fatal(err)
	}
	after := dump(t, db)
	for _, k := range []string{"bom/bom/MAST-D", "bom/bom/MAST-T", "bom/item/CHAIN"} {
		if after[k] != "" {
			t.Errorf("after the replace, %s is still stored: %s", k, after[k])
		}
	}
	if after["bom/item/TRUCK"] == "" || after["bom/bom/FRAME"] == "" {
		t.Error("the replace dropped what it gave")
	}
	// as messages: the items given replace the items whole
	msgs := &bomv1.ImportRequest{Replace: true, Items: []*bomv1.Item{{Id: "STEEL", Description: "Steel plate", Uom: "kg", Kind: bomv1.ItemKind_ITEM_KIND_BUY, LeadTimeDays: 5}}}
	if _, err := c.Import(ctx, connect.NewRequest(msgs)); connect.CodeOf(err) != connect.CodeInvalidArgument || !strings.Contains(err.Error(), "unknown item") {
		t.Errorf("items replaced by one that the kept BOM lines do not name alone: %v, want InvalidArgument naming the unknown item", err)
	}
}
