package relocation

import (
	"reflect"
	"testing"
)

// TestRelocationWritesFromTags: the INSERT and the UPDATE are made from the tags alone,
// the written fields (those with a label) in struct order, the others only read back.
func TestRelocationWritesFromTags(t *testing.T) {
	type row struct {
		ID    int64   `db:"id" json:"id"`
		Name  string  `db:"name" json:"name" label:"nom" input:"required"`
		Ratio float64 `db:"ratio_m2" json:"ratio" label:"ratio"`
		Stamp int     `db:"version" json:"version"`
	}
	fields := readFields(reflect.TypeFor[row]())
	insert, update := relocationWrites(fields)
	if want := `INSERT INTO relocations (name, ratio_m2) VALUES ($1, $2) RETURNING id, name, ratio_m2, version`; insert != want {
		t.Errorf("insert:\n%s\nwant\n%s", insert, want)
	}
	if want := `UPDATE relocations SET name = $2, ratio_m2 = $3, version = version + 1, updated_at = now() WHERE id = $1 RETURNING id, name, ratio_m2, version`; update != want {
		t.Errorf("update:\n%s\nwant\n%s", update, want)
	}
	if f := fields[1]; f.Name != "name" || f.Column != "name" || f.Label != "nom" || f.Input != "required" || !f.Typed {
		t.Errorf("fields[1] = %+v", f)
	}
	if f := fields[2]; f.Name != "ratio" || f.Column != "ratio_m2" || f.Typed || !f.Written() {
		t.Errorf("fields[2] = %+v", f)
	}
	if fields[0].Written() || fields[3].Written() {
		t.Errorf("id and version have no label: never written")
	}
}

// TestFieldsFromTags: the journal records every labelled field by its json name, with
// plain values (pointers followed, nil for none, a FuzzyDate as its API form), and
// nothing else; the INSERT's parameters are those fields' values, in its order.
func TestFieldsFromTags(t *testing.T) {
	lat := 48.85
	r := NewRelocation()
	r.ID, r.Version, r.Slug, r.Headcount, r.OriginLat = 7, 3, "cleiss", 140, &lat
	r.TargetMove, _ = ParseFuzzyDate("2022-early")
	got := r.Fields()
	for name, want := range map[string]any{"slug": "cleiss", "headcount": 140, "origin_lat": 48.85, "origin_lon": nil,
		"target_move": "2022-early", "surface_ratio_m2": DefaultSurfaceRatioM2, "chosen_site_id": nil} {
		if v, ok := got[name]; !ok || v != want {
			t.Errorf("Fields()[%q] = %#v (present %t), want %#v", name, v, ok, want)
		}
	}
	for _, name := range []string{"id", "version", "created_at", "updated_at"} {
		if _, ok := got[name]; ok {
			t.Errorf("Fields() records %q, which no action writes", name)
		}
	}
	written := 0
	for _, f := range relocationFields {
		if f.Written() {
			written++
		}
	}
	if len(got) != written || len(r.writtenValues()) != written {
		t.Errorf("%d fields journaled, %d values written, want %d (the labelled fields)", len(got), len(r.writtenValues()), written)
	}
}
