package ui

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// position is a point of the site page: its coordinates in French and a plain link that
// opens them on OpenStreetMap (no embedded map: the page keeps its strict CSP).
type position struct {
	Label string // « 48,918611° N, 2,444444° E »
	Map   string // https://www.openstreetmap.org/?mlat=…&mlon=…#map=17/…/…
}

// positionOf returns the position of a pair of coordinates, nil when either is missing.
func positionOf(lat, lon *float64) *position {
	if lat == nil || lon == nil {
		return nil
	}
	la, lo := strconv.FormatFloat(*lat, 'f', -1, 64), strconv.FormatFloat(*lon, 'f', -1, 64)
	q := url.Values{"mlat": {la}, "mlon": {lo}}
	return &position{
		Label: degrees(*lat, "N", "S") + ", " + degrees(*lon, "E", "O"),
		Map:   "https://www.openstreetmap.org/?" + q.Encode() + "#map=17/" + la + "/" + lo,
	}
}

// degrees writes an angle in decimal degrees with a decimal comma and its cardinal
// point: « 48,918611° N », « 2,35° O ».
func degrees(v float64, pos, neg string) string {
	hem := pos
	if v < 0 {
		hem = neg
	}
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.6f", math.Abs(v)), "0"), ".")
	return strings.ReplaceAll(s, ".", ",") + "°\u00a0" + hem
}
