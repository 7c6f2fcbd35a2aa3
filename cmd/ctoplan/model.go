package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
)

// newModelCmd groups the commands that work on a product model file
// offline: a native .ctm model, a DIMACS or UVL feature model (.dimacs,
// .cnf, .uvl), an XCSP 2.1 table CSP or a FeatureIDE feature model (.xml).
func newModelCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "model",
		Short: "Analyze, check, propagate and complete product models (.ctm, .dimacs, .uvl, .xml)",
	}
	cmd.AddCommand(newModelAnalyzeCmd(), newModelCheckCmd(), newModelPropagateCmd(),
		newModelCompleteCmd(), newModelExplainCmd(), newModelFmtCmd())
	return cmd
}

// modelTimeout bounds every query of the model commands.
const modelTimeout = 10 * time.Minute

// loadModel reads and compiles a model file.
func loadModel(path string) (*configurator.Compiled, error) {
	m, err := configurator.LoadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := configurator.Compile(m)
	if err != nil {
		return nil, modelFileError(path, err)
	}
	return c, nil
}

// modelFileError is an error about the model file at path that names it
// once: as it is when it says where already (path:line:col, as a model's
// positions do), else prefixed with path.
func modelFileError(path string, err error) error {
	if strings.HasPrefix(err.Error(), path+":") {
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}

func modelContext(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	return context.WithTimeout(ctx, modelTimeout)
}

// modelValueText prints a value, "none" for the empty one.
func modelValueText(v string) string {
	if v == "" {
		return "none"
	}
	return v
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// jsonConflict is a conflict in JSON output.
type jsonConflict struct {
	Picks       []string `json:"picks"`
	Constraints []string `json:"constraints"`
	Text        string   `json:"text"`
}

func toJSONConflict(c *configurator.Conflict) *jsonConflict {
	if c == nil {
		return nil
	}
	j := &jsonConflict{Picks: []string{}, Constraints: []string{}, Text: c.String()}
	for _, p := range c.Picks {
		j.Picks = append(j.Picks, p.String())
	}
	for _, k := range c.Constraints {
		j.Constraints = append(j.Constraints, k.Kind+" "+k.Name)
	}
	return j
}
