//go:build !race

package relocation

// raceSlowdown is how much slower the race detector makes the tests that time code.
const raceSlowdown = 1
