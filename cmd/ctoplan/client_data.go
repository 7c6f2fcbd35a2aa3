package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

// masterFiles are the BOM master-data CSV files, in import order;
// plantFiles the MRP's plant data.
var (
	masterFiles = []string{"items.csv", "bom.csv", "routings.csv", "workcenters.csv"}
	plantFiles  = []string{"stock.csv", "demands.csv", "receipts.csv", "firm.csv", "calendar.csv", "capacity_exceptions.csv"}
	// Their kinds on the wire.
	masterKinds = map[string]bomv1.MasterFile{"items.csv": bomv1.MasterFile_MASTER_FILE_ITEMS, "bom.csv": bomv1.MasterFile_MASTER_FILE_BOM,
		"routings.csv": bomv1.MasterFile_MASTER_FILE_ROUTINGS, "workcenters.csv": bomv1.MasterFile_MASTER_FILE_WORK_CENTERS}
	plantKinds = map[string]mrpv1.PlantFile{"stock.csv": mrpv1.PlantFile_PLANT_FILE_STOCK, "demands.csv": mrpv1.PlantFile_PLANT_FILE_DEMANDS,
		"receipts.csv": mrpv1.PlantFile_PLANT_FILE_RECEIPTS, "calendar.csv": mrpv1.PlantFile_PLANT_FILE_CALENDAR,
		"capacity_exceptions.csv": mrpv1.PlantFile_PLANT_FILE_CAPACITY_EXCEPTIONS}
)

// dataSet is a directory of demo or plant data: product models (*.ctm,
// or feature models: *.uvl, *.dimacs, *.cnf, *.xml),
// master-data CSVs and plant CSVs.
type dataSet struct {
	fsys fs.FS
	dir  string // for messages: file names are shown as dir/name
}

func dirData(dir string) dataSet { return dataSet{fsys: os.DirFS(dir), dir: dir} }

func (d dataSet) name(file string) string {
	if d.dir == "" {
		return file
	}
	return filepath.Join(d.dir, file)
}

func (d dataSet) read(file string) (string, bool, error) {
	b, err := fs.ReadFile(d.fsys, file)
	if err != nil {
		if os.IsNotExist(err) || strings.Contains(err.Error(), "file does not exist") {
			return "", false, nil
		}
		return "", false, err
	}
	return string(b), true, nil
}

// models returns the model files of the set, by name: .ctm, and feature
// or XML models (.uvl, .dimacs, .cnf, .xml), stored as .ctm.
func (d dataSet) models() ([]string, error) {
	var ms []string
	for _, pat := range []string{"*.ctm", "*.uvl", "*.dimacs", "*.cnf", "*.xml"} {
		m, err := fs.Glob(d.fsys, pat)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m...)
	}
	slices.Sort(ms)
	return ms, nil
}

// importRequest is the set's models and master-data CSVs as one BOM
// import, each file replacing its kind whole when replace is set; nil when
// the set has neither.
func (d dataSet) importRequest(replace bool) (*bomv1.ImportRequest, error) {
	req := &bomv1.ImportRequest{Replace: replace}
	files, err := d.models()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		src, _, err := d.read(f)
		if err != nil {
			return nil, err
		}
		req.Models = append(req.Models, &bomv1.ModelSource{Filename: d.name(f), Source: src})
	}
	for _, f := range masterFiles {
		text, ok, err := d.read(f)
		if err != nil {
			return nil, err
		}
		if ok {
			req.Csv = append(req.Csv, &bomv1.CSVFile{Name: d.name(f), Kind: masterKinds[f], Text: text})
		}
	}
	if len(req.Models) == 0 && len(req.Csv) == 0 {
		return nil, nil
	}
	return req, nil
}

// loadMaster imports the set's models and master-data CSVs in one BOM
// import (one transaction: a bad row stores none of the models either),
// each file replacing its kind whole when replace is set; it returns nil,
// nil when the set has neither.
func (d dataSet) loadMaster(ctx context.Context, b bomBackend, replace bool) (*bomv1.ImportResponse, error) {
	req, err := d.importRequest(replace)
	if err != nil || req == nil {
		return nil, err
	}
	return b.importData(ctx, req)
}

// loadData loads models and master data of dir into the backend, and its
// plant data when plan is set (imported as imp says: its planning date,
// horizon, time zone and shift start), logging what it loaded to the
// command's stderr.
func loadData(cmd *cobra.Command, cl *clients, dir string, plan bool, imp *mrpv1.ImportPlantRequest) error {
	if err := loadBOMData(cmd, remoteBOM{cl}, dir, true); err != nil {
		return err
	}
	if !plan {
		return nil
	}
	ctx := cmd.Context()
	d := dirData(dir)
	log := cmd.ErrOrStderr()
	stop := progress(log, "importing plant data and planning")
	pl, err := d.loadPlant(ctx, cl, imp)
	stop()
	if err != nil {
		return err
	}
	if pl == nil {
		return fmt.Errorf("%s: none of %s", dir, strings.Join(plantFiles, ", "))
	}
	r := pl.GetRun()
	plantLoaded(log, dir, int(pl.GetDemands()), int(pl.GetReceipts()), int(pl.GetFirm()), int(pl.GetStock()),
		int(r.GetItems()), r.GetDate(), int(r.GetPlannedOrders()), int(r.GetExceptions()), r.GetElapsedMs())
	return nil
}

// loadPlant imports the set's plant CSVs (plus extra demand rows to drop,
// by id) with imp's planning date, horizon, time zone and shift start (its
// files are the set's); it returns nil, nil when the set has none.
func (d dataSet) loadPlant(ctx context.Context, cl *clients, imp *mrpv1.ImportPlantRequest, skipDemands ...string) (*mrpv1.ImportPlantResponse, error) {
	req := &mrpv1.ImportPlantRequest{Date: imp.GetDate(), Horizon: imp.GetHorizon(), TimeZone: imp.GetTimeZone(), ShiftStart: imp.GetShiftStart()}
	for _, f := range plantFiles {
		text, ok, err := d.read(f)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if f == "demands.csv" && len(skipDemands) > 0 {
			text = dropRows(text, skipDemands)
		}
		req.Csv = append(req.Csv, &mrpv1.CSVFile{Name: d.name(f), Kind: plantKinds[f], Text: text})
	}
	if len(req.Csv) == 0 {
		return nil, nil
	}
	res, err := cl.mrp.ImportPlant(ctx, connect.NewRequest(req))
	if err != nil {
		return nil, readable(err)
	}
	// the shop floor's confirmations.csv, as a local run applies it
	if text, ok, err := d.read("confirmations.csv"); err != nil {
		return nil, err
	} else if ok {
		if _, err := cl.mrp.ConfirmOperations(ctx, connect.NewRequest(&mrpv1.ConfirmOperationsRequest{
			Csv: []*mrpv1.CSVFile{{Name: d.name("confirmations.csv"), Text: text}}})); err != nil {
			return nil, readable(err)
		}
	}
	return res.Msg, nil
}

// dropRows removes the CSV rows whose first field is one of ids. The rows
// after a dropped one keep their text; their row numbers in messages
// shift, which is why only the demo uses it.
func dropRows(text string, ids []string) string {
	lines := strings.SplitAfter(text, "\n")
	out := lines[:0]
	for i, l := range lines {
		first, _, _ := strings.Cut(l, ",")
		if i > 0 && slices.Contains(ids, strings.TrimSpace(first)) {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "")
}

// loadBOMData loads the models and master data of dir into b in one
// import, logging what it loaded to the command's stderr.
func loadBOMData(cmd *cobra.Command, b bomBackend, dir string, replace bool) error {
	d := dirData(dir)
	log := cmd.ErrOrStderr()
	req, err := d.importRequest(replace)
	if err != nil {
		return err
	}
	if req == nil {
		return fmt.Errorf("%s: no models (*.ctm, *.uvl, *.dimacs, *.cnf, *.xml) and none of %s", dir, strings.Join(masterFiles, ", "))
	}
	stop := progress(log, "importing models and master data from "+dir)
	res, err := b.importData(cmd.Context(), req)
	stop()
	if err != nil {
		return err
	}
	for _, ms := range req.GetModels() {
		// the server read the same text; this only describes it
		if m, err := configurator.Read(ms.GetFilename(), strings.NewReader(ms.GetSource())); err == nil {
			fmt.Fprintf(log, "model %s %s: %d characteristics, %d rules, %d tables\n", m.Name, m.Version, len(m.Chars), len(m.Rules), len(m.Tables))
		}
	}
	if len(req.GetCsv()) > 0 {
		fmt.Fprintf(log, "master data from %s: %d items, %d BOM lines, %d operations, %d work centers\n",
			dir, res.GetItems(), res.GetLines(), res.GetOperations(), res.GetWorkCenters())
	}
	return nil
}

// csvFile reads one named CSV file for an import request.
func csvFile(file string) (*bomv1.CSVFile, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	// No kind: the server takes it from the name's base ("items.csv").
	return &bomv1.CSVFile{Name: filepath.ToSlash(file), Text: string(b)}, nil
}
