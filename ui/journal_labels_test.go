package ui

import "testing"

// TestChangeValue: the journal speaks French, not API codes, and shows numbers unrounded.
func TestChangeValue(t *testing.T) {
	for _, tc := range []struct {
		entity, field string
		v             any
		want          string
	}{
		{"relocation", "status", "site_selected", "Site choisi"},
		{"site", "status", "rejected", "Écarté"},
		{"milestone", "kind", "letter_of_intent", "Lettre d’intention"},
		{"site", "kind", "lease", "Location"},
		{"milestone", "planned", "2022-early", "début 2022"},
		{"milestone", "actual", "2021-06-01", "1er juin 2021"},
		{"relocation", "origin_lat", 48.8795, "48,8795"},
		{"milestone", "public", true, "oui"},
		{"relocation", "decision", "", "« »"},
		{"relocation", "chosen_site_id", nil, "—"},
		{"criterion", "name", "Visibilité", "Visibilité"},
	} {
		if got := changeValue(tc.entity, tc.field, tc.v); got != tc.want {
			t.Errorf("changeValue(%s, %s, %v) = %q, want %q", tc.entity, tc.field, tc.v, got, tc.want)
		}
	}
	if fieldLabel("headcount") != "effectif" || fieldLabel("unknown_field") != "unknown_field" {
		t.Error("fieldLabel does not name fields in French, or loses unknown names")
	}
}
