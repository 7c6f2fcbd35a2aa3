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
// [ParseFile]), or the other formats [Read] reads; another extension is
// an error.
func LoadFile(path string) (*Model, error) {
	if strings.EqualFold(filepath.Ext(path), ".ctm") {
		return ParseFile(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if !Foreign(path) {
		return nil, fmt.Errorf("%s: unknown model file extension %q (want .ctm, .dimacs, .cnf, .uvl or .xml)", path, filepath.Ext(path))
	}
	return Read(path, f)
}

// Foreign says whether filename's extension names a format other than
// .ctm that [Read] reads.
func Foreign(filename string) bool {
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".dimacs", ".cnf", ".uvl", ".xml":
		return true
	}
	return false
}

// Read reads a model from r by the extension of filename (which names it
// in errors): ".dimacs" or ".cnf" (DIMACS CNF, [ReadDIMACS]), ".xml" (XCSP
// 2.1 or a FeatureIDE feature model, by the root element: [ReadXML]),
// ".uvl" (a feature model in UVL, [ReadUVL]); any other name is the model
// language (.ctm), as uploads often name their text freely.
func Read(filename string, r io.Reader) (*Model, error) {
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".dimacs", ".cnf":
		return ReadDIMACS(filename, r)
	case ".uvl":
		return ReadUVL(filename, r)
	case ".xml":
		return ReadXML(filename, r)
	}
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filename, err)
	}
	return model.Parse(filename, src)
}
