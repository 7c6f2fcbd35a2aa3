package formats

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// LoadFile reads a model by its extension: ".ctm" (the model language,
// [ParseFile]), ".dimacs" or ".cnf" (DIMACS CNF, [ReadDIMACS]), ".xml"
// (XCSP 2.1 or a FeatureIDE feature model, by the root element: [ReadXML]),
// ".uvl" (a feature model in UVL, [ReadUVL]).
func LoadFile(path string) (*Model, error) {
	if strings.EqualFold(filepath.Ext(path), ".ctm") {
		return ParseFile(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".dimacs", ".cnf":
		return ReadDIMACS(path, f)
	case ".uvl":
		return ReadUVL(path, f)
	case ".xml":
		return ReadXML(path, f)
	default:
		return nil, fmt.Errorf("%s: unknown model file extension %q (want .ctm, .dimacs, .cnf, .uvl or .xml)", path, ext)
	}
}
