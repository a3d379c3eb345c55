package relocation

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Magnitudes every number of the tracker keeps (CheckNumber): a non-zero value below
// MinMagnitude is a typo or a probe (5e-324 made a false tie of weights; 1e-320 m² made
// every site incomplete), one above MaxMagnitude no ministry budget or surface reaches.
const (
	MinMagnitude = 1e-9
	MaxMagnitude = 1e15
)

var (
	errNotFinite  = errors.New("nombre invalide : ni infini ni NaN")
	errTooSmall   = errors.New("nombre trop proche de zéro : écrivez 0 ou une valeur d’au moins 0,000000001")
	errTooLarge   = errors.New("nombre trop grand")
	errNotDecimal = errors.New("nombre attendu, écrit en décimal (par exemple 12,5 ou 150 000)")
)

// CheckNumber is the rule every number read from a client goes through, whatever the
// path (API JSON, forms, rosters): finite, and zero or of a magnitude within
// [MinMagnitude, MaxMagnitude]. Fields add their own ranges on top. The error is French.
func CheckNumber(f float64) error {
	a := math.Abs(f)
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return errNotFinite
	case a != 0 && a < MinMagnitude:
		return errTooSmall
	case a > MaxMagnitude:
		return errTooLarge
	}
	return nil
}

// ParseNumberInput reads a number as people type it in a form: an optional sign (-, + or
// the typographic −), digits grouped by threes with spaces, non-breaking or narrow
// non-breaking spaces (« 150 000 »), one decimal comma or point (« 150 000,50 »), then
// optionally one of units, case-insensitive, with or without a space (« 35 % »,
// « 150 000 € »). Decimal notation only: exponents, hexadecimal (0x1p4), underscores
// (1_6), Inf and NaN are refused. The value passes CheckNumber. Errors are French.
func ParseNumberInput(s string, units ...string) (float64, error) {
	s = strings.TrimSpace(s)
	for _, u := range units {
		if len(s) > len(u) && strings.EqualFold(s[len(s)-len(u):], u) {
			s = strings.TrimRight(s[:len(s)-len(u)], " \u00a0\u202f\u2009")
			break
		}
	}
	neg := false
	if r, n := utf8.DecodeRuneInString(s); r == '-' || r == '+' || r == '−' {
		neg, s = r != '+', s[n:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ",")
	if !hasFrac {
		intPart, frac, hasFrac = strings.Cut(s, ".")
	}
	digits, ok := groupedDigits(intPart)
	if !ok || (hasFrac && !allDigits(frac)) {
		return 0, errNotDecimal
	}
	text := digits
	if hasFrac {
		text += "." + frac
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, errNotDecimal
	}
	if neg {
		f = -f
	}
	f += 0 // −0 becomes 0
	if err := CheckNumber(f); err != nil {
		return 0, err
	}
	return f, nil
}

// thinSpaces makes no-break, narrow no-break and thin spaces plain ones.
var thinSpaces = strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\u2009", " ")

// groupedDigits returns the digits of s, which is either plain digits or groups of three
// after a first group of one to three, separated by one space of any width.
func groupedDigits(s string) (string, bool) {
	groups := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009' })
	if len(groups) == 0 || strings.Join(groups, " ") != thinSpaces.Replace(s) {
		return "", false // empty, or spaces around or doubled
	}
	for i, g := range groups {
		if !allDigits(g) || (len(groups) > 1 && (len(g) > 3 || (i > 0 && len(g) != 3))) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
