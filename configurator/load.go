package configurator

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// LoadFile reads a model by its extension: ".dimacs" or ".cnf" (DIMACS
// CNF), ".xml" (XCSP 2.1).
func LoadFile(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".dimacs", ".cnf":
		return ReadDIMACS(path, f)
	case ".xml":
		return ReadXCSP(path, f)
	default:
		return nil, fmt.Errorf("%s: unknown model file extension %q (want .ctm, .dimacs, .cnf or .xml)", path, ext)
	}
}
