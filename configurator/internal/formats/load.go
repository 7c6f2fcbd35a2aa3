package formats

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ctoplan/ctoplan/configurator/model"
)

// LoadFile reads a model by its extension: ".ctm" (the model language,
// [ParseFile]), or the formats [Read] reads.
func LoadFile(path string) (*Model, error) {
	if strings.EqualFold(filepath.Ext(path), ".ctm") {
		return ParseFile(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(path, f)
}

// Read reads a model from r by the extension of filename (which names it
// in errors): ".ctm" (the model language), ".dimacs" or ".cnf" (DIMACS
// CNF, [ReadDIMACS]), ".xml" (XCSP 2.1 or a FeatureIDE feature model, by
// the root element: [ReadXML]), ".uvl" (a feature model in UVL,
// [ReadUVL]).
func Read(filename string, r io.Reader) (*Model, error) {
	switch ext := strings.ToLower(filepath.Ext(filename)); ext {
	case ".ctm":
		src, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filename, err)
		}
		return model.Parse(filename, src)
	case ".dimacs", ".cnf":
		return ReadDIMACS(filename, r)
	case ".uvl":
		return ReadUVL(filename, r)
	case ".xml":
		return ReadXML(filename, r)
	default:
		return nil, fmt.Errorf("%s: unknown model file extension %q (want .ctm, .dimacs, .cnf, .uvl or .xml)", filename, ext)
	}
}
