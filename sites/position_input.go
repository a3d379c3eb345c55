package sites

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/ministere/tracker/relocation"
)

// Axis says which coordinate a form field holds.
type Axis int

// The two axes of a position.
const (
	Latitude Axis = iota
	Longitude
)

var (
	errCoordinate = errors.New("coordonnée non reconnue : écrivez des degrés décimaux (48,9186) ou degrés, minutes, secondes (48°55'07\"N)")
	errMinutes    = errors.New("coordonnée non reconnue : minutes et secondes vont de 0 à moins de 60")
	errSwappedLat = errors.New("une latitude se dit nord (N) ou sud (S) : latitude et longitude semblent inversées")
	errSwappedLon = errors.New("une longitude se dit est (E) ou ouest (O ou W) : latitude et longitude semblent inversées")
	errSignAndHem = errors.New("coordonnée non reconnue : un signe ou un point cardinal, pas les deux")
)

// ParseCoordinateInput reads a latitude or longitude as people type it in a form: decimal
// degrees (« 48,9186 », « -2.35 », « 48,9186° N ») or degrees, minutes and seconds
// (« 48°55'07"N », « 2° 26′ 40″ E », « 48°55,12' N »), the cardinal point before or
// after: N or S for a latitude, E, O (ouest) or W for a longitude; S, O and W make the
// value negative. A cardinal point of the other axis says the two look swapped. Ranges
// dmsMarks writes the marks of degrees, minutes and seconds as d, m and s.
var dmsMarks = strings.NewReplacer("°", "d", "º", "d", "′′", "s", "''", "s", "″", "s", "\"", "s", "”", "s",
	"′", "m", "'", "m", "’", "m")

// and distances are Reach.Check's. Errors are French.
func ParseCoordinateInput(s string, axis Axis) (float64, error) {
	s = strings.TrimSpace(s)
	hem, s := cardinal(s)
	switch {
	case hem == 0:
	case axis == Latitude && strings.ContainsRune("EOW", hem):
		return 0, errSwappedLat
	case axis == Longitude && strings.ContainsRune("NS", hem):
		return 0, errSwappedLon
	}
	s = dmsMarks.Replace(s)
	var v float64
	if !strings.ContainsAny(s, "dms") {
		f, err := relocation.ParseNumberInput(s)
		if err != nil {
			return 0, errCoordinate
		}
		v = f
	} else {
		f, err := parseDMS(s)
		if err != nil {
			return 0, err
		}
		v = f
	}
	if hem != 0 {
		if v < 0 || strings.ContainsAny(s, "-−+") {
			return 0, errSignAndHem
		}
		if strings.ContainsRune("SOW", hem) {
			v = -v
		}
	}
	return v + 0, nil
}

// cardinal splits a cardinal point (N, S, E, O, W, any case) off either end of s.
func cardinal(s string) (rune, string) {
	if r, n := utf8.DecodeLastRuneInString(s); n > 0 && strings.ContainsRune("NSEOWnseow", r) {
		return toUpper(r), strings.TrimSpace(s[:len(s)-n])
	}
	if r, n := utf8.DecodeRuneInString(s); n > 0 && strings.ContainsRune("NSEOWnseow", r) {
		return toUpper(r), strings.TrimSpace(s[n:])
	}
	return 0, s
}

func toUpper(r rune) rune {
	if r >= 'a' && r <= 'z' {
		return r - 'a' + 'A'
	}
	return r
}

// parseDMS reads « 48d55m07s » (after the symbols became d, m, s): degrees, then
// optionally minutes, then optionally seconds, only the last of them with decimals.
func parseDMS(s string) (float64, error) {
	sign := 1.0
	if r, n := utf8.DecodeRuneInString(s); r == '-' || r == '−' {
		sign, s = -1, s[n:]
	}
	units := []byte{'d', 'm', 's'}
	scale := []float64{1, 60, 3600}
	var total float64
	next, fraction := 0, false
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		i := strings.IndexAny(s, "dms")
		if i < 0 {
			i = len(s) // a last number without its symbol: the next unit
		}
		unit := next
		if i < len(s) {
			for unit < len(units) && units[unit] != s[i] {
				unit++
			}
		}
		if unit >= len(units) || unit != next {
			return 0, errCoordinate
		}
		text := strings.TrimSpace(s[:i])
		if strings.ContainsAny(text, "-−+") {
			return 0, errCoordinate
		}
		if fraction { // decimals only in the last part
			return 0, errCoordinate
		}
		fraction = strings.ContainsAny(text, ",.")
		f, err := relocation.ParseNumberInput(text)
		if err != nil {
			return 0, errCoordinate
		}
		if unit > 0 && f >= 60 {
			return 0, errMinutes
		}
		total += f / scale[unit]
		next = unit + 1
		if i < len(s) {
			i++
		}
		s = s[i:]
	}
	if next == 0 {
		return 0, errCoordinate
	}
	return sign * total, nil
}
