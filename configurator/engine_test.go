package configurator_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// Queries on one Compiled from many goroutines give the answers they give
// one at a time (run under -race in CI).
func TestConcurrentQueries(t *testing.T) {
	c := loadCompiled(t, filepath.Join("..", "testdata", "forklift", "forklift.ctm"))
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 3))
	var seqs [][]configurator.Pick
	for range 12 {
		seqs = append(seqs, randomPicks(r, c.Model(), 1+r.IntN(4)))
	}
	want := make([]string, len(seqs))
	for i, p := range seqs {
		d, err := c.Propagate(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = fmt.Sprint(d.Valid, d.Chars)
	}
	fresh := cfgtune.FreshCopy(c)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range seqs {
				k := (i + g) % len(seqs)
				d, err := fresh.Propagate(ctx, seqs[k])
				if err != nil {
					errs <- err
					return
				}
				if got := fmt.Sprint(d.Valid, d.Chars); got != want[k] {
					errs <- fmt.Errorf("picks %v: concurrent answer differs", seqs[k])
				}
				if _, err := fresh.Check(ctx, seqs[k]); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// A query whose context is already done or expires returns the context's
// error instead of an answer.
func TestQueryHonoursContext(t *testing.T) {
	c := loadCompiled(t, filepath.Join("..", "testdata", "forklift", "forklift.ctm"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := cfgtune.FreshCopy(c).Propagate(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Propagate on a cancelled context: %v", err)
	}
	if _, err := c.Check(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Check on a cancelled context: %v", err)
	}
	dctx, dcancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer dcancel()
	if _, err := c.Complete(dctx, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Complete past its deadline: %v", err)
	}
}

func TestBadPicks(t *testing.T) {
	c := loadCompiled(t, filepath.Join("testdata", "engine", "bike.ctm"))
	ctx := context.Background()
	for _, p := range []configurator.Pick{{Char: "colour", Value: "red"}, {Char: "frame", Value: "wood"}, {Char: "frame", Value: ""}, {Char: "wheel", Value: "30"}} {
		if _, err := c.Check(ctx, []configurator.Pick{p}); !errors.Is(err, configurator.ErrBadPick) {
			t.Errorf("Check(%v): %v, want ErrBadPick", p, err)
		}
		if _, err := c.Propagate(ctx, []configurator.Pick{p}); !errors.Is(err, configurator.ErrBadPick) {
			t.Errorf("Propagate(%v): %v, want ErrBadPick", p, err)
		}
	}
	if _, err := c.Key(configurator.Configuration{"frame": {"alu"}}); !errors.Is(err, configurator.ErrBadPick) {
		t.Errorf("Key of a partial configuration: %v", err)
	}
	err := c.ValidateConfiguration(ctx, configurator.Configuration{"frame": {"carbon"}, "gears": {"g8"}, "brakes": {"rim"}, "wheel": {"28"}, "ebike": {"false"}})
	var ce *configurator.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, configurator.ErrInvalidConfiguration) || len(ce.Conflict.Picks) != 2 {
		t.Errorf("ValidateConfiguration: %v", err)
	}
}

func TestBadPickSuggestion(t *testing.T) {
	c := loadCompiled(t, filepath.Join("testdata", "engine", "bike.ctm"))
	_, err := c.Check(context.Background(), []configurator.Pick{{Char: "frame", Value: "carbn"}})
	if err == nil || err.Error() != `configurator: bad pick: pick frame=carbn: unknown value "carbn" for frame (did you mean "carbon"?)` {
		t.Errorf("got %v", err)
	}
	_, err = c.Check(context.Background(), []configurator.Pick{{Char: "fram", Value: "alu"}})
	if err == nil || !strings.Contains(err.Error(), `unknown characteristic "fram" (did you mean "frame"?)`) {
		t.Errorf("got %v", err)
	}
}

// Degenerate tables compile: an allowed table without rows allows nothing,
// a forbidden one without rows forbids nothing.
func TestEmptyTables(t *testing.T) {
	for _, kind := range []configurator.TableKind{configurator.Allowed, configurator.Forbidden} {
		m := &configurator.Model{Name: "m", Chars: []*configurator.Characteristic{
			{Name: "a", Kind: configurator.Bool},
		}, Tables: []*configurator.Table{{Name: "t", Kind: kind, Columns: []string{"a"}}}}
		for _, enc := range []cfgtune.TableEncoding{cfgtune.TableMDD, cfgtune.TableRows, cfgtune.TableMDDForward} {
			c, err := configurator.Compile(m, cfgtune.Option[configurator.Option](cfgtune.Knobs{Tables: enc}))
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.Check(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid != (kind == configurator.Forbidden) {
				t.Errorf("%v table without rows, encoding %d: valid %v", kind, enc, res.Valid)
			}
		}
	}
}

// An int value must be spelled as Domain spells it ("28", not "028" or
// "+28") in picks, configurations and keys, as Eval requires: a
// non-canonical spelling is an error naming the characteristic and the
// canonical spelling, never silently the same value.
func TestNonCanonicalIntSpelling(t *testing.T) {
	c := loadCompiled(t, filepath.Join("testdata", "engine", "bike.ctm"))
	ctx := context.Background()
	good := configurator.Configuration{"frame": {"alu"}, "gears": {"g8"}, "brakes": {"disc"}, "rack": {}, "extras": {}, "wheel": {"28"}, "ebike": {"false"}}
	if err := c.ValidateConfiguration(ctx, good); err != nil {
		t.Fatalf("canonical configuration: %v", err)
	}
	for _, v := range []string{"028", "+28", "0028"} {
		want := fmt.Sprintf(`value %q for wheel is not spelled canonically: write "28"`, v)
		p := []configurator.Pick{{Char: "wheel", Value: v}}
		for name, f := range map[string]func() error{
			"Check":     func() error { _, err := c.Check(ctx, p); return err },
			"Propagate": func() error { _, err := c.Propagate(ctx, p); return err },
			"Complete":  func() error { _, err := c.Complete(ctx, p); return err },
			"Explain":   func() error { _, err := c.Explain(ctx, nil, "wheel", v); return err },
			"Session": func() error {
				_, err := c.NewSession().Pick(ctx, p[0])
				return err
			},
		} {
			if err := f(); !errors.Is(err, configurator.ErrBadPick) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s with wheel=%s: %v, want ErrBadPick saying %s", name, v, err, want)
			}
		}
		cfg := configurator.Configuration{}
		for k, vs := range good {
			cfg[k] = vs
		}
		cfg["wheel"] = []string{v}
		if err := c.ValidateConfiguration(ctx, cfg); !errors.Is(err, configurator.ErrBadPick) || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateConfiguration with wheel=%s: %v", v, err)
		}
		if _, err := c.Key(cfg); !errors.Is(err, configurator.ErrBadPick) || !strings.Contains(err.Error(), want) {
			t.Errorf("Key with wheel=%s: %v", v, err)
		}
	}
}

// A table row too large for the MDD encoding falls back to the row
// encoding with every cell intact: the cells after the one that crossed
// MaxTableCells still restrict their columns.
func TestLargeRowKeepsItsCells(t *testing.T) {
	m := &configurator.Model{Name: "m", Chars: []*configurator.Characteristic{
		{Name: "a", Kind: configurator.Single, Values: []*configurator.Value{{Name: "x"}, {Name: "y"}, {Name: "z"}}},
		{Name: "b", Kind: configurator.Single, Values: []*configurator.Value{{Name: "x"}, {Name: "y"}, {Name: "z"}}},
		{Name: "c", Kind: configurator.Single, Values: []*configurator.Value{{Name: "x"}, {Name: "y"}, {Name: "z"}}},
	}, Tables: []*configurator.Table{{Name: "t", Kind: configurator.Allowed, Columns: []string{"a", "b", "c"}, Rows: []configurator.Row{
		{Cells: []configurator.Cell{{Any: true}, {Values: []string{"x", "y"}}, {Values: []string{"z"}}}},
	}}}}
	o := configurator.DefaultOptions()
	o.MaxTableCells = 2
	c, err := configurator.Compile(m, configurator.WithOptions(o))
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.Propagate(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"x", "y"} {
		if st, _ := d.Status("c", v); st != configurator.Excluded {
			t.Errorf("c=%s is %v, want excluded (the row allows only c=z)", v, st)
		}
	}
	if st, _ := d.Status("b", "z"); st != configurator.Excluded {
		t.Errorf("b=z is %v, want excluded", st)
	}
}

// TestOptionsValidate: zero Options are the defaults; negative bounds and
// too many solvers are refused by Validate and by Compile, naming the
// field; an engine knob outside its constants is refused too.
func TestOptionsValidate(t *testing.T) {
	if err := (configurator.Options{}).Validate(); err != nil {
		t.Fatalf("zero Options: %v", err)
	}
	if err := configurator.DefaultOptions().Validate(); err != nil {
		t.Fatalf("DefaultOptions: %v", err)
	}
	m, err := configurator.Parse("t.ctm", []byte("model t {\n  char a single {\n    value x\n    value y\n  }\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	// Zero options compile to the same encoding as the defaults.
	zero, err := configurator.Compile(m, configurator.WithOptions(configurator.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	def, err := configurator.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	if zero.Stats() != def.Stats() {
		t.Errorf("zero Options: stats %+v, defaults %+v", zero.Stats(), def.Stats())
	}
	for _, tc := range []struct {
		opts configurator.Options
		want string
	}{
		{configurator.Options{MaxDomain: -1}, "Options.MaxDomain is -1"},
		{configurator.Options{MaxTableCells: -5}, "Options.MaxTableCells is -5"},
		{configurator.Options{Solvers: -2}, "Options.Solvers is -2"},
		{configurator.Options{MaxClauses: -1}, "Options.MaxClauses is -1"},
		{configurator.Options{Solvers: configurator.MaxSolvers + 1}, "Options.Solvers is 257, at most 256"},
	} {
		err := tc.opts.Validate()
		if !errors.Is(err, configurator.ErrInvalidOptions) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: Validate = %v, want ErrInvalidOptions with %q", tc.opts, err, tc.want)
		}
		if _, err := configurator.Compile(m, configurator.WithOptions(tc.opts)); !errors.Is(err, configurator.ErrInvalidOptions) {
			t.Errorf("%+v: Compile = %v, want ErrInvalidOptions", tc.opts, err)
		}
	}
	if err := (configurator.Options{Solvers: configurator.MaxSolvers}).Validate(); err != nil {
		t.Errorf("Solvers = MaxSolvers: %v", err)
	}
	for _, k := range []cfgtune.Knobs{{Method: cfgtune.Chunked + 1}, {Method: -1}, {Tables: -1}, {AMO: 3}} {
		if _, err := configurator.Compile(m, cfgtune.Option[configurator.Option](k)); !errors.Is(err, configurator.ErrInvalidOptions) {
			t.Errorf("knobs %+v: Compile = %v, want ErrInvalidOptions", k, err)
		}
	}
}
