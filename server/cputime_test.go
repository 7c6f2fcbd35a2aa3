package server_test

import "github.com/ctoplan/ctoplan/internal/cputime"

// cpuTime is the process's CPU time so far (0 where it is not measured).
var cpuTime = cputime.Process
