package ui

import (
	"math"
	"strconv"
	"strings"
)

// utf8BOM starts the CSV so that Excel reads it as UTF-8.
const utf8BOM = "\xEF\xBB\xBF"

// csvNumber writes a number with a decimal comma and no thousands separator, rounded to
// six decimals (enough to check a score, short enough to read).
func csvNumber(x float64) string {
	x = math.Round(x*1e6) / 1e6
	if x == 0 {
		x = 0 // no "-0"
	}
	return strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), ".", ",", 1)
}

// csvText guards a text cell against formula injection: a spreadsheet would run a cell
// starting with =, +, -, @ (or a tab or carriage return), so such a cell starts with
// a quote instead.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// fileSafe keeps the letters, digits, - and _ of a slug, for a file name in a header.
func fileSafe(slug string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return -1
	}, slug)
}
