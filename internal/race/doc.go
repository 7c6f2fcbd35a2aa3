// Package race says whether the program is built with the race detector:
// the tests of several packages check a sample of their property tests
// under it (CI's second run), where everything runs 5-20 times slower, and
// all of them in the plain run. One constant for them all, instead of a
// pair of build-tagged files in each package.
package race
