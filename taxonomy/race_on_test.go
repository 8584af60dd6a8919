//go:build race

package taxonomy

const raceDetector = true
