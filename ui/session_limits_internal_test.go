package ui

import (
	"testing"
	"time"
)

// TestFrenchDuration: whole hours in hours, anything else in whole minutes, singular
// for one.
func TestFrenchDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{30 * time.Minute, "30 minutes"},
		{time.Minute, "1 minute"},
		{12 * time.Hour, "12 heures"},
		{time.Hour, "1 heure"},
		{90 * time.Minute, "90 minutes"},
		{15 * time.Minute, "15 minutes"},
	} {
		if got := frenchDuration(tc.d); got != tc.want {
			t.Errorf("frenchDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}
