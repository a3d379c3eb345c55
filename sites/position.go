package sites

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ministere/tracker/relocation"
)

// MaxMinutes is the longest commute the tracker accepts, measured or estimated: a
// commute of more than a day is a typo (or swapped coordinates).
const MaxMinutes = 1440

// Reach is where a relocation's points may lie (SPEC « Coordinates »): within MaxKm of
// its origin when the origin has coordinates. The zero Reach checks ranges only.
// Commute, when its SpeedKmh is set, estimates commutes from the origin (CurrentTooLong).
type Reach struct {
	OriginLat, OriginLon *float64
	MaxKm                float64
	Commute              CommuteSettings
}

// ReachOf returns the reach of relocation r, with its commute settings.
func ReachOf(r relocation.Relocation) Reach {
	return Reach{OriginLat: r.OriginLat, OriginLon: r.OriginLon, MaxKm: r.MaxDistanceKm, Commute: CommuteSettingsOf(r)}
}

// CurrentTooLong returns why a home at (lat, lon) cannot be an agent's: its commute
// estimated from the origin exceeds MaxMinutes, refused as a measured one would be; ""
// otherwise, or when the origin or the settings are unknown.
func (r Reach) CurrentTooLong(lat, lon float64) string {
	if r.OriginLat == nil || r.OriginLon == nil || !(r.Commute.SpeedKmh > 0) {
		return ""
	}
	m := r.Commute.estimateMinutes(haversineKm(*r.OriginLat, *r.OriginLon, lat, lon))
	if m <= MaxMinutes {
		return ""
	}
	return fmt.Sprintf("trajet actuel estimé à %s min depuis l’origine, plus de %d min (24 h) : refusé comme le serait une mesure ; vérifiez les coordonnées ou indiquez current_minutes",
		frenchWhole(m), MaxMinutes)
}

// PositionError is why a point was refused: Lat says whether the latitude is at fault
// (else the longitude, or both when the message says they are swapped), Message is French.
type PositionError struct {
	Lat     bool
	Message string
}

// swapped is the message of a point whose latitude and longitude look exchanged.
const swapped = "latitude et longitude semblent inversées : la latitude (nord-sud, environ 48,9 à Montreuil) vient en premier, la longitude (est-ouest, environ 2,4) ensuite"

// Check is the one rule of coordinates (origin, sites, agents' homes): latitude in
// [−90, 90], longitude in [−180, 180], and no farther than MaxKm from the origin when
// the origin has coordinates. When exchanging the two would make the point acceptable,
// the message says « latitude et longitude semblent inversées ». nil when acceptable.
func (r Reach) Check(lat, lon float64) *PositionError {
	if ok, _ := r.accepts(lat, lon); ok {
		return nil
	}
	if ok, _ := r.accepts(lon, lat); ok {
		return &PositionError{Lat: true, Message: swapped}
	}
	switch _, km := r.accepts(lat, lon); {
	case CheckLatitude(lat) != "":
		return &PositionError{Lat: true, Message: CheckLatitude(lat)}
	case CheckLongitude(lon) != "":
		return &PositionError{Message: CheckLongitude(lon)}
	default:
		return &PositionError{Lat: true, Message: fmt.Sprintf("point à %s km de l’origine du projet, au-delà de la distance maximale de %s km : vérifiez les coordonnées ou la distance maximale du projet",
			frenchWhole(km), frenchWhole(r.MaxKm))}
	}
}

// CheckLatitude returns why lat, given alone, is no latitude ("" when it is one).
func CheckLatitude(lat float64) string {
	if lat >= -90 && lat <= 90 {
		return ""
	}
	return "latitude hors limites : entre -90 et 90 degrés"
}

// CheckLongitude returns why lon, given alone, is no longitude ("" when it is one).
func CheckLongitude(lon float64) string {
	if lon >= -180 && lon <= 180 {
		return ""
	}
	return "longitude hors limites : entre -180 et 180 degrés"
}

// accepts reports whether (lat, lon) is on Earth and within reach, and its distance to
// the origin (0 without origin).
func (r Reach) accepts(lat, lon float64) (bool, float64) {
	if !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) {
		return false, 0
	}
	if r.OriginLat == nil || r.OriginLon == nil || r.MaxKm <= 0 {
		return true, 0
	}
	km := haversineKm(*r.OriginLat, *r.OriginLon, lat, lon)
	return km <= r.MaxKm, km
}

// CheckFields checks an optional pair of coordinates and returns the refused field
// (latName or lonName) with its message; nil when acceptable or absent.
func (r Reach) CheckFields(lat, lon *float64, latName, lonName string) []relocation.FieldError {
	if lat == nil || lon == nil {
		return nil
	}
	e := r.Check(*lat, *lon)
	if e == nil {
		return nil
	}
	field := lonName
	if e.Lat {
		field = latName
	}
	return []relocation.FieldError{{Field: field, Message: e.Message}}
}

// frenchWhole writes a number rounded to a whole one, with a narrow space between thousands.
func frenchWhole(km float64) string {
	s := strconv.FormatFloat(math.Round(km), 'f', 0, 64)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	return b.String()
}
