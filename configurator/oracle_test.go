package configurator_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// The oracle: brute-force enumeration of every configuration of small
// random models (modeltest.Solutions, validity by Model.Violations).

func satisfies(cfg configurator.Configuration, m *configurator.Model, p configurator.Pick) bool {
	vals := cfg[p.Char]
	var has bool
	if m.Char(p.Char).Kind == configurator.Multi {
		has = slices.Contains(vals, p.Value)
	} else if p.Value == "" {
		has = len(vals) == 0
	} else {
		has = len(vals) == 1 && vals[0] == p.Value
	}
	return has != p.Exclude
}

func extends(cfg configurator.Configuration, m *configurator.Model, picks []configurator.Pick) bool {
	for _, p := range picks {
		if !satisfies(cfg, m, p) {
			return false
		}
	}
	return true
}

func consistent(sols []configurator.Configuration, m *configurator.Model, picks []configurator.Pick) bool {
	for _, s := range sols {
		if extends(s, m, picks) {
			return true
		}
	}
	return false
}

// domainOf lists the values propagation reports for ch.
func domainOf(ch *configurator.Characteristic) []string {
	d := ch.Domain()
	if ch.Kind == configurator.Single && ch.Optional {
		d = append(d, "")
	}
	return d
}

func randomPicks(r *rand.Rand, m *configurator.Model, n int) []configurator.Pick {
	var picks []configurator.Pick
	for i := 0; i < n; i++ {
		ch := m.Chars[r.IntN(len(m.Chars))]
		d := domainOf(ch)
		if len(d) == 0 {
			continue
		}
		picks = append(picks, configurator.Pick{Char: ch.Name, Value: d[r.IntN(len(d))], Exclude: r.IntN(5) == 0})
	}
	return picks
}

// subModel keeps only the named rules and tables.
func subModel(m *configurator.Model, cons []configurator.Constraint) *configurator.Model {
	keep := map[string]bool{}
	for _, c := range cons {
		keep[c.Kind+"\x00"+c.Name] = true
	}
	s := *m
	s.Rules, s.Tables = nil, nil
	for _, r := range m.Rules {
		if keep["rule\x00"+r.Name] {
			s.Rules = append(s.Rules, r)
		}
	}
	for _, t := range m.Tables {
		if keep["table\x00"+t.Name] {
			s.Tables = append(s.Tables, t)
		}
	}
	return &s
}

// checkMinimal verifies that picks+fixed under only cons is inconsistent,
// and that dropping any pick or constraint makes it consistent.
func checkMinimal(t *testing.T, m *configurator.Model, picks []configurator.Pick, fixed []configurator.Pick, cons []configurator.Constraint) {
	t.Helper()
	all := append(slices.Clone(picks), fixed...)
	if consistent(modeltest.Solutions(subModel(m, cons)), m, all) {
		t.Fatalf("reason %v + %v is consistent", picks, cons)
	}
	full := modeltest.Solutions(subModel(m, cons))
	for i := range picks {
		rest := append(slices.Clone(picks[:i]), picks[i+1:]...)
		if !consistent(full, m, append(rest, fixed...)) {
			t.Fatalf("reason not minimal: dropping pick %v keeps it inconsistent", picks[i])
		}
	}
	for i := range cons {
		rest := append(slices.Clone(cons[:i]), cons[i+1:]...)
		if !consistent(modeltest.Solutions(subModel(m, rest)), m, all) {
			t.Fatalf("reason not minimal: dropping %v keeps it inconsistent", cons[i])
		}
	}
}

func oracleModels(t *testing.T, n int, f func(t *testing.T, r *rand.Rand, m *configurator.Model, c *configurator.Compiled, sols []configurator.Configuration)) {
	if raceEnabled || testing.Short() {
		n /= 3
	}
	for seed := 0; seed < n; seed++ {
		r := rand.New(rand.NewPCG(uint64(seed), 1))
		m := modeltest.Random(r, modeltest.Options{})
		for _, opts := range [][]configurator.Option{nil, {cfgtune.Option[configurator.Option](cfgtune.Knobs{Tables: cfgtune.TableRows, AMO: cfgtune.AMOLadder}), configurator.WithOptions(configurator.Options{Solvers: 2})}, {cfgtune.Option[configurator.Option](cfgtune.Knobs{Tables: cfgtune.TableMDDForward})}} {
			c, err := configurator.Compile(m, opts...)
			if err != nil {
				t.Fatalf("seed %d: compile: %v\n%s", seed, err, modeltest.Dump(m))
			}
			sols := modeltest.Solutions(m)
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				defer func() {
					if t.Failed() {
						t.Logf("model:\n%s", configurator.Format(m))
					}
				}()
				f(t, r, m, c, sols)
			})
			if t.Failed() {
				return
			}
		}
	}
}

func TestOracleCheckPropagate(t *testing.T) {
	ctx := context.Background()
	oracleModels(t, 600, func(t *testing.T, r *rand.Rand, m *configurator.Model, c *configurator.Compiled, sols []configurator.Configuration) {
		for round := 0; round < 4; round++ {
			picks := randomPicks(r, m, round)
			want := consistent(sols, m, picks)
			res, err := c.Check(ctx, picks)
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid != want {
				t.Fatalf("Check(%v) = %v, want %v", picks, res.Valid, want)
			}
			if !res.Valid {
				checkMinimal(t, m, res.Conflict.Picks, nil, res.Conflict.Constraints)
			}
			d, err := c.Propagate(ctx, picks)
			if err != nil {
				t.Fatal(err)
			}
			if d.Valid != want {
				t.Fatalf("Propagate(%v).Valid = %v, want %v", picks, d.Valid, want)
			}
			if !want {
				continue
			}
			checkDomains(t, m, sols, picks, d)
		}
	})
}

// checkDomains fails t unless d, the propagation of the valid picks,
// agrees with exhaustive enumeration (sols are all configurations of m).
func checkDomains(t *testing.T, m *configurator.Model, sols []configurator.Configuration, picks []configurator.Pick, d *configurator.Domains) {
	t.Helper()
	for _, ch := range m.Chars {
		for _, v := range domainOf(ch) {
			p := configurator.Pick{Char: ch.Name, Value: v}
			in := consistent(sols, m, append(slices.Clone(picks), p))
			p.Exclude = true
			out := consistent(sols, m, append(slices.Clone(picks), p))
			st, ok := d.Status(ch.Name, v)
			if !ok {
				t.Fatalf("no status for %s=%q", ch.Name, v)
			}
			var wantSt configurator.Status
			switch {
			case !in:
				wantSt = configurator.Excluded
			case slices.Contains(picks, configurator.Pick{Char: ch.Name, Value: v}):
				wantSt = configurator.Selected
			case !out:
				wantSt = configurator.Forced
			default:
				wantSt = configurator.Possible
			}
			if st != wantSt {
				t.Fatalf("picks %v: %s=%q is %v, want %v", picks, ch.Name, v, st, wantSt)
			}
		}
	}
}

// Models of tables only (no rules, no multi-valued characteristics) are
// where propagation rotates its models without the solver: with nothing
// picked and after picks in a session (which reuses the rotated models),
// on the MDD and the row encodings and on two solvers, the domains agree
// with enumeration.
func TestOracleTablesOnly(t *testing.T) {
	ctx := context.Background()
	n := 400
	if raceEnabled || testing.Short() {
		n /= 4
	}
	opts := modeltest.Options{NoRules: true, MaxTables: 4, MaxRows: 6,
		Kinds: []configurator.CharKind{configurator.Single, configurator.Bool, configurator.Int}}
	for seed := range n {
		r := rand.New(rand.NewPCG(uint64(seed), 5))
		m := modeltest.Random(r, opts)
		sols := modeltest.Solutions(m)
		for _, o := range [][]configurator.Option{nil, {cfgtune.Option[configurator.Option](cfgtune.Knobs{Tables: cfgtune.TableRows})}, {configurator.WithOptions(configurator.Options{Solvers: 2})}} {
			c, err := configurator.Compile(m, o...)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			s := c.NewSession()
			for round := range 3 {
				if round > 0 {
					sd, err := s.Pick(ctx, randomPicks(r, m, 1)[0])
					if err != nil {
						t.Fatal(err)
					}
					if !sd.Valid {
						break // the session keeps its picks
					}
				}
				picks := s.Picks()
				d, err := c.Propagate(ctx, picks)
				if err != nil {
					t.Fatal(err)
				}
				if d.Valid != consistent(sols, m, picks) {
					t.Fatalf("seed %d: picks %v: valid %v\n%s", seed, picks, d.Valid, configurator.Format(m))
				}
				if !d.Valid {
					break
				}
				checkDomains(t, m, sols, picks, d)
				if sd := s.Domains(); sd != nil && fmt.Sprint(sd.Chars) != fmt.Sprint(d.Chars) {
					t.Fatalf("seed %d: picks %v: session and Propagate differ", seed, picks)
				}
			}
		}
	}
}

func TestOracleExplainComplete(t *testing.T) {
	ctx := context.Background()
	oracleModels(t, 300, func(t *testing.T, r *rand.Rand, m *configurator.Model, c *configurator.Compiled, sols []configurator.Configuration) {
		picks := randomPicks(r, m, r.IntN(3))
		valid := consistent(sols, m, picks)
		cfg, err := c.Complete(ctx, picks)
		if !valid {
			if err == nil {
				t.Fatalf("Complete(%v) succeeded on invalid picks", picks)
			}
			return
		}
		if err != nil {
			t.Fatalf("Complete(%v): %v", picks, err)
		}
		if bad, err := m.Violations(cfg); err != nil || bad != nil {
			t.Fatalf("Complete(%v) = %v: violations %v, %v", picks, cfg, bad, err)
		}
		if !extends(cfg, m, picks) {
			t.Fatalf("Complete(%v) = %v does not honour the picks", picks, cfg)
		}
		if err := c.ValidateConfiguration(ctx, cfg); err != nil {
			t.Fatalf("ValidateConfiguration(Complete) = %v", err)
		}
		if want := greedyComplete(m, sols, picks); normalized(cfg) != normalized(want) {
			t.Fatalf("Complete(%v) = %v, the greedy preference order gives %v", picks, cfg, want)
		}
		again, err := c.Complete(ctx, picks)
		if err != nil || fmt.Sprint(again) != fmt.Sprint(cfg) {
			t.Fatalf("Complete not deterministic: %v then %v (%v)", cfg, again, err)
		}
		// Explain one excluded and one forced value, if any.
		d, err := c.Propagate(ctx, picks)
		if err != nil {
			t.Fatal(err)
		}
		for _, cd := range d.Chars {
			for _, v := range cd.Values {
				if v.Status != configurator.Excluded && v.Status != configurator.Forced {
					continue
				}
				e, err := c.Explain(ctx, picks, cd.Char, v.Value)
				if err != nil {
					t.Fatal(err)
				}
				if e.Status != v.Status {
					t.Fatalf("Explain(%s=%q).Status = %v, Propagate says %v", cd.Char, v.Value, e.Status, v.Status)
				}
				fixed := configurator.Pick{Char: cd.Char, Value: v.Value, Exclude: v.Status == configurator.Forced}
				checkMinimal(t, m, e.Picks, []configurator.Pick{fixed}, e.Constraints)
			}
		}
	})
}

func TestOracleValidateKey(t *testing.T) {
	ctx := context.Background()
	oracleModels(t, 150, func(t *testing.T, r *rand.Rand, m *configurator.Model, c *configurator.Compiled, sols []configurator.Configuration) {
		keys := map[string]string{}
		n := 0
		modeltest.Enumerate(m, func(cfg configurator.Configuration) bool {
			n++
			if n > 200 {
				return false
			}
			bad, err := m.Violations(cfg)
			if err != nil {
				t.Fatal(err)
			}
			err = c.ValidateConfiguration(ctx, cfg)
			if (err == nil) != (bad == nil) {
				t.Fatalf("ValidateConfiguration(%v) = %v, violations %v", cfg, err, bad)
			}
			if err != nil {
				var ce *configurator.ConflictError
				if !asConflict(err, &ce) {
					t.Fatalf("ValidateConfiguration error %v is not a ConflictError", err)
				}
			}
			k, err := c.Key(cfg)
			if err != nil {
				t.Fatal(err)
			}
			// Same configuration with values reversed: same key.
			rev := configurator.Configuration{}
			for name, vs := range cfg {
				vs = slices.Clone(vs)
				slices.Reverse(vs)
				rev[name] = vs
			}
			k2, err := c.Key(rev)
			if err != nil || k2 != k {
				t.Fatalf("Key not order-independent: %v %v", k, k2)
			}
			if prev, dup := keys[k]; dup {
				t.Fatalf("key collision: %v and %s", cfg, prev)
			}
			keys[k] = fmt.Sprint(cfg)
			return true
		})
	})
}

// greedyComplete is Complete's definition by brute force: among the
// solutions that extend picks, take the characteristics in model order and
// keep, for each, those with its first preferred value that some of them
// have (default, then none for an optional one, then domain order; for a
// multi-valued one, value by value, in the default or not).
func greedyComplete(m *configurator.Model, sols []configurator.Configuration, picks []configurator.Pick) configurator.Configuration {
	var cands []configurator.Configuration
	for _, s := range sols {
		if extends(s, m, picks) {
			cands = append(cands, s)
		}
	}
	keep := func(f func(configurator.Configuration) bool) bool {
		var out []configurator.Configuration
		for _, s := range cands {
			if f(s) {
				out = append(out, s)
			}
		}
		if len(out) == 0 {
			return false
		}
		cands = out
		return true
	}
	for _, ch := range m.Chars {
		if ch.Kind == configurator.Multi {
			for _, v := range ch.Domain() {
				pref := slices.Contains(ch.Default, v)
				keep(func(s configurator.Configuration) bool { return slices.Contains(s[ch.Name], v) == pref })
			}
			continue
		}
		var order []string
		if len(ch.Default) == 1 {
			order = append(order, ch.Default[0])
		}
		if ch.Kind == configurator.Single && ch.Optional {
			order = append(order, "")
		}
		order = append(order, ch.Domain()...)
		for _, v := range order {
			if keep(func(s configurator.Configuration) bool {
				if v == "" {
					return len(s[ch.Name]) == 0
				}
				return len(s[ch.Name]) == 1 && s[ch.Name][0] == v
			}) {
				break
			}
		}
	}
	return cands[0]
}

// normalized prints a configuration with each characteristic's values
// sorted.
func normalized(cfg configurator.Configuration) string {
	out := map[string][]string{}
	for k, vs := range cfg {
		vs = slices.Clone(vs)
		slices.Sort(vs)
		out[k] = vs
	}
	return fmt.Sprint(out)
}
