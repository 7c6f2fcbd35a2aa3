package mrprun

import "github.com/ctoplan/ctoplan/internal/cputime"

// cpuTime is the process's CPU time so far (0 where it is not measured:
// the phases then give wall times only).
var cpuTime = cputime.Process
