package benchmarks

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// Header is the table's header row.
var Header = []string{"operation", "size", "ours", "baseline", "ratio", "target", "met?", "allocs/op"}

// Row returns the table row of r, in the columns of Header.
func (r *Result) Row() []string {
	row := []string{r.Op, r.Size, "", "", "", "", "", ""}
	var ts []string
	for _, t := range r.Targets {
		ts = append(ts, t.String())
	}
	row[5] = strings.Join(ts, ", ")
	switch {
	case r.Skipped != "":
		row[2] = "skipped: " + r.Skipped
		return row
	case r.Err != "":
		row[2] = "FAILED: " + r.Err
		row[6] = "FAILED"
		return row
	}
	row[2] = r.figure("", r.Ours)
	if r.BaselineName != "" {
		row[3] = r.figure("baseline ", r.Baseline) + " (" + r.BaselineName + ")"
		if !math.IsNaN(r.Ratio) {
			row[4] = formatValue(r.Ratio) + "x"
		}
	}
	if len(r.Targets) > 0 {
		row[6] = "no"
		if r.AllMet() {
			row[6] = "yes"
		}
	}
	if a, ok := r.Metrics["allocs/op"]; ok {
		row[7] = formatValue(a)
		if b, ok := r.Metrics["baseline allocs/op"]; ok {
			row[7] += " / " + formatValue(b)
		}
	}
	return row
}

// figure prints the metric with its p99 when one was reported.
func (r *Result) figure(prefix string, v float64) string {
	s := formatValue(v) + " " + r.Metric
	if p, ok := r.Metrics[prefix+r.Metric+"-p99"]; ok {
		s += " (p99 " + formatValue(p) + ")"
	}
	return s
}

// formatValue prints v with about three significant digits.
func formatValue(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v):
		return "-"
	case a >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	case a == 0:
		return "0"
	default:
		return fmt.Sprintf("%.3g", v)
	}
}

// WriteTable prints the results as an aligned text table, then the notes.
func WriteTable(w io.Writer, rs []Result) error {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(Header, "\t"))
	for i := range rs {
		fmt.Fprintln(tw, strings.Join(rs[i].Row(), "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return writeNotes(w, rs, "")
}

// WriteMarkdown prints the results as a Markdown table, then the notes.
func WriteMarkdown(w io.Writer, rs []Result) error {
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	fmt.Fprintf(w, "| %s |\n", strings.Join(Header, " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(Header)))
	for i := range rs {
		row := rs[i].Row()
		for j := range row {
			row[j] = esc(row[j])
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	return writeNotes(w, rs, "- ")
}

func writeNotes(w io.Writer, rs []Result, bullet string) error {
	var notes []string
	for _, r := range rs {
		notes = append(notes, r.Notes...)
	}
	if len(notes) == 0 {
		return nil
	}
	if _, err := fmt.Fprintln(w); err != nil {
		return err
	}
	for _, n := range notes {
		if _, err := fmt.Fprintf(w, "%s%s\n", bullet, n); err != nil {
			return err
		}
	}
	return nil
}

// jsonResult is Result for encoding/json: NaN becomes null.
type jsonResult struct {
	Group          string             `json:"group"`
	Op             string             `json:"operation"`
	Size           string             `json:"size"`
	Metric         string             `json:"metric"`
	HigherIsBetter bool               `json:"higher_is_better,omitempty"`
	Ours           *float64           `json:"ours"`
	Baseline       *float64           `json:"baseline"`
	BaselineName   string             `json:"baseline_name,omitempty"`
	Ratio          *float64           `json:"ratio"`
	Targets        []jsonTarget       `json:"targets,omitempty"`
	Met            *bool              `json:"met,omitempty"`
	N              int                `json:"n"`
	BaselineN      int                `json:"baseline_n,omitempty"`
	Metrics        map[string]float64 `json:"metrics,omitempty"`
	Notes          []string           `json:"notes,omitempty"`
	Skipped        string             `json:"skipped,omitempty"`
	Err            string             `json:"error,omitempty"`
}

type jsonTarget struct {
	Metric string  `json:"metric"`
	Op     string  `json:"op"`
	Value  float64 `json:"value"`
	Met    bool    `json:"met"`
}

func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// WriteJSON prints the results as a JSON array, one object per case.
func WriteJSON(w io.Writer, rs []Result) error {
	out := make([]jsonResult, 0, len(rs))
	for _, r := range rs {
		j := jsonResult{
			Group: r.Group, Op: r.Op, Size: r.Size, Metric: r.Metric, HigherIsBetter: r.HigherIsBetter,
			Ours: num(r.Ours), Baseline: num(r.Baseline), BaselineName: r.BaselineName, Ratio: num(r.Ratio),
			N: r.N, BaselineN: r.BaselineN, Notes: r.Notes, Skipped: r.Skipped, Err: r.Err,
			Metrics: map[string]float64{},
		}
		for _, k := range sortedKeys(r.Metrics) {
			if v := r.Metrics[k]; !math.IsNaN(v) && !math.IsInf(v, 0) {
				j.Metrics[k] = v
			}
		}
		for i, t := range r.Targets {
			jt := jsonTarget{Metric: t.Metric, Op: t.Op, Value: t.Value}
			if i < len(r.Met) {
				jt.Met = r.Met[i]
			}
			j.Targets = append(j.Targets, jt)
		}
		if len(r.Met) > 0 {
			m := r.AllMet()
			j.Met = &m
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
