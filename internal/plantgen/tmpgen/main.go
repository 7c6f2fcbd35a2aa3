package main

import (
	"os"
	"strconv"

	"github.com/ctoplan/ctoplan/internal/plantgen"
)

func main() {
	n, _ := strconv.Atoi(os.Args[2])
	d, _ := strconv.Atoi(os.Args[3])
	c := plantgen.Light(n, d)
	if os.Args[4] == "default" {
		c = plantgen.Default(n)
		c.Demands = d
	}
	in, err := plantgen.Generate(c)
	if err != nil {
		panic(err)
	}
	os.MkdirAll(os.Args[1], 0o755)
	if err := plantgen.WriteCSV(os.Args[1], in); err != nil {
		panic(err)
	}
}
