package ui_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The API tests of relocations: create, read, list, the forms of target and move, patch,
// and every refusal.

func TestAPIRelocationCreateReadList(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)

	r := e.do(t, "GET", "/api/v1/relocations", "")
	expect(t, r, 200)
	if got := r.raw; got != `{"items":[]}` {
		t.Errorf("empty list = %s, want {\"items\":[]}", got)
	}

	r = e.do(t, "POST", "/api/v1/relocations", relocationBody(nil))
	expect(t, r, 201)
	id := idOf(t, r.json)
	if loc, want := r.Header.Get("Location"), fmt.Sprintf("/api/v1/relocations/%d", id); loc != want {
		t.Errorf("Location = %q, want %q", loc, want)
	}
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag = %q, want \"1\"", got)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	checkFields(t, "created", r.json, map[string]any{
		"slug": "cleiss-montreuil", "name": "Relocalisation du CLEISS", "body": "CLEISS",
		"body_name": cleiss["body_name"], "origin": cleiss["origin"], "destination": "Seine-Saint-Denis (93)",
		"decision": "4e CITP, 15 novembre 2019", "headcount": 140,
		"residents": 140, "surface_ratio_m2": 16, "required_surface_m2": 140 * 16,
		"status": "announced", "visibility": "internal", "version": 1,
		"target_move": fuzzy("2022-early", "début 2022", "2022-01-01", "2022-04-30"),
		"origin_lat":  nil, "origin_lon": nil, "chosen_site_id": nil,
		"commute_increase_limit_min": 30,
	})
	created := r.json

	r = e.do(t, "GET", r.Header.Get("Location"), "")
	expect(t, r, 200)
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("read ETag = %q, want \"1\"", got)
	}
	if !reflect.DeepEqual(r.json, created) {
		t.Errorf("read differs from created:\nread    %v\ncreated %v", r.json, created)
	}

	// Optional values given at creation are kept; the required surface follows them.
	other := e.createRelocation(t, map[string]any{"slug": "dgfip-lille", "name": "Autre projet",
		"residents": 100.8, "surface_ratio_m2": 12, "status": "site_search", "visibility": "public",
		"origin_lat": 48.8785, "origin_lon": 2.3364, "commute_increase_limit_min": 45, "target_move": "2023-S2"})
	checkFields(t, "created with options", other, map[string]any{
		"residents": 100.8, "surface_ratio_m2": 12, "required_surface_m2": 100.8 * 12,
		"status": "site_search", "visibility": "public", "origin_lat": 48.8785, "origin_lon": 2.3364,
		"commute_increase_limit_min": 45, "headcount": 140,
		"target_move": fuzzy("2023-S2", "2e semestre 2023", "2023-07-01", "2023-12-31"),
	})

	r = e.do(t, "GET", "/api/v1/relocations", "")
	expect(t, r, 200)
	list, _ := r.json["items"].([]any)
	if len(list) != 2 {
		t.Fatalf("list has %d items, want 2: %s", len(list), r)
	}
	byID := map[int64]any{}
	for _, item := range list {
		m, _ := item.(map[string]any)
		byID[idOf(t, m)] = m
	}
	if !reflect.DeepEqual(byID[id], created) {
		t.Errorf("listed item differs from the resource:\n%v\n%v", byID[id], created)
	}
	if !reflect.DeepEqual(byID[idOf(t, other)], other) {
		t.Errorf("listed item differs from the resource:\n%v\n%v", byID[idOf(t, other)], other)
	}
}

// TestAPIRelocationTargetMoveForms creates a relocation for every canonical form of SPEC.
func TestAPIRelocationTargetMoveForms(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	for i, f := range []struct{ value, label, start, end string }{
		{"2021-06-15", "15 juin 2021", "2021-06-15", "2021-06-15"},
		{"2021-06-01", "1er juin 2021", "2021-06-01", "2021-06-01"},
		{"2021-06", "juin 2021", "2021-06-01", "2021-06-30"},
		{"2024-02", "février 2024", "2024-02-01", "2024-02-29"},
		{"2022-Q1", "1er trimestre 2022", "2022-01-01", "2022-03-31"},
		{"2022-Q4", "4e trimestre 2022", "2022-10-01", "2022-12-31"},
		{"2022-S1", "1er semestre 2022", "2022-01-01", "2022-06-30"},
		{"2022-S2", "2e semestre 2022", "2022-07-01", "2022-12-31"},
		{"2022-early", "début 2022", "2022-01-01", "2022-04-30"},
		{"2022-mid", "mi-2022", "2022-05-01", "2022-08-31"},
		{"2022-late", "fin 2022", "2022-09-01", "2022-12-31"},
		{"2022", "2022", "2022-01-01", "2022-12-31"},
	} {
		t.Run(f.value, func(t *testing.T) {
			got := e.createRelocation(t, map[string]any{"slug": fmt.Sprintf("projet-%d", i), "target_move": f.value})
			checkFields(t, f.value, got, map[string]any{"target_move": fuzzy(f.value, f.label, f.start, f.end)})
		})
	}
}

// TestAPIRelocationPatch walks a relocation through updates, each with the ETag of the
// previous answer.
func TestAPIRelocationPatch(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	created := e.createRelocation(t, map[string]any{"headcount": 10})
	path := fmt.Sprintf("/api/v1/relocations/%d", idOf(t, created))

	steps := []struct {
		name    string
		body    string
		version int // expected after the step
		want    map[string]any
	}{
		{"headcount", `{"headcount":12}`, 2,
			map[string]any{"headcount": 12, "residents": 12, "required_surface_m2": 192, "required_surface_computed": true}},
		{"no-op with the same values", `{"headcount":12,"name":"Relocalisation du CLEISS","target_move":"2022-early"}`, 2,
			map[string]any{"headcount": 12}},
		{"empty object", `{}`, 2, map[string]any{"headcount": 12}},
		{"required surface set by hand", `{"required_surface_m2":500}`, 3,
			map[string]any{"required_surface_m2": 500, "required_surface_computed": false, "residents": 12}},
		{"required surface back to computed", `{"required_surface_m2":null}`, 4,
			map[string]any{"required_surface_m2": 192, "required_surface_computed": true}},
		{"residents in full-time equivalents", `{"residents":37.4}`, 5,
			map[string]any{"residents": 37.4, "required_surface_m2": 598.4, "headcount": 12}},
		{"ratio", `{"surface_ratio_m2":12}`, 6,
			map[string]any{"surface_ratio_m2": 12, "required_surface_m2": 37.4 * 12}},
		{"residents back to headcount", `{"residents":null,"surface_ratio_m2":16}`, 7,
			map[string]any{"residents": 12, "required_surface_m2": 192}},
		{"status, visibility and target", `{"status":"site_search","visibility":"public","target_move":"2022-mid"}`, 8,
			map[string]any{"status": "site_search", "visibility": "public",
				"target_move": fuzzy("2022-mid", "mi-2022", "2022-05-01", "2022-08-31")}},
		{"trimmed name is a no-op", `{"name":"  Relocalisation du CLEISS  "}`, 8,
			map[string]any{"name": "Relocalisation du CLEISS"}},
		{"slug and coordinates", `{"slug":"cleiss-bas-montreuil","origin_lat":48.8785,"origin_lon":2.3364}`, 9,
			map[string]any{"slug": "cleiss-bas-montreuil", "origin_lat": 48.8785, "origin_lon": 2.3364}},
	}
	version := 1
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			e.patchStep(t, path, s.body, version, s.version, s.want)
			version = s.version
		})
	}

	// Preconditions: stale, missing, unreadable. Nothing changes.
	runRefusals(t, e, []refusal{
		{name: "stale If-Match", method: "PATCH", path: path, body: `{"headcount":13}`, headers: []string{"If-Match", `"1"`}, status: 412},
		{name: "future If-Match", method: "PATCH", path: path, body: `{"headcount":13}`, headers: []string{"If-Match", etag(version + 1)}, status: 412},
		{name: "no If-Match", method: "PATCH", path: path, body: `{"headcount":13}`, status: 428},
		{name: "unreadable If-Match", method: "PATCH", path: path, body: `{"headcount":13}`, headers: []string{"If-Match", "abc"}, status: 412},
	})
}

func TestAPIRelocationRefused(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	a := e.createRelocation(t, nil)
	e.createRelocation(t, map[string]any{"slug": "autre-projet"})
	path := fmt.Sprintf("/api/v1/relocations/%d", idOf(t, a))
	r := e.do(t, "PATCH", path, `{"headcount":141}`, "If-Match", `"1"`)
	expect(t, r, 200)
	im := []string{"If-Match", `"2"`}
	huge := relocationBody(map[string]any{"decision": strings.Repeat("a", 1<<20)})
	const create = "/api/v1/relocations"

	runRefusals(t, e, []refusal{
		// 422: values.
		{name: "headcount 0", method: "POST", path: create, body: relocationBody(map[string]any{"headcount": 0}), status: 422,
			fields: []string{"headcount"}, messages: map[string]string{"headcount": "doit être supérieur à 0"}},
		{name: "negative headcount", method: "POST", path: create, body: relocationBody(map[string]any{"headcount": -5}), status: 422, fields: []string{"headcount"}},
		{name: "unknown status", method: "POST", path: create, body: relocationBody(map[string]any{"status": "demenage"}), status: 422,
			fields: []string{"status"}, contains: map[string]string{"status": "site_search"}},
		{name: "unknown visibility", method: "POST", path: create, body: relocationBody(map[string]any{"visibility": "secret"}), status: 422, fields: []string{"visibility"}},
		{name: "target_move 2022-Q5", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": "2022-Q5"}), status: 422,
			fields: []string{"target_move"}, contains: map[string]string{"target_move": "2022-early"}},
		{name: "target_move French label", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": "début 2022"}), status: 422, fields: []string{"target_move"}},
		{name: "target_move T1 2022", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": "T1 2022"}), status: 422, fields: []string{"target_move"}},
		{name: "target_move lower-case q", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": "2022-q1"}), status: 422, fields: []string{"target_move"}},
		{name: "target_move 15/06/2021", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": "15/06/2021"}), status: 422, fields: []string{"target_move"}},
		{name: "target_move 2021-02-29", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": "2021-02-29"}), status: 422, fields: []string{"target_move"}},
		{name: "target_move as an object", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": map[string]any{"value": "2022"}}), status: 422, fields: []string{"target_move"}},
		{name: "bad slug", method: "POST", path: create, body: relocationBody(map[string]any{"slug": "Pas Un Slug"}), status: 422, fields: []string{"slug"}},
		{name: "slug with double hyphen", method: "POST", path: create, body: relocationBody(map[string]any{"slug": "cleiss--montreuil"}), status: 422, fields: []string{"slug"}},
		{name: "slug too long", method: "POST", path: create, body: relocationBody(map[string]any{"slug": strings.Repeat("a", 81)}), status: 422, fields: []string{"slug"}},
		{name: "every required field missing", method: "POST", path: create, body: `{}`, status: 422,
			fields: []string{"slug", "name", "body", "origin", "destination", "headcount", "target_move"}},
		{name: "name missing", method: "POST", path: create, body: relocationBody(nil, "name"), status: 422, fields: []string{"name"}},
		{name: "headcount missing", method: "POST", path: create, body: relocationBody(nil, "headcount"), status: 422, fields: []string{"headcount"}},
		{name: "target_move missing", method: "POST", path: create, body: relocationBody(nil, "target_move"), status: 422, fields: []string{"target_move"}},
		{name: "blank name", method: "POST", path: create, body: relocationBody(map[string]any{"name": "   "}), status: 422, fields: []string{"name"}},
		{name: "name too long", method: "POST", path: create, body: relocationBody(map[string]any{"name": strings.Repeat("é", 201)}), status: 422, fields: []string{"name"}},
		{name: "headcount as text", method: "POST", path: create, body: relocationBody(map[string]any{"headcount": "douze"}), status: 422, fields: []string{"headcount"}},
		{name: "headcount not an integer", method: "POST", path: create, body: relocationBody(map[string]any{"headcount": 12.5}), status: 422, fields: []string{"headcount"}},
		{name: "name as a number", method: "POST", path: create, body: relocationBody(map[string]any{"name": 12}), status: 422, fields: []string{"name"}},
		{name: "negative residents", method: "POST", path: create, body: relocationBody(map[string]any{"residents": -1}), status: 422, fields: []string{"residents"}},
		{name: "latitude 91", method: "POST", path: create, body: relocationBody(map[string]any{"origin_lat": 91}), status: 422, fields: []string{"origin_lat"}},
		{name: "ratio 0", method: "POST", path: create, body: relocationBody(map[string]any{"surface_ratio_m2": 0}), status: 422, fields: []string{"surface_ratio_m2"}},
		{name: "negative required surface", method: "POST", path: create, body: relocationBody(map[string]any{"required_surface_m2": -10}), status: 422, fields: []string{"required_surface_m2"}},
		{name: "several errors at once", method: "POST", path: create,
			body:   relocationBody(map[string]any{"headcount": 0, "status": "x", "slug": "Pas Un Slug"}, "origin"),
			status: 422, fields: []string{"headcount", "status", "slug", "origin"}},
		// 400: unreadable bodies.
		{name: "malformed JSON", method: "POST", path: create, body: `{"slug":`, status: 400},
		{name: "trailing comma", method: "POST", path: create, body: `{"slug":"a",}`, status: 400},
		{name: "trailing garbage", method: "POST", path: create, body: relocationBody(nil) + " x", status: 400},
		{name: "two objects", method: "POST", path: create, body: relocationBody(nil) + relocationBody(nil), status: 400},
		{name: "unknown field", method: "POST", path: create, body: relocationBody(map[string]any{"foo": 1}), status: 400},
		{name: "id on creation", method: "POST", path: create, body: relocationBody(map[string]any{"id": 3}), status: 400},
		{name: "JSON array", method: "POST", path: create, body: "[" + relocationBody(nil) + "]", status: 400},
		{name: "JSON string", method: "POST", path: create, body: `"cleiss"`, status: 400},
		{name: "empty JSON body", method: "POST", path: create, headers: []string{"Content-Type", "application/json"}, status: 400},
		// 415, 413, 409.
		{name: "text/plain", method: "POST", path: create, body: relocationBody(nil), headers: []string{"Content-Type", "text/plain"}, status: 415},
		{name: "form body", method: "POST", path: create, body: "slug=x", headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 415},
		{name: "no Content-Type", method: "POST", path: create, body: relocationBody(nil), headers: []string{"Content-Type", ""}, status: 415},
		{name: "over 1 MiB", method: "POST", path: create, body: huge, status: 413},
		{name: "duplicate slug", method: "POST", path: create, body: relocationBody(nil), status: 409, fields: []string{"slug"}},
		// 404.
		{name: "unknown id", method: "GET", path: "/api/v1/relocations/999999", status: 404},
		{name: "non-numeric id", method: "GET", path: "/api/v1/relocations/abc", status: 404},
		{name: "negative id", method: "GET", path: "/api/v1/relocations/-1", status: 404},
		{name: "zero id", method: "GET", path: "/api/v1/relocations/0", status: 404},
		{name: "id over int64", method: "GET", path: "/api/v1/relocations/99999999999999999999", status: 404},
		{name: "decimal id", method: "GET", path: "/api/v1/relocations/1.5", status: 404},
		{name: "PATCH unknown id", method: "PATCH", path: "/api/v1/relocations/999999", body: `{"headcount":3}`, headers: im, status: 404},
		{name: "PATCH non-numeric id", method: "PATCH", path: "/api/v1/relocations/abc", body: `{"headcount":3}`, headers: im, status: 404},
		{name: "journal of unknown id", method: "GET", path: "/api/v1/relocations/999999/journal", status: 404},
		{name: "unknown route", method: "GET", path: "/api/v1/nothing-here", status: 404},
		// Regression: the pages' CSRF check once caught unmatched API paths (403, not 404/405).
		{name: "no DELETE of relocations", method: "DELETE", path: path, headers: im, status: 405},
		{name: "POST to an unknown API route", method: "POST", path: "/api/v1/nothing-here", body: `{}`, status: 404},
		{name: "journal limit 0", method: "GET", path: path + "/journal?limit=0", status: 422},
		// PATCH refusals.
		{name: "PATCH headcount 0", method: "PATCH", path: path, body: `{"headcount":0}`, headers: im, status: 422,
			fields: []string{"headcount"}, messages: map[string]string{"headcount": "doit être supérieur à 0"}},
		{name: "PATCH headcount null", method: "PATCH", path: path, body: `{"headcount":null}`, headers: im, status: 422, fields: []string{"headcount"}},
		{name: "PATCH slug null", method: "PATCH", path: path, body: `{"slug":null}`, headers: im, status: 422, fields: []string{"slug"}},
		{name: "PATCH target_move null", method: "PATCH", path: path, body: `{"target_move":null}`, headers: im, status: 422, fields: []string{"target_move"}},
		{name: "PATCH target_move 2022-Q5", method: "PATCH", path: path, body: `{"target_move":"2022-Q5"}`, headers: im, status: 422, fields: []string{"target_move"}},
		{name: "PATCH target_move French label", method: "PATCH", path: path, body: `{"target_move":"début 2022"}`, headers: im, status: 422, fields: []string{"target_move"}},
		{name: "PATCH unknown status", method: "PATCH", path: path, body: `{"status":"termine"}`, headers: im, status: 422, fields: []string{"status"}},
		{name: "PATCH bad slug", method: "PATCH", path: path, body: `{"slug":"Pas Un Slug"}`, headers: im, status: 422, fields: []string{"slug"}},
		{name: "PATCH headcount as text", method: "PATCH", path: path, body: `{"headcount":"douze"}`, headers: im, status: 422, fields: []string{"headcount"}},
		{name: "PATCH valid and invalid together", method: "PATCH", path: path, body: `{"name":"Nouveau nom","headcount":0}`, headers: im, status: 422, fields: []string{"headcount"}},
		{name: "PATCH unknown field", method: "PATCH", path: path, body: `{"foo":1}`, headers: im, status: 400},
		{name: "PATCH id", method: "PATCH", path: path, body: `{"id":3}`, headers: im, status: 400},
		{name: "PATCH version", method: "PATCH", path: path, body: `{"version":5}`, headers: im, status: 400},
		{name: "PATCH derived field", method: "PATCH", path: path, body: `{"required_surface_computed":false}`, headers: im, status: 400},
		{name: "PATCH malformed", method: "PATCH", path: path, body: `{"headcount":`, headers: im, status: 400},
		{name: "PATCH trailing garbage", method: "PATCH", path: path, body: `{"headcount":150}garbage`, headers: im, status: 400},
		{name: "PATCH array", method: "PATCH", path: path, body: `[{"headcount":150}]`, headers: im, status: 400},
		// Regression: a top-level null once decoded as an empty PATCH (200).
		{name: "PATCH null body", method: "PATCH", path: path, body: `null`, headers: im, status: 400},
		{name: "PATCH text/plain", method: "PATCH", path: path, body: `{"headcount":150}`, headers: []string{"If-Match", `"2"`, "Content-Type", "text/plain"}, status: 415},
		{name: "PATCH over 1 MiB", method: "PATCH", path: path, body: huge, headers: im, status: 413},
		{name: "PATCH duplicate slug", method: "PATCH", path: path, body: `{"slug":"autre-projet"}`, headers: im, status: 409, fields: []string{"slug"}},
		{name: "PATCH stale", method: "PATCH", path: path, body: `{"headcount":150}`, headers: []string{"If-Match", `"1"`}, status: 412},
		{name: "PATCH without If-Match", method: "PATCH", path: path, body: `{"headcount":150}`, status: 428},
	})
}
