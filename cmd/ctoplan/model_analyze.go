package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
)

func newModelAnalyzeCmd() *cobra.Command {
	var (
		format        string
		failOnInvalid bool
	)
	cmd := &cobra.Command{
		Use:   "analyze FILE",
		Short: "Propagate with nothing picked: core (forced) and dead values",
		Long: `Analyze loads a model (.ctm, .dimacs/.cnf or .uvl feature model, or .xml: XCSP 2.1 or FeatureIDE)
and propagates with nothing picked. "core" lists what every valid configuration
has (a boolean characteristic's name when it is forced true, else char=value),
"dead" what none has (a boolean's name when it can never be true, else
char=value).

A one-shot analyze keeps almost all it allocates until it exits, so it runs
with the Go garbage collector at GOGC=800 (fewer collections that would free
nothing) unless GOGC is set in the environment.

With --fail-on-invalid the run fails (exit status 1, after the output) when
the model has no valid configuration at all, e.g. as a CI gate.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			defer oneShotGC()()
			t0 := time.Now()
			m, err := configurator.LoadFile(args[0])
			if err != nil {
				return err
			}
			tLoad := time.Now()
			c, err := configurator.Compile(m)
			if err != nil {
				return modelFileError(args[0], err)
			}
			ctx, cancel := modelContext(cmd)
			defer cancel()
			t1 := time.Now()
			d, err := c.Propagate(ctx, nil)
			if err != nil {
				return err
			}
			elapsed := time.Since(t1)
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			res := analysis{Model: c.Model().Name, Valid: d.Valid, Conflict: toJSONConflict(d.Conflict),
				Chars: len(c.Model().Chars), Values: c.Stats().Values, Core: []string{}, Dead: []string{},
				ElapsedMS: ms(elapsed), LoadMS: ms(tLoad.Sub(t0)), CompileMS: ms(t1.Sub(tLoad)), TotalMS: ms(time.Since(t0))}
			chars := c.Model().Chars
			for i, cd := range d.Chars {
				// The domains come in the model's order: take the
				// characteristic by position when it is the one named
				// (Model.Char would build a name index for one pass).
				var ch *configurator.Characteristic
				if i < len(chars) && chars[i] != nil && chars[i].Name == cd.Char {
					ch = chars[i]
				} else {
					ch = c.Model().Char(cd.Char)
				}
				isBool := ch.Kind == configurator.Bool
				for _, v := range cd.Values {
					name := cd.Char + "=" + modelValueText(v.Value)
					if isBool {
						if v.Value != "true" {
							continue
						}
						name = cd.Char
					}
					switch v.Status {
					case configurator.Forced:
						res.Core = append(res.Core, name)
					case configurator.Excluded:
						res.Dead = append(res.Dead, name)
					}
				}
			}
			w := cmd.OutOrStdout()
			if err := writeAnalysis(w, format, &res, d.Conflict); err != nil {
				return err
			}
			if failOnInvalid && !res.Valid {
				return fmt.Errorf("model %s has no valid configuration: %s", res.Model, d.Conflict)
			}
			return nil
		},
	}
	addFormatFlag(cmd, &format)
	cmd.Flags().BoolVar(&failOnInvalid, "fail-on-invalid", false, "fail (exit status 1) when the model has no valid configuration, e.g. in CI")
	return cmd
}

// analysis is model analyze's result.
type analysis struct {
	Model    string        `json:"model"`
	Valid    bool          `json:"valid"`
	Conflict *jsonConflict `json:"conflict,omitempty"`
	Chars    int           `json:"chars"`
	Values   int           `json:"values"`
	Core     []string      `json:"core"`
	Dead     []string      `json:"dead"`
	// ElapsedMS is the propagation alone; LoadMS reading, parsing and
	// validating the file; CompileMS the encoding; TotalMS all three.
	ElapsedMS float64 `json:"elapsed_ms"`
	LoadMS    float64 `json:"load_ms"`
	CompileMS float64 `json:"compile_ms"`
	TotalMS   float64 `json:"total_ms"`
}

// writeAnalysis prints res in format (conflict: why an invalid model is).
func writeAnalysis(w io.Writer, format string, res *analysis, conflict fmt.Stringer) error {
	switch format {
	case "json":
		return writeJSON(w, res)
	case "csv":
		return writeCSV(w, [][]string{
			{"model", "valid", "chars", "values", "core", "dead", "elapsed_ms", "load_ms", "compile_ms", "total_ms"},
			{res.Model, strconv.FormatBool(res.Valid), strconv.Itoa(res.Chars), strconv.Itoa(res.Values),
				strings.Join(res.Core, " "), strings.Join(res.Dead, " "),
				msText(res.ElapsedMS), msText(res.LoadMS), msText(res.CompileMS), msText(res.TotalMS)},
		})
	}
	fmt.Fprintf(w, "model %s: %d characteristics, %d values\n", res.Model, res.Chars, res.Values)
	if !res.Valid {
		fmt.Fprintf(w, "valid: no (%s)\n", conflict)
	} else {
		fmt.Fprintf(w, "valid: yes\n")
	}
	fmt.Fprintf(w, "core (%d): %s\n", len(res.Core), strings.Join(res.Core, " "))
	fmt.Fprintf(w, "dead (%d): %s\n", len(res.Dead), strings.Join(res.Dead, " "))
	fmt.Fprintf(w, "elapsed: %.1f ms (load %.1f ms, compile %.1f ms; total %.1f ms)\n", res.ElapsedMS, res.LoadMS, res.CompileMS, res.TotalMS)
	return nil
}

// oneShotGCPercent is the GOGC of a one-shot model analyze. Nearly all it
// allocates (the model, its clauses, the solver) stays live until it
// exits, so at Go's default of 100 each collection marks the whole heap
// and frees almost nothing: a quarter of the command's CPU on FreeBSD
// (perf: mark workers 16%, mark assists 5%, sweeping 3%). At 800 the
// first collection comes at a 32-48 MB heap and the next at 9x what is
// live then: GC cycles per run went from 2 to 0 on FreeBSD, 3 to 0 on
// uClibc, 9 to 1 on Freetz. Unlike GOGC=off, garbage stays bounded by 8x
// the live heap; peak RSS on Freetz measured 123 MB at the default,
// 134 MB at 800, 150 MB with GC off.
const oneShotGCPercent = 800

// oneShotGC sets [oneShotGCPercent] unless the user set GOGC, and returns
// the function that restores the previous setting (the command also runs
// inside tests, several at once: the first to enter sets it, the last to
// leave restores it).
func oneShotGC() (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	oneShot.Lock()
	defer oneShot.Unlock()
	if oneShot.n == 0 {
		oneShot.old = debug.SetGCPercent(oneShotGCPercent)
	}
	oneShot.n++
	return func() {
		oneShot.Lock()
		defer oneShot.Unlock()
		if oneShot.n--; oneShot.n == 0 {
			debug.SetGCPercent(oneShot.old)
		}
	}
}

// oneShot counts the runs inside oneShotGC and keeps the setting to
// restore.
var oneShot struct {
	sync.Mutex
	n, old int
}
