module github.com/ctoplan/ctoplan/examples

go 1.26.8

require github.com/ctoplan/ctoplan v0.0.0

require github.com/go-air/gini v1.0.4 // indirect

replace github.com/ctoplan/ctoplan => ../
