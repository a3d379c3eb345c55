package ui_test

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// The API tests of issue 4: candidate sites, the criteria grid, scores, the ranking and
// AHP, with every 4xx of SPEC, the journal, who may write, and the pages that print
// what these store (escaped). Refused requests are checked against the shared
// snapshot, which covers the sites, criteria and scores tables.

// montreuil is the body of a valid site creation (name and kind only).
var montreuil = map[string]any{"name": "Bas Montreuil", "kind": "lease"}

func siteBody(over map[string]any, drop ...string) string { return with(montreuil, over, drop...) }

// createSite creates a site of a relocation and returns it.
func (e *apiEnv) createSite(t *testing.T, relocationID int64, over map[string]any) map[string]any {
	t.Helper()
	return e.create(t, fmt.Sprintf("/api/v1/relocations/%d/sites", relocationID), siteBody(over))
}

// read GETs path, expects 200 and returns the JSON object.
func (e *apiEnv) read(t *testing.T, path string) map[string]any {
	t.Helper()
	r := e.do(t, "GET", path, "")
	expect(t, r, 200)
	return r.json
}

// itemsOf returns the items of a list answer.
func itemsOf(t *testing.T, m map[string]any) []map[string]any {
	t.Helper()
	list, ok := m["items"].([]any)
	if !ok {
		t.Fatalf("no items in %v", m)
	}
	out := make([]map[string]any, len(list))
	for i, item := range list {
		out[i], _ = item.(map[string]any)
	}
	return out
}

// criteriaOf returns a relocation's criteria, in the API's order.
func (e *apiEnv) criteriaOf(t *testing.T, relocationID int64) []map[string]any {
	t.Helper()
	return itemsOf(t, e.read(t, fmt.Sprintf("/api/v1/relocations/%d/criteria", relocationID)))
}

// criterionNamed returns the id of the criterion of that name.
func criterionNamed(t *testing.T, cs []map[string]any, name string) int64 {
	t.Helper()
	for _, c := range cs {
		if c["name"] == name {
			return idOf(t, c)
		}
	}
	t.Fatalf("no criterion named %q in %v", name, cs)
	return 0
}

// versionIn reads the version of a resource.
func versionIn(t *testing.T, m map[string]any) int {
	t.Helper()
	v, ok := m["version"].(float64)
	if !ok || v < 1 {
		t.Fatalf("no version in %v", m)
	}
	return int(v)
}

// putScore enters a manual value and returns the answer.
func (e *apiEnv) putScore(t *testing.T, siteID, criterionID int64, value float64, justification string, headers ...string) apiResp {
	t.Helper()
	return e.do(t, "PUT", fmt.Sprintf("/api/v1/sites/%d/scores/%d", siteID, criterionID),
		jsonOf(map[string]any{"value": value, "justification": justification}), headers...)
}

// journalOf returns a relocation's journal entries about entity, newest first.
func (e *apiEnv) journalOf(t *testing.T, relocationID int64, entity string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, entry := range itemsOf(t, e.read(t, fmt.Sprintf("/api/v1/relocations/%d/journal?limit=200", relocationID))) {
		if entry["entity"] == entity {
			out = append(out, entry)
		}
	}
	return out
}

// changeOf returns the before → after of one field of a journal entry.
func changeOf(t *testing.T, entry map[string]any, field string) map[string]any {
	t.Helper()
	changes, _ := entry["changes"].(map[string]any)
	c, _ := changes[field].(map[string]any)
	if c == nil {
		t.Errorf("journal entry %v %v has no change of %s: %v", entry["entity"], entry["action"], field, entry["changes"])
	}
	return c
}

// ids turns a JSON list of ids into int64s (nil when it is not a list).
func ids(v any) []int64 {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	out := []int64{}
	for _, x := range list {
		f, _ := x.(float64)
		out = append(out, int64(f))
	}
	return out
}

func near(got any, want float64) bool {
	g, ok := got.(float64)
	return ok && math.Abs(g-want) <= 1e-9*math.Max(1, math.Abs(want))
}

func TestAPISiteCreateReadList(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	other := idOf(t, e.createRelocation(t, map[string]any{"slug": "autre-projet"}))
	list := fmt.Sprintf("/api/v1/relocations/%d/sites", rel)

	r := e.do(t, "GET", list, "")
	expect(t, r, 200)
	if strings.TrimSpace(r.raw) != `{"items":[]}` {
		t.Errorf("empty list = %s, want {\"items\":[]}", r.raw)
	}

	// Only name and kind: the defaults of SPEC.
	r = e.do(t, "POST", list, `{"name":"Locaux du partenaire","kind":"colocation"}`)
	expect(t, r, 201)
	minimal := r.json
	id := idOf(t, minimal)
	if loc, want := r.Header.Get("Location"), fmt.Sprintf("/api/v1/sites/%d", id); loc != want {
		t.Errorf("Location = %q, want %q", loc, want)
	}
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag = %q, want \"1\"", got)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	checkFields(t, "minimal site", minimal, map[string]any{
		"relocation_id": rel, "name": "Locaux du partenaire", "kind": "colocation", "status": "candidate",
		"available_from": nil, "decision_reason": "", "address": "", "commune": "", "department": "",
		"lat": nil, "lon": nil, "surface_m2": nil, "annual_cost_eur": nil, "version": 1,
	})

	// Every field given.
	full := e.createSite(t, rel, map[string]any{"address": "12 rue de Paris", "commune": "Montreuil",
		"department": "Seine-Saint-Denis (93)", "lat": 48.8589, "lon": 2.4314, "surface_m2": 2400.5,
		"annual_cost_eur": 1.2e6, "available_from": "2021-06", "status": "shortlisted",
		"decision_reason": "Desserte par la ligne 9"})
	checkFields(t, "full site", full, map[string]any{
		"relocation_id": rel, "name": "Bas Montreuil", "kind": "lease", "address": "12 rue de Paris",
		"commune": "Montreuil", "department": "Seine-Saint-Denis (93)", "lat": 48.8589, "lon": 2.4314,
		"surface_m2": 2400.5, "annual_cost_eur": 1.2e6, "status": "shortlisted",
		"available_from":  fuzzy("2021-06", "juin 2021", "2021-06-01", "2021-06-30"),
		"decision_reason": "Desserte par la ligne 9", "version": 1,
	})
	// Spaces around text are trimmed.
	trimmed := e.createSite(t, rel, map[string]any{"name": "  Pantin  ", "kind": "state_owned", "available_from": "2022-early"})
	checkFields(t, "trimmed", trimmed, map[string]any{"name": "Pantin", "kind": "state_owned",
		"available_from": fuzzy("2022-early", "début 2022", "2022-01-01", "2022-04-30")})

	// Read one, with its ETag; the list has the same resources in the order entered.
	r = e.do(t, "GET", fmt.Sprintf("/api/v1/sites/%d", id), "")
	expect(t, r, 200)
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("read ETag = %q, want \"1\"", got)
	}
	if !reflect.DeepEqual(r.json, minimal) {
		t.Errorf("read differs from created:\nread    %v\ncreated %v", r.json, minimal)
	}
	items := itemsOf(t, e.read(t, list))
	if len(items) != 3 {
		t.Fatalf("list has %d items, want 3", len(items))
	}
	for i, want := range []map[string]any{minimal, full, trimmed} {
		if !reflect.DeepEqual(items[i], want) {
			t.Errorf("item %d differs from the resource:\n%v\n%v", i, items[i], want)
		}
	}
	// Another relocation's list does not show them.
	if items := itemsOf(t, e.read(t, fmt.Sprintf("/api/v1/relocations/%d/sites", other))); len(items) != 0 {
		t.Errorf("another relocation lists %d sites", len(items))
	}

	// The creation is journaled, field by field.
	entries := e.journalOf(t, rel, "site")
	if len(entries) != 3 {
		t.Fatalf("%d site journal entries, want 3", len(entries))
	}
	last := entries[2]
	checkFields(t, "site create entry", last, map[string]any{"entity_id": id, "action": "create", "by": adminEmail})
	checkFields(t, "site create name", changeOf(t, last, "name"), map[string]any{"before": nil, "after": "Locaux du partenaire"})
	checkFields(t, "site create kind", changeOf(t, last, "kind"), map[string]any{"before": nil, "after": "colocation"})
	checkFields(t, "full create available_from", changeOf(t, entries[1], "available_from"), map[string]any{"before": nil, "after": "2021-06"})
}

func TestAPISitePatch(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	site := e.createSite(t, rel, map[string]any{"surface_m2": 1800, "commune": "Montreuil"})
	path := fmt.Sprintf("/api/v1/sites/%d", idOf(t, site))

	checkProblem(t, e.do(t, "PATCH", path, `{"surface_m2":2000}`), 428)
	checkProblem(t, e.do(t, "PATCH", path, `{"surface_m2":2000}`, "If-Match", `"7"`), 412)

	r := e.do(t, "PATCH", path, `{"surface_m2":2000,"available_from":"2022-Q1"}`, "If-Match", `"1"`)
	expect(t, r, 200)
	if got := r.Header.Get("ETag"); got != `"2"` {
		t.Errorf("ETag after PATCH = %q, want \"2\"", got)
	}
	checkFields(t, "patched", r.json, map[string]any{"surface_m2": 2000, "version": 2, "commune": "Montreuil",
		"name": "Bas Montreuil", "kind": "lease", "status": "candidate",
		"available_from": fuzzy("2022-Q1", "1er trimestre 2022", "2022-01-01", "2022-03-31")})
	if got := e.read(t, path); !reflect.DeepEqual(got, r.json) {
		t.Errorf("read after PATCH differs:\n%v\n%v", got, r.json)
	}
	// The old ETag is now stale.
	checkProblem(t, e.do(t, "PATCH", path, `{"surface_m2":2100}`, "If-Match", `"1"`), 412)

	// A PATCH that changes nothing keeps the version and writes no journal entry.
	before := e.snapshot(t)
	r = e.do(t, "PATCH", path, `{"surface_m2":2000,"commune":"Montreuil"}`, "If-Match", `"2"`)
	expect(t, r, 200)
	checkFields(t, "no-op", r.json, map[string]any{"version": 2})
	if after := e.snapshot(t); after != before {
		t.Errorf("a no-op PATCH wrote:\nbefore %s\nafter  %s", before, after)
	}

	// null clears an optional field; If-Match * names the current version.
	r = e.do(t, "PATCH", path, `{"surface_m2":null,"available_from":null}`, "If-Match", "*")
	expect(t, r, 200)
	checkFields(t, "cleared", r.json, map[string]any{"surface_m2": nil, "available_from": nil, "version": 3})

	// The journal: newest first, only the changed fields, before → after.
	entries := e.journalOf(t, rel, "site")
	if len(entries) != 3 {
		t.Fatalf("%d site journal entries, want 3 (create, 2 updates)", len(entries))
	}
	checkFields(t, "update entry", entries[1], map[string]any{"action": "update", "entity_id": idOf(t, site)})
	checkFields(t, "surface change", changeOf(t, entries[1], "surface_m2"), map[string]any{"before": 1800, "after": 2000})
	checkFields(t, "available_from change", changeOf(t, entries[1], "available_from"), map[string]any{"before": nil, "after": "2022-Q1"})
	if changes, _ := entries[1]["changes"].(map[string]any); len(changes) != 2 {
		t.Errorf("update entry records unchanged fields: %v", changes)
	}
	checkFields(t, "cleared surface", changeOf(t, entries[0], "surface_m2"), map[string]any{"before": 2000, "after": nil})
}

func TestAPISiteRefused(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	list := fmt.Sprintf("/api/v1/relocations/%d/sites", rel)
	site := e.createSite(t, rel, nil)
	path := fmt.Sprintf("/api/v1/sites/%d", idOf(t, site))
	rejected := e.createSite(t, rel, map[string]any{"name": "Locaux du partenaire", "kind": "colocation",
		"status": "rejected", "decision_reason": "faute d’espaces disponibles"})
	rpath := fmt.Sprintf("/api/v1/sites/%d", idOf(t, rejected))
	im := []string{"If-Match", `"1"`}
	const reasonMsg = "obligatoire quand le site est écarté ou retenu : dites pourquoi"

	runRefusals(t, e, []refusal{
		// 422: values.
		{name: "name missing", method: "POST", path: list, body: siteBody(nil, "name"), status: 422, fields: []string{"name"},
			messages: map[string]string{"name": "champ obligatoire"}},
		{name: "blank name", method: "POST", path: list, body: siteBody(map[string]any{"name": "   "}), status: 422, fields: []string{"name"}},
		{name: "name too long", method: "POST", path: list, body: siteBody(map[string]any{"name": strings.Repeat("é", 201)}), status: 422, fields: []string{"name"}},
		{name: "name as a number", method: "POST", path: list, body: siteBody(map[string]any{"name": 12}), status: 422, fields: []string{"name"}},
		{name: "kind missing", method: "POST", path: list, body: siteBody(nil, "kind"), status: 422, fields: []string{"kind"}},
		{name: "unknown kind", method: "POST", path: list, body: siteBody(map[string]any{"kind": "chateau"}), status: 422,
			fields: []string{"kind"}, contains: map[string]string{"kind": "colocation"}},
		{name: "unknown status", method: "POST", path: list, body: siteBody(map[string]any{"status": "elu"}), status: 422,
			fields: []string{"status"}, contains: map[string]string{"status": "shortlisted"}},
		{name: "rejected without reason", method: "POST", path: list, body: siteBody(map[string]any{"status": "rejected"}), status: 422,
			fields: []string{"decision_reason"}, messages: map[string]string{"decision_reason": reasonMsg}},
		{name: "selected without reason", method: "POST", path: list, body: siteBody(map[string]any{"status": "selected"}), status: 422,
			fields: []string{"decision_reason"}, messages: map[string]string{"decision_reason": reasonMsg}},
		{name: "selected with a blank reason", method: "POST", path: list, body: siteBody(map[string]any{"status": "selected", "decision_reason": "  \n "}),
			status: 422, fields: []string{"decision_reason"}},
		{name: "surface 0", method: "POST", path: list, body: siteBody(map[string]any{"surface_m2": 0}), status: 422,
			fields: []string{"surface_m2"}, messages: map[string]string{"surface_m2": "doit être supérieur à 0"}},
		{name: "negative surface", method: "POST", path: list, body: siteBody(map[string]any{"surface_m2": -10}), status: 422, fields: []string{"surface_m2"}},
		{name: "negative cost", method: "POST", path: list, body: siteBody(map[string]any{"annual_cost_eur": -1}), status: 422, fields: []string{"annual_cost_eur"}},
		{name: "available_from bientôt", method: "POST", path: list, body: siteBody(map[string]any{"available_from": "bientôt"}), status: 422,
			fields: []string{"available_from"}, contains: map[string]string{"available_from": "2022-early"}},
		{name: "available_from 2022-Q5", method: "POST", path: list, body: siteBody(map[string]any{"available_from": "2022-Q5"}), status: 422, fields: []string{"available_from"}},
		{name: "lat 200", method: "POST", path: list, body: siteBody(map[string]any{"lat": 200}), status: 422,
			fields: []string{"lat"}, contains: map[string]string{"lat": "latitude"}},
		{name: "lon 200", method: "POST", path: list, body: siteBody(map[string]any{"lon": 200}), status: 422, fields: []string{"lon"}},
		{name: "surface as text", method: "POST", path: list, body: siteBody(map[string]any{"surface_m2": "grand"}), status: 422, fields: []string{"surface_m2"}},
		{name: "several errors", method: "POST", path: list, body: siteBody(map[string]any{"kind": "x", "lat": 91, "surface_m2": 0}, "name"),
			status: 422, fields: []string{"name", "kind", "lat", "surface_m2"}},
		// 400, 415.
		{name: "unknown field", method: "POST", path: list, body: siteBody(map[string]any{"foo": 1}), status: 400},
		{name: "id on creation", method: "POST", path: list, body: siteBody(map[string]any{"id": 3}), status: 400},
		{name: "relocation_id on creation", method: "POST", path: list, body: siteBody(map[string]any{"relocation_id": rel}), status: 400},
		{name: "version on creation", method: "POST", path: list, body: siteBody(map[string]any{"version": 4}), status: 400},
		{name: "malformed JSON", method: "POST", path: list, body: `{"name":`, status: 400},
		{name: "JSON array", method: "POST", path: list, body: "[" + siteBody(nil) + "]", status: 400},
		{name: "trailing garbage", method: "POST", path: list, body: siteBody(nil) + "x", status: 400},
		{name: "empty JSON body", method: "POST", path: list, headers: []string{"Content-Type", "application/json"}, status: 400},
		{name: "text/plain", method: "POST", path: list, body: siteBody(nil), headers: []string{"Content-Type", "text/plain"}, status: 415},
		{name: "over 1 MiB", method: "POST", path: list, body: siteBody(map[string]any{"address": strings.Repeat("a", 1<<20)}), status: 413},
		{name: "available_from French label", method: "POST", path: list, body: siteBody(map[string]any{"available_from": "juin 2021"}), status: 422, fields: []string{"available_from"}},
		{name: "available_from as an object", method: "POST", path: list, body: siteBody(map[string]any{"available_from": map[string]any{"value": "2022"}}), status: 422, fields: []string{"available_from"}},
		// 404.
		{name: "unknown relocation", method: "POST", path: "/api/v1/relocations/999999/sites", body: siteBody(nil), status: 404},
		{name: "non-numeric relocation", method: "POST", path: "/api/v1/relocations/abc/sites", body: siteBody(nil), status: 404},
		{name: "list of unknown relocation", method: "GET", path: "/api/v1/relocations/999999/sites", status: 404},
		{name: "list of non-numeric relocation", method: "GET", path: "/api/v1/relocations/abc/sites", status: 404},
		{name: "unknown site", method: "GET", path: "/api/v1/sites/999999", status: 404},
		{name: "non-numeric site", method: "GET", path: "/api/v1/sites/abc", status: 404},
		{name: "site 0", method: "GET", path: "/api/v1/sites/0", status: 404},
		{name: "negative site", method: "GET", path: "/api/v1/sites/-1", status: 404},
		{name: "PATCH unknown site", method: "PATCH", path: "/api/v1/sites/999999", body: `{"name":"x"}`, headers: im, status: 404},
		{name: "PATCH non-numeric site", method: "PATCH", path: "/api/v1/sites/abc", body: `{"name":"x"}`, headers: im, status: 404},
		// PATCH.
		{name: "PATCH without If-Match", method: "PATCH", path: path, body: `{"name":"Pantin"}`, status: 428},
		{name: "PATCH stale", method: "PATCH", path: path, body: `{"name":"Pantin"}`, headers: []string{"If-Match", `"2"`}, status: 412},
		{name: "PATCH unreadable If-Match", method: "PATCH", path: path, body: `{"name":"Pantin"}`, headers: []string{"If-Match", "abc"}, status: 412},
		{name: "PATCH name null", method: "PATCH", path: path, body: `{"name":null}`, headers: im, status: 422, fields: []string{"name"}},
		{name: "PATCH kind null", method: "PATCH", path: path, body: `{"kind":null}`, headers: im, status: 422, fields: []string{"kind"}},
		{name: "PATCH unknown kind", method: "PATCH", path: path, body: `{"kind":"chateau"}`, headers: im, status: 422, fields: []string{"kind"}},
		{name: "PATCH unknown status", method: "PATCH", path: path, body: `{"status":"elu"}`, headers: im, status: 422, fields: []string{"status"}},
		{name: "PATCH rejected without reason", method: "PATCH", path: path, body: `{"status":"rejected"}`, headers: im, status: 422,
			fields: []string{"decision_reason"}, messages: map[string]string{"decision_reason": reasonMsg}},
		{name: "PATCH selected without reason", method: "PATCH", path: path, body: `{"status":"selected"}`, headers: im, status: 422,
			fields: []string{"decision_reason"}},
		{name: "PATCH clears the reason of a rejected site", method: "PATCH", path: rpath, body: `{"decision_reason":null}`, headers: im, status: 422,
			fields: []string{"decision_reason"}},
		{name: "PATCH blanks the reason of a rejected site", method: "PATCH", path: rpath, body: `{"decision_reason":"   "}`, headers: im, status: 422,
			fields: []string{"decision_reason"}},
		{name: "PATCH surface 0", method: "PATCH", path: path, body: `{"surface_m2":0}`, headers: im, status: 422, fields: []string{"surface_m2"}},
		{name: "PATCH available_from bientôt", method: "PATCH", path: path, body: `{"available_from":"bientôt"}`, headers: im, status: 422, fields: []string{"available_from"}},
		{name: "PATCH lat 200", method: "PATCH", path: path, body: `{"lat":200}`, headers: im, status: 422, fields: []string{"lat"}},
		{name: "PATCH unknown field", method: "PATCH", path: path, body: `{"foo":1}`, headers: im, status: 400},
		{name: "PATCH id", method: "PATCH", path: path, body: `{"id":3}`, headers: im, status: 400},
		{name: "PATCH relocation_id", method: "PATCH", path: path, body: jsonOf(map[string]any{"relocation_id": rel + 1}), headers: im, status: 400},
		{name: "PATCH version", method: "PATCH", path: path, body: `{"version":9}`, headers: im, status: 400},
		{name: "PATCH malformed", method: "PATCH", path: path, body: `{"name":`, headers: im, status: 400},
		{name: "PATCH null body", method: "PATCH", path: path, body: `null`, headers: im, status: 400},
		{name: "PATCH text/plain", method: "PATCH", path: path, body: `{"name":"x"}`, headers: []string{"If-Match", `"1"`, "Content-Type", "text/plain"}, status: 415},
		{name: "no DELETE of sites", method: "DELETE", path: path, headers: im, status: 405},
	})
}

// TestAPISiteSelection: selecting a site records it as the relocation's chosen site in
// the same transaction (a new relocation version, journaled); a second selection is a
// conflict until the first is changed back.
func TestAPISiteSelection(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	relPath := fmt.Sprintf("/api/v1/relocations/%d", rel)
	first := idOf(t, e.createSite(t, rel, nil))
	second := idOf(t, e.createSite(t, rel, map[string]any{"name": "Pantin"}))
	firstPath, secondPath := fmt.Sprintf("/api/v1/sites/%d", first), fmt.Sprintf("/api/v1/sites/%d", second)
	relVersion := versionIn(t, e.read(t, relPath))
	checkFields(t, "before any selection", e.read(t, relPath), map[string]any{"chosen_site_id": nil})

	r := e.do(t, "PATCH", firstPath, `{"status":"selected","decision_reason":"meilleur score, desserte RER"}`, "If-Match", `"1"`)
	expect(t, r, 200)
	checkFields(t, "selected", r.json, map[string]any{"status": "selected", "decision_reason": "meilleur score, desserte RER", "version": 2})
	r = e.do(t, "GET", relPath, "")
	expect(t, r, 200)
	checkFields(t, "relocation after the selection", r.json, map[string]any{"chosen_site_id": first, "version": relVersion + 1})
	if got := r.Header.Get("ETag"); got != etag(relVersion+1) {
		t.Errorf("relocation ETag after the selection = %q, want %q", got, etag(relVersion+1))
	}
	entries := e.journalOf(t, rel, "relocation")
	checkFields(t, "chosen_site_id entry", entries[0], map[string]any{"action": "update", "entity_id": rel})
	checkFields(t, "chosen_site_id change", changeOf(t, entries[0], "chosen_site_id"), map[string]any{"before": nil, "after": first})

	// A second selection, by PATCH or at creation, is a conflict naming the status.
	runRefusals(t, e, []refusal{
		{name: "select a second site", method: "PATCH", path: secondPath, body: `{"status":"selected","decision_reason":"autre choix"}`,
			headers: []string{"If-Match", `"1"`}, status: 409, fields: []string{"status"}},
		{name: "create a second selected site", method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/sites", rel),
			body: siteBody(map[string]any{"name": "Saint-Ouen", "status": "selected", "decision_reason": "autre choix"}), status: 409, fields: []string{"status"}},
	})
	checkFields(t, "relocation after the conflict", e.read(t, relPath), map[string]any{"chosen_site_id": first, "version": relVersion + 1})

	// Selecting the selected site again changes nothing.
	before := e.snapshot(t)
	expect(t, e.do(t, "PATCH", firstPath, `{"status":"selected"}`, "If-Match", `"2"`), 200)
	if after := e.snapshot(t); after != before {
		t.Errorf("selecting the selected site again wrote:\nbefore %s\nafter  %s", before, after)
	}

	// The first changed back: no chosen site; then the second may be selected.
	r = e.do(t, "PATCH", firstPath, `{"status":"shortlisted"}`, "If-Match", `"2"`)
	expect(t, r, 200)
	checkFields(t, "changed back", r.json, map[string]any{"status": "shortlisted", "version": 3})
	checkFields(t, "relocation after the change back", e.read(t, relPath), map[string]any{"chosen_site_id": nil, "version": relVersion + 2})
	r = e.do(t, "PATCH", secondPath, `{"status":"selected","decision_reason":"autre choix"}`, "If-Match", `"1"`)
	expect(t, r, 200)
	checkFields(t, "relocation after the second selection", e.read(t, relPath), map[string]any{"chosen_site_id": second, "version": relVersion + 3})

	// Rejecting the selected site clears the chosen site; a site created as selected
	// becomes the chosen one.
	expect(t, e.do(t, "PATCH", secondPath, `{"status":"rejected","decision_reason":"bail refusé"}`, "If-Match", `"2"`), 200)
	checkFields(t, "after rejecting the chosen site", e.read(t, relPath), map[string]any{"chosen_site_id": nil})
	third := e.createSite(t, rel, map[string]any{"name": "Saint-Ouen", "status": "selected", "decision_reason": "seul site restant"})
	checkFields(t, "after creating a selected site", e.read(t, relPath), map[string]any{"chosen_site_id": idOf(t, third), "version": relVersion + 5})

	// Another relocation may have its own selected site.
	other := idOf(t, e.createRelocation(t, map[string]any{"slug": "autre-projet"}))
	o := e.createSite(t, other, map[string]any{"status": "selected", "decision_reason": "seul site"})
	checkFields(t, "other relocation", e.read(t, fmt.Sprintf("/api/v1/relocations/%d", other)), map[string]any{"chosen_site_id": idOf(t, o)})
}

// TestAPISiteConcurrentSelection races two selections in one relocation, by two PATCHes
// or by a PATCH and the creation of a selected site: exactly one wins, the other is a
// conflict (409), never a server error, and the winner is the chosen site.
//
// Not parallel: under the load of the other tests the race is lost less often.
func TestAPISiteConcurrentSelection(t *testing.T) {
	e := newAPIEnv(t)
	const rounds = 40
	serverErrors := 0
	for i := 0; i < rounds; i++ {
		rel := idOf(t, e.createRelocation(t, map[string]any{"slug": fmt.Sprintf("course-%d", i)}))
		first := idOf(t, e.createSite(t, rel, nil))
		second := idOf(t, e.createSite(t, rel, map[string]any{"name": "Pantin"}))
		selectFirst := func() apiResp {
			return e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", first), `{"status":"selected","decision_reason":"premier"}`, "If-Match", `"1"`)
		}
		other := func() apiResp {
			return e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", second), `{"status":"selected","decision_reason":"second"}`, "If-Match", `"1"`)
		}
		if i%4 != 0 {
			other = func() apiResp {
				return e.do(t, "POST", fmt.Sprintf("/api/v1/relocations/%d/sites", rel),
					siteBody(map[string]any{"name": "Saint-Ouen", "status": "selected", "decision_reason": "troisième"}))
			}
		}
		var a, b apiResp
		start, done := make(chan struct{}), make(chan struct{})
		go func() { defer close(done); <-start; b = other() }()
		close(start)
		a = selectFirst()
		<-done
		if a.StatusCode >= 500 || b.StatusCode >= 500 {
			serverErrors++
			continue
		}
		var winner int64
		switch {
		case a.StatusCode == 200 && b.StatusCode == 409:
			winner = first
		case (b.StatusCode == 200 || b.StatusCode == 201) && a.StatusCode == 409:
			winner = idOf(t, b.json)
		default:
			t.Errorf("round %d: statuses %d and %d, want one success and one 409\n%s\n%s", i, a.StatusCode, b.StatusCode, a, b)
			continue
		}
		checkFields(t, fmt.Sprintf("round %d", i), e.read(t, fmt.Sprintf("/api/v1/relocations/%d", rel)), map[string]any{"chosen_site_id": winner})
		var selected int
		if err := e.db.Get(&selected, `SELECT count(*) FROM sites WHERE relocation_id = $1 AND status = 'selected'`, rel); err != nil || selected != 1 {
			t.Errorf("round %d: %d selected sites (%v), want 1", i, selected, err)
		}
	}
	// Regression: UpdateSite once locked the site before its relocation, the reverse of
	// CreateSite, so racing selections deadlocked and one answered 500.
	if serverErrors > 0 {
		t.Errorf("%d of %d concurrent selections answered 500, want one success and one 409 each", serverErrors, rounds)
	}
}

// The default criteria of SPEC.
const (
	critSurface = "Surface nécessaire et offres immobilières"
	critVis     = "Visibilité et accessibilité"
	critCommute = "Situation des agents, temps de trajet"
	critNeeds   = "Nécessités des métiers et pratiques de travail"
)

func TestAPICriteriaDefaults(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	cs := e.criteriaOf(t, rel)
	want := []map[string]any{
		{"name": critSurface, "source": "surface_coverage", "direction": "higher_is_better", "scale_min": 0, "scale_max": 1.5, "threshold": 1, "weight": 30},
		{"name": critVis, "source": "manual", "direction": "higher_is_better", "scale_min": 0, "scale_max": 10, "threshold": nil, "weight": 25},
		{"name": critCommute, "source": "commute_median", "direction": "lower_is_better", "scale_min": 0, "scale_max": 120, "threshold": nil, "weight": 25},
		{"name": critNeeds, "source": "manual", "direction": "higher_is_better", "scale_min": 0, "scale_max": 10, "threshold": nil, "weight": 20},
	}
	if len(cs) != len(want) {
		t.Fatalf("a new relocation has %d criteria, want 4: %v", len(cs), cs)
	}
	for i, w := range want {
		w["relocation_id"], w["version"], w["description"] = rel, 1, ""
		checkFields(t, fmt.Sprintf("default criterion %d", i), cs[i], w)
	}
	// Each relocation has its own grid.
	other := idOf(t, e.createRelocation(t, map[string]any{"slug": "autre-projet"}))
	ocs := e.criteriaOf(t, other)
	if len(ocs) != 4 || idOf(t, ocs[0]) == idOf(t, cs[0]) {
		t.Errorf("another relocation's grid: %v", ocs)
	}
	// The creations are journaled.
	if n := len(e.journalOf(t, rel, "criterion")); n != 4 {
		t.Errorf("%d criterion journal entries for a new relocation, want 4", n)
	}
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations/999999/criteria", ""), 404)
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations/abc/criteria", ""), 404)
}

// cost is the body of a valid criterion creation.
var cost = map[string]any{"name": "Coût annuel", "description": "Loyer et charges, en M€", "weight": 12.5,
	"direction": "lower_is_better", "scale_min": 0, "scale_max": 4}

func criterionBody(over map[string]any, drop ...string) string { return with(cost, over, drop...) }

func TestAPICriteriaWrite(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	list := fmt.Sprintf("/api/v1/relocations/%d/criteria", rel)

	r := e.do(t, "POST", list, criterionBody(nil))
	expect(t, r, 201)
	id := idOf(t, r.json)
	path := fmt.Sprintf("/api/v1/criteria/%d", id)
	if loc := r.Header.Get("Location"); loc != path {
		t.Errorf("Location = %q, want %q", loc, path)
	}
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag = %q, want \"1\"", got)
	}
	checkFields(t, "created", r.json, map[string]any{"relocation_id": rel, "name": "Coût annuel", "description": "Loyer et charges, en M€",
		"weight": 12.5, "direction": "lower_is_better", "scale_min": 0, "scale_max": 4, "threshold": nil, "source": "manual", "version": 1})
	created := r.json
	cs := e.criteriaOf(t, rel)
	if len(cs) != 5 || !reflect.DeepEqual(cs[4], created) {
		t.Errorf("the list does not end with the new criterion: %v", cs)
	}
	// A threshold and a computed source may be given.
	share := e.create(t, list, criterionBody(map[string]any{"name": "Part des agents au trajet allongé", "source": "commute_share_over",
		"scale_max": 100, "threshold": 50, "weight": 10}, "description"))
	checkFields(t, "with threshold", share, map[string]any{"threshold": 50, "source": "commute_share_over", "description": ""})

	// Reweight: If-Match required, then a new version.
	checkProblem(t, e.do(t, "PATCH", path, `{"weight":40}`), 428)
	checkProblem(t, e.do(t, "PATCH", path, `{"weight":40}`, "If-Match", `"2"`), 412)
	r = e.do(t, "PATCH", path, `{"weight":40}`, "If-Match", `"1"`)
	expect(t, r, 200)
	if got := r.Header.Get("ETag"); got != `"2"` {
		t.Errorf("ETag after PATCH = %q, want \"2\"", got)
	}
	checkFields(t, "reweighted", r.json, map[string]any{"weight": 40, "version": 2, "name": "Coût annuel", "direction": "lower_is_better", "scale_max": 4})
	checkFields(t, "listed after reweighting", e.criteriaOf(t, rel)[4], map[string]any{"weight": 40, "version": 2})
	// A no-op keeps the version.
	r = e.do(t, "PATCH", path, `{"weight":40,"name":"Coût annuel"}`, "If-Match", `"2"`)
	expect(t, r, 200)
	checkFields(t, "no-op", r.json, map[string]any{"version": 2})
	// A threshold set then cleared.
	r = e.do(t, "PATCH", path, `{"threshold":3,"scale_min":0.5}`, "If-Match", `"2"`)
	expect(t, r, 200)
	checkFields(t, "threshold", r.json, map[string]any{"threshold": 3, "scale_min": 0.5, "version": 3})
	r = e.do(t, "PATCH", path, `{"threshold":null}`, "If-Match", `"3"`)
	expect(t, r, 200)
	checkFields(t, "threshold cleared", r.json, map[string]any{"threshold": nil, "version": 4})

	// Its scores go with it when it is deleted.
	site := idOf(t, e.createSite(t, rel, nil))
	expect(t, e.putScore(t, site, id, 2, "devis du bailleur"), 201)
	checkProblem(t, e.do(t, "DELETE", path, ""), 428)
	checkProblem(t, e.do(t, "DELETE", path, "", "If-Match", `"3"`), 412)
	r = e.do(t, "DELETE", path, "", "If-Match", `"4"`)
	expect(t, r, 204)
	if r.raw != "" {
		t.Errorf("204 with a body: %q", r.raw)
	}
	for _, c := range e.criteriaOf(t, rel) {
		if idOf(t, c) == id {
			t.Errorf("the deleted criterion is still listed")
		}
	}
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM scores WHERE criterion_id = $1`, id); err != nil || n != 0 {
		t.Errorf("%d scores (%v) of the deleted criterion remain", n, err)
	}
	checkProblem(t, e.do(t, "DELETE", path, "", "If-Match", `"4"`), 404)
	checkProblem(t, e.do(t, "PATCH", path, `{"weight":1}`, "If-Match", `"4"`), 404)

	// The journal: create, updates with before → after, delete.
	entries := e.journalOf(t, rel, "criterion")
	var mine []map[string]any
	for _, entry := range entries {
		if v, _ := entry["entity_id"].(float64); int64(v) == id {
			mine = append(mine, entry)
		}
	}
	actions := []string{}
	for _, entry := range mine {
		actions = append(actions, fmt.Sprint(entry["action"]))
	}
	if strings.Join(actions, ",") != "delete,update,update,update,create" {
		t.Fatalf("journal of the criterion: %v, want delete, 3 updates, create", actions)
	}
	checkFields(t, "reweight entry", changeOf(t, mine[3], "weight"), map[string]any{"before": 12.5, "after": 40})
	if changes, _ := mine[3]["changes"].(map[string]any); len(changes) != 1 {
		t.Errorf("reweight entry records unchanged fields: %v", changes)
	}
	checkFields(t, "create entry", changeOf(t, mine[4], "name"), map[string]any{"before": nil, "after": "Coût annuel"})
	checkFields(t, "delete entry", changeOf(t, mine[0], "name"), map[string]any{"before": "Coût annuel", "after": nil})
}

func TestAPICriteriaRefused(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	list := fmt.Sprintf("/api/v1/relocations/%d/criteria", rel)
	id := idOf(t, e.create(t, list, criterionBody(nil)))
	path := fmt.Sprintf("/api/v1/criteria/%d", id)
	im := []string{"If-Match", `"1"`}

	runRefusals(t, e, []refusal{
		{name: "weight 0", method: "POST", path: list, body: criterionBody(map[string]any{"weight": 0}), status: 422,
			fields: []string{"weight"}, messages: map[string]string{"weight": "doit être supérieur à 0"}},
		{name: "negative weight", method: "POST", path: list, body: criterionBody(map[string]any{"weight": -5}), status: 422, fields: []string{"weight"}},
		{name: "weight missing", method: "POST", path: list, body: criterionBody(nil, "weight"), status: 422, fields: []string{"weight"}},
		{name: "weight as text", method: "POST", path: list, body: criterionBody(map[string]any{"weight": "lourd"}), status: 422, fields: []string{"weight"}},
		{name: "name missing", method: "POST", path: list, body: criterionBody(nil, "name"), status: 422, fields: []string{"name"}},
		{name: "blank name", method: "POST", path: list, body: criterionBody(map[string]any{"name": " "}), status: 422, fields: []string{"name"}},
		{name: "direction missing", method: "POST", path: list, body: criterionBody(nil, "direction"), status: 422, fields: []string{"direction"}},
		{name: "unknown direction", method: "POST", path: list, body: criterionBody(map[string]any{"direction": "sideways"}), status: 422,
			fields: []string{"direction"}, contains: map[string]string{"direction": "higher_is_better"}},
		{name: "unknown source", method: "POST", path: list, body: criterionBody(map[string]any{"source": "magic"}), status: 422,
			fields: []string{"source"}, contains: map[string]string{"source": "surface_coverage"}},
		{name: "scale_min missing", method: "POST", path: list, body: criterionBody(nil, "scale_min"), status: 422, fields: []string{"scale_min"}},
		{name: "scale_max missing", method: "POST", path: list, body: criterionBody(nil, "scale_max"), status: 422, fields: []string{"scale_max"}},
		{name: "unknown field", method: "POST", path: list, body: criterionBody(map[string]any{"foo": 1}), status: 400},
		{name: "id on creation", method: "POST", path: list, body: criterionBody(map[string]any{"id": 1}), status: 400},
		{name: "malformed", method: "POST", path: list, body: `{"name":`, status: 400},
		{name: "text/plain", method: "POST", path: list, body: criterionBody(nil), headers: []string{"Content-Type", "text/plain"}, status: 415},
		{name: "unknown relocation", method: "POST", path: "/api/v1/relocations/999999/criteria", body: criterionBody(nil), status: 404},
		{name: "non-numeric relocation", method: "POST", path: "/api/v1/relocations/abc/criteria", body: criterionBody(nil), status: 404},
		// PATCH and DELETE.
		{name: "PATCH without If-Match", method: "PATCH", path: path, body: `{"weight":3}`, status: 428},
		{name: "PATCH stale", method: "PATCH", path: path, body: `{"weight":3}`, headers: []string{"If-Match", `"5"`}, status: 412},
		{name: "PATCH weight 0", method: "PATCH", path: path, body: `{"weight":0}`, headers: im, status: 422, fields: []string{"weight"}},
		{name: "PATCH negative weight", method: "PATCH", path: path, body: `{"weight":-1}`, headers: im, status: 422, fields: []string{"weight"}},
		{name: "PATCH weight null", method: "PATCH", path: path, body: `{"weight":null}`, headers: im, status: 422, fields: []string{"weight"}},
		{name: "PATCH name null", method: "PATCH", path: path, body: `{"name":null}`, headers: im, status: 422, fields: []string{"name"}},
		{name: "PATCH unknown direction", method: "PATCH", path: path, body: `{"direction":"up"}`, headers: im, status: 422, fields: []string{"direction"}},
		{name: "PATCH unknown source", method: "PATCH", path: path, body: `{"source":"magic"}`, headers: im, status: 422, fields: []string{"source"}},
		{name: "PATCH unknown field", method: "PATCH", path: path, body: `{"foo":1}`, headers: im, status: 400},
		{name: "PATCH relocation_id", method: "PATCH", path: path, body: `{"relocation_id":1}`, headers: im, status: 400},
		{name: "PATCH unknown criterion", method: "PATCH", path: "/api/v1/criteria/999999", body: `{"weight":3}`, headers: im, status: 404},
		{name: "PATCH non-numeric criterion", method: "PATCH", path: "/api/v1/criteria/abc", body: `{"weight":3}`, headers: im, status: 404},
		{name: "DELETE without If-Match", method: "DELETE", path: path, status: 428},
		{name: "DELETE stale", method: "DELETE", path: path, headers: []string{"If-Match", `"2"`}, status: 412},
		{name: "DELETE unreadable If-Match", method: "DELETE", path: path, headers: []string{"If-Match", "abc"}, status: 412},
		{name: "DELETE unknown criterion", method: "DELETE", path: "/api/v1/criteria/999999", headers: im, status: 404},
	})

	// scale_min ≥ scale_max: refused, naming one of the two bounds.
	for _, c := range []struct{ name, method, path, body string }{
		{"scale_min = scale_max", "POST", list, criterionBody(map[string]any{"scale_min": 10, "scale_max": 10})},
		{"scale_min > scale_max", "POST", list, criterionBody(map[string]any{"scale_min": 11, "scale_max": 10})},
		{"PATCH scale_min above scale_max", "PATCH", path, `{"scale_min":5}`},
		{"PATCH scale_max = scale_min", "PATCH", path, `{"scale_max":0}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := e.snapshot(t)
			r := e.do(t, c.method, c.path, c.body, im...)
			got := checkProblem(t, r, 422)
			if len(got) != 1 || (got["scale_min"] == "" && got["scale_max"] == "") {
				t.Errorf("errors %v, want one naming scale_min or scale_max", got)
			}
			if after := e.snapshot(t); after != before {
				t.Errorf("a refused request wrote:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func TestAPIScores(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	cs := e.criteriaOf(t, rel)
	vis := criterionNamed(t, cs, critVis)
	site := idOf(t, e.createSite(t, rel, nil))
	path := fmt.Sprintf("/api/v1/sites/%d/scores/%d", site, vis)

	// First time: 201 with Location, ETag and the score.
	r := e.do(t, "PUT", path, `{"value":7,"justification":"  Visite du 3 mai 2021 : RER A et ligne 9 à 200 m  "}`)
	expect(t, r, 201)
	if loc := r.Header.Get("Location"); loc != path {
		t.Errorf("Location = %q, want %q", loc, path)
	}
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag = %q, want \"1\"", got)
	}
	checkFields(t, "created score", r.json, map[string]any{"site_id": site, "criterion_id": vis, "value": 7,
		"justification": "Visite du 3 mai 2021 : RER A et ligne 9 à 200 m", "version": 1, "updated_by": adminEmail})

	// The Location answers: the score with its ETag; before any entry, 404.
	r = e.do(t, "GET", path, "")
	expect(t, r, 200)
	checkFields(t, "read score", r.json, map[string]any{"value": 7, "version": 1})
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("GET ETag = %q, want \"1\"", got)
	}
	checkProblem(t, e.do(t, "GET", fmt.Sprintf("/api/v1/sites/%d/scores/%d", site, criterionNamed(t, cs, critNeeds)), ""), 404)

	// Then 200, a new version.
	r = e.do(t, "PUT", path, `{"value":7.5,"justification":"Contre-visite"}`)
	expect(t, r, 200)
	if r.Header.Get("Location") != "" {
		t.Errorf("an update answers a Location: %q", r.Header.Get("Location"))
	}
	if got := r.Header.Get("ETag"); got != `"2"` {
		t.Errorf("ETag = %q, want \"2\"", got)
	}
	checkFields(t, "updated score", r.json, map[string]any{"value": 7.5, "justification": "Contre-visite", "version": 2})

	// The same value again: 200, nothing written.
	before := e.snapshot(t)
	r = e.do(t, "PUT", path, `{"value":7.5,"justification":"Contre-visite"}`)
	expect(t, r, 200)
	checkFields(t, "same score", r.json, map[string]any{"version": 2})
	if after := e.snapshot(t); after != before {
		t.Errorf("an unchanged score wrote:\nbefore %s\nafter  %s", before, after)
	}

	// If-Match honoured: the current version passes, a stale one is 412.
	checkProblem(t, e.do(t, "PUT", path, `{"value":9,"justification":"x"}`, "If-Match", `"1"`), 412)
	r = e.do(t, "PUT", path, `{"value":10,"justification":"Borne haute de l’échelle"}`, "If-Match", `"2"`)
	expect(t, r, 200)
	checkFields(t, "score with If-Match", r.json, map[string]any{"value": 10, "version": 3})
	// The scale's bounds are inside it.
	needs := criterionNamed(t, cs, critNeeds)
	expect(t, e.putScore(t, site, needs, 0, "Borne basse"), 201)

	// The ranking reads the value.
	rk := e.read(t, fmt.Sprintf("/api/v1/relocations/%d/ranking", rel))
	items := itemsOf(t, map[string]any{"items": rk["items"]})
	found := false
	for _, item := range items {
		for _, b := range item["breakdown"].([]any) {
			m := b.(map[string]any)
			if v, _ := m["criterion_id"].(float64); int64(v) == vis {
				found = near(m["value"], 10)
			}
		}
	}
	if !found {
		t.Errorf("the ranking does not show the entered value 10: %v", rk)
	}

	// The journal: "score" entries, before → after.
	entries := e.journalOf(t, rel, "score")
	if len(entries) != 4 {
		t.Fatalf("%d score journal entries, want 4 (2 creations, 2 changes)", len(entries))
	}
	checkFields(t, "newest score entry", entries[0], map[string]any{"action": "create", "by": adminEmail})
	checkFields(t, "newest score value", changeOf(t, entries[0], "value"), map[string]any{"before": nil, "after": 0})
	checkFields(t, "last change", entries[1], map[string]any{"action": "update"})
	checkFields(t, "last change value", changeOf(t, entries[1], "value"), map[string]any{"before": 7.5, "after": 10})
	checkFields(t, "last change justification", changeOf(t, entries[1], "justification"),
		map[string]any{"before": "Contre-visite", "after": "Borne haute de l’échelle"})
	checkFields(t, "first change value", changeOf(t, entries[2], "value"), map[string]any{"before": 7, "after": 7.5})
	checkFields(t, "creation", entries[3], map[string]any{"action": "create"})
	checkFields(t, "creation value", changeOf(t, entries[3], "value"), map[string]any{"before": nil, "after": 7})
	checkFields(t, "creation justification", changeOf(t, entries[3], "justification"),
		map[string]any{"before": nil, "after": "Visite du 3 mai 2021 : RER A et ligne 9 à 200 m"})
	// Every entry says which criterion the value is of.
	for i, entry := range entries {
		crit := changeOf(t, entry, "criterion_id")
		if crit == nil || (!near(crit["after"], float64(vis)) && !near(crit["after"], float64(needs))) {
			t.Errorf("score entry %d does not name its criterion: %v", i, entry["changes"])
		}
	}
}

func TestAPIScoresRefused(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	cs := e.criteriaOf(t, rel)
	vis, surface, commute := criterionNamed(t, cs, critVis), criterionNamed(t, cs, critSurface), criterionNamed(t, cs, critCommute)
	site := idOf(t, e.createSite(t, rel, map[string]any{"surface_m2": 1000}))
	other := idOf(t, e.createRelocation(t, map[string]any{"slug": "autre-projet"}))
	otherVis := criterionNamed(t, e.criteriaOf(t, other), critVis)
	otherSite := idOf(t, e.createSite(t, other, nil))
	path := func(sid, cid int64) string { return fmt.Sprintf("/api/v1/sites/%d/scores/%d", sid, cid) }
	p := path(site, vis)
	// A second site with a score at version 1, to check If-Match against.
	scored := idOf(t, e.createSite(t, rel, map[string]any{"name": "Pantin"}))
	expect(t, e.putScore(t, scored, vis, 5, "visite"), 201)
	sp := path(scored, vis)
	const ok = `{"value":7,"justification":"visite"}`

	runRefusals(t, e, []refusal{
		{name: "value above the scale", method: "PUT", path: p, body: `{"value":11,"justification":"visite"}`, status: 422,
			fields: []string{"value"}, contains: map[string]string{"value": "10"}},
		{name: "value below the scale", method: "PUT", path: p, body: `{"value":-0.5,"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "value just above the scale", method: "PUT", path: p, body: `{"value":10.000001,"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "value missing", method: "PUT", path: p, body: `{"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "value null", method: "PUT", path: p, body: `{"value":null,"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "value as text", method: "PUT", path: p, body: `{"value":"7","justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "value 1e400", method: "PUT", path: p, body: `{"value":1e400,"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "justification missing", method: "PUT", path: p, body: `{"value":7}`, status: 422, fields: []string{"justification"}},
		{name: "blank justification", method: "PUT", path: p, body: `{"value":7,"justification":"  "}`, status: 422, fields: []string{"justification"}},
		{name: "both missing", method: "PUT", path: p, body: `{}`, status: 422, fields: []string{"value", "justification"}},
		{name: "justification too long", method: "PUT", path: p, body: jsonOf(map[string]any{"value": 7, "justification": strings.Repeat("j", 5001)}), status: 422, fields: []string{"justification"}},
		{name: "computed criterion surface_coverage", method: "PUT", path: path(site, surface), body: `{"value":1,"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "computed criterion commute_median", method: "PUT", path: path(site, commute), body: `{"value":30,"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "criterion of another relocation", method: "PUT", path: path(site, otherVis), body: ok, status: 422},
		{name: "site of another relocation", method: "PUT", path: path(otherSite, vis), body: ok, status: 422},
		{name: "unknown site", method: "PUT", path: path(999999, vis), body: ok, status: 404},
		{name: "unknown criterion", method: "PUT", path: path(site, 999999), body: ok, status: 404},
		{name: "non-numeric site", method: "PUT", path: fmt.Sprintf("/api/v1/sites/abc/scores/%d", vis), body: ok, status: 404},
		{name: "non-numeric criterion", method: "PUT", path: fmt.Sprintf("/api/v1/sites/%d/scores/abc", site), body: ok, status: 404},
		{name: "stale If-Match", method: "PUT", path: sp, body: ok, headers: []string{"If-Match", `"2"`}, status: 412},
		{name: "If-Match on a score not entered yet", method: "PUT", path: p, body: ok, headers: []string{"If-Match", `"1"`}, status: 412},
		{name: "unreadable If-Match", method: "PUT", path: sp, body: ok, headers: []string{"If-Match", "abc"}, status: 412},
		{name: "unknown field", method: "PUT", path: p, body: `{"value":7,"justification":"visite","source":"moi"}`, status: 400},
		{name: "malformed", method: "PUT", path: p, body: `{"value":7,`, status: 400},
		{name: "text/plain", method: "PUT", path: p, body: ok, headers: []string{"Content-Type", "text/plain"}, status: 415},
		{name: "GET of an unknown site's score", method: "GET", path: "/api/v1/sites/999999/scores/1", status: 404},
		{name: "DELETE of a score", method: "DELETE", path: sp, status: 405},
	})
	// The criterion of another relocation is named.
	r := e.do(t, "PUT", path(site, otherVis), ok)
	if got := checkProblem(t, r, 422); len(got) != 1 || got["criterion_id"] == "" {
		t.Errorf("criterion of another relocation: errors %v, want one on criterion_id", got)
	}
	// A weak ETag of the current version passes.
	r = e.do(t, "PUT", sp, `{"value":6,"justification":"contre-visite"}`, "If-Match", `W/"1"`)
	expect(t, r, 200)
	checkFields(t, "PUT with a weak ETag", r.json, map[string]any{"value": 6, "version": 2})
	// If-Match: * is not stale when the score exists (RFC 9110 §13.1.1).
	r = e.do(t, "PUT", sp, `{"value":6.5,"justification":"nouvelle visite"}`, "If-Match", "*")
	// Regression: If-Match: * on a score was once refused with 412.
	if r.StatusCode != 200 {
		t.Errorf("PUT with If-Match: * over an existing score: status %d, want 200\n%s", r.StatusCode, r)
	}
}

// TestAPIRankingWeightedSum checks GET /relocations/{id}/ranking on a grid whose every
// figure is computed by hand below.
//
// The relocation needs 2 000 m². Its commute criterion (no roster yet) first leaves
// every site incomplete; once it is deleted the grid is, in criterion order:
//
//	S  Surface      w 30  higher, 0–1.5, threshold 1   value = surface ÷ 2 000
//	V  Visibilité   w 25  higher, 0–10
//	N  Nécessités   w 20  higher, 0–10
//	C  Coût annuel  w 25  lower,  0–4 (M€)              Σw = 100
//
// Normalised n = (v − min)/(max − min), or (max − v)/(max − min) for C; score =
// 100 × Σ wᵢnᵢ / Σw = Σ wᵢnᵢ here.
//
//	site                  surface  V   N   C     n(S)   n(V) n(N) n(C)  score
//	Bas Montreuil           2 400  8   6   1     0,8    0,8  0,6  0,75  24+20+12+18,75  = 74,75  rank 1
//	Noisy-le-Grand          2 000 10   7   2,4   2/3    1    0,7  0,4   20+25+14+10     = 69     rank 2
//	Pantin                  3 000  5   7   2     1      0,5  0,7  0,5   30+12,5+14+12,5 = 69     rank 2 (tie, by name)
//	Saint-Ouen (rejected)   2 200  4   5   3     11/15  0,4  0,5  0,25  22+10+10+6,25   = 48,25  rank 4 (still ranked)
//	Locaux du partenaire    1 200  9   9   0     0,4    0,9  0,9  1     12+22,5+18+25   = 77,5   eliminated by S (0,6 < 1)
//	Site sans surface           —  5   5   2     —      0,5  0,5  0,5   incomplete, missing S
//
// Sensitivity of Bas Montreuil (A) against the other ranked sites. For criterion i at
// share t, others keeping their proportions: S_A − S_k = a·t + b·(1 − t) with a = dᵢ and
// b = Σ_{j≠i} w_j d_j / Σ_{j≠i} w_j, d = n(A) − n(k):
//
//	vs Pantin:     d = (−0,2; 0,3; −0,1; 0,25)
//	vs Noisy:      d = (2/15; −0,2; −0,1; 0,35)
//	vs Saint-Ouen: d = (1/15; 0,4; 0,1; 0,5), all ≥ 0: never overtakes.
//
//	S (30 %): Pantin a = −0,2, b = (7,5 − 2 + 6,25)/70 = 11,75/70 → t = b/(b − a) = 11,75/25,75 = 45,63 %;
//	          Noisy a > 0, b = (−5 − 2 + 8,75)/70 > 0: no bound.           → [0; 45,6]
//	V (25 %): Pantin a = 0,3, b = (−6 − 2 + 6,25)/75 = −1,75/75 → t = 1,75/24,25 = 7,22 % (lower bound);
//	          Noisy a = −0,2, b = (4 − 2 + 8,75)/75 = 10,75/75 → t = 10,75/25,75 = 41,75 %. → [7,2; 41,7]
//	N (20 %): Pantin a = −0,1, b = (−6 + 7,5 + 6,25)/80 = 7,75/80 → t = 7,75/15,75 = 49,21 %;
//	          Noisy a = −0,1, b = (4 − 5 + 8,75)/80 = 7,75/80: the same.   → [0; 49,2]
//	C (25 %): Pantin a = 0,25, b = (−6 + 7,5 − 2)/75 = −0,5/75 → t = 0,5/19,25 = 2,60 %;
//	          Noisy a = 0,35, b = (4 − 5 − 2)/75 = −3/75 → t = 3/29,25 = 10,26 %. → [10,3; 100]
func TestAPIRankingWeightedSum(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, map[string]any{"slug": "classement-api", "required_surface_m2": 2000}))
	cs := e.criteriaOf(t, rel)
	S, V, T, N := criterionNamed(t, cs, critSurface), criterionNamed(t, cs, critVis), criterionNamed(t, cs, critCommute), criterionNamed(t, cs, critNeeds)
	C := idOf(t, e.create(t, fmt.Sprintf("/api/v1/relocations/%d/criteria", rel), criterionBody(map[string]any{"weight": 25})))
	type siteData struct {
		name, kind string
		surface    any
		v, n, c    float64
	}
	// Saint-Ouen is rejected: the ranking still ranks it (it explains decisions).
	data := []siteData{
		{"Bas Montreuil", "lease", 2400, 8, 6, 1},
		{"Pantin", "lease", 3000, 5, 7, 2},
		{"Noisy-le-Grand", "state_owned", 2000, 10, 7, 2.4},
		{"Saint-Ouen", "lease", 2200, 4, 5, 3},
		{"Locaux du partenaire", "colocation", 1200, 9, 9, 0},
		{"Site sans surface", "lease", nil, 5, 5, 2},
	}
	site := map[string]int64{}
	for _, d := range data {
		body := map[string]any{"name": d.name, "kind": d.kind}
		if d.name == "Saint-Ouen" {
			body["status"], body["decision_reason"] = "rejected", "trop loin des agents"
		}
		if d.surface != nil {
			body["surface_m2"] = d.surface
		}
		site[d.name] = idOf(t, e.createSite(t, rel, body))
		for cid, v := range map[int64]float64{V: d.v, N: d.n, C: d.c} {
			expect(t, e.putScore(t, site[d.name], cid, v, "relevé du "+d.name), 201)
		}
	}
	rankingPath := fmt.Sprintf("/api/v1/relocations/%d/ranking", rel)

	// With the commute criterion: every site is incomplete, missing it; no sensitivity.
	rk := e.read(t, rankingPath)
	if rk["method"] != "weighted_sum" {
		t.Errorf("method = %v, want weighted_sum", rk["method"])
	}
	if s, present := rk["sensitivity"]; !present || s != nil {
		t.Errorf("sensitivity with no ranked site = %v (present %v), want null", s, present)
	}
	items := itemsOf(t, map[string]any{"items": rk["items"]})
	if len(items) != len(data) {
		t.Fatalf("ranking has %d items, want %d", len(items), len(data))
	}
	for _, item := range items {
		name, _ := item["name"].(string)
		wantMissing := []int64{T}
		if name == "Site sans surface" {
			wantMissing = []int64{S, T}
		}
		if item["incomplete"] != true || !reflect.DeepEqual(ids(item["missing"]), wantMissing) || item["score"] != nil || item["rank"] != nil {
			t.Errorf("%s with the commute criterion: incomplete %v missing %v score %v rank %v, want incomplete, missing %v, no score or rank",
				name, item["incomplete"], item["missing"], item["score"], item["rank"], wantMissing)
		}
		wantElim := []int64{}
		if name == "Locaux du partenaire" {
			wantElim = []int64{S}
		}
		if !reflect.DeepEqual(ids(item["eliminated_by"]), wantElim) || item["eliminated"] != (len(wantElim) > 0) {
			t.Errorf("%s with the commute criterion: eliminated %v by %v, want %v", name, item["eliminated"], item["eliminated_by"], wantElim)
		}
	}

	// Without it.
	expect(t, e.do(t, "DELETE", fmt.Sprintf("/api/v1/criteria/%d", T), "", "If-Match", etag(1)), 204)
	rk = e.read(t, rankingPath)
	if rk["method"] != "weighted_sum" {
		t.Errorf("method = %v, want weighted_sum", rk["method"])
	}
	items = itemsOf(t, map[string]any{"items": rk["items"]})
	order := []int64{S, V, N, C}
	weights := map[int64]float64{S: 30, V: 25, N: 20, C: 25}
	type want struct {
		name    string
		score   any // float64 or nil
		rank    any // int or nil
		elimBy  []int64
		missing []int64
		values  []any // by criterion in order; nil when missing
		norm    []float64
	}
	wants := []want{
		{"Bas Montreuil", 74.75, 1, []int64{}, []int64{}, []any{1.2, 8.0, 6.0, 1.0}, []float64{0.8, 0.8, 0.6, 0.75}},
		{"Noisy-le-Grand", 69.0, 2, []int64{}, []int64{}, []any{1.0, 10.0, 7.0, 2.4}, []float64{2.0 / 3, 1, 0.7, 0.4}},
		{"Pantin", 69.0, 2, []int64{}, []int64{}, []any{1.5, 5.0, 7.0, 2.0}, []float64{1, 0.5, 0.7, 0.5}},
		{"Saint-Ouen", 48.25, 4, []int64{}, []int64{}, []any{1.1, 4.0, 5.0, 3.0}, []float64{11.0 / 15, 0.4, 0.5, 0.25}},
		{"Locaux du partenaire", 77.5, nil, []int64{S}, []int64{}, []any{0.6, 9.0, 9.0, 0.0}, []float64{0.4, 0.9, 0.9, 1}},
		{"Site sans surface", nil, nil, []int64{}, []int64{S}, []any{nil, 5.0, 5.0, 2.0}, []float64{0, 0.5, 0.5, 0.5}},
	}
	if len(items) != len(wants) {
		t.Fatalf("ranking has %d items, want %d: %v", len(items), len(wants), items)
	}
	for i, w := range wants {
		item := items[i]
		what := fmt.Sprintf("item %d (%s)", i, w.name)
		if item["name"] != w.name {
			t.Errorf("%s: name %v — the order is wrong", what, item["name"])
			continue
		}
		checkFields(t, what, item, map[string]any{"site_id": site[w.name]})
		switch s := w.score.(type) {
		case nil:
			if item["score"] != nil {
				t.Errorf("%s: score %v, want null", what, item["score"])
			}
		case float64:
			if !near(item["score"], s) {
				t.Errorf("%s: score %v, want %v", what, item["score"], s)
			}
		}
		if w.rank == nil {
			if item["rank"] != nil {
				t.Errorf("%s: rank %v, want null", what, item["rank"])
			}
		} else if item["rank"] != float64(w.rank.(int)) {
			t.Errorf("%s: rank %v, want %v", what, item["rank"], w.rank)
		}
		if item["eliminated"] != (len(w.elimBy) > 0) || !reflect.DeepEqual(ids(item["eliminated_by"]), w.elimBy) {
			t.Errorf("%s: eliminated %v by %v, want by %v", what, item["eliminated"], item["eliminated_by"], w.elimBy)
		}
		if item["incomplete"] != (len(w.missing) > 0) || !reflect.DeepEqual(ids(item["missing"]), w.missing) {
			t.Errorf("%s: incomplete %v missing %v, want %v", what, item["incomplete"], item["missing"], w.missing)
		}
		breakdown, _ := item["breakdown"].([]any)
		if len(breakdown) != len(order) {
			t.Errorf("%s: breakdown has %d entries, want %d", what, len(breakdown), len(order))
			continue
		}
		sum := 0.0
		for k, cid := range order {
			b, _ := breakdown[k].(map[string]any)
			bw := fmt.Sprintf("%s, breakdown %d", what, k)
			checkFields(t, bw, b, map[string]any{"criterion_id": cid})
			if w.values[k] == nil {
				if b["value"] != nil || b["normalized"] != nil || b["weighted"] != nil {
					t.Errorf("%s: %v, want null value, normalized and weighted", bw, b)
				}
				continue
			}
			weighted := 100 * weights[cid] * w.norm[k] / 100
			sum += weighted
			if !near(b["value"], w.values[k].(float64)) || !near(b["normalized"], w.norm[k]) || !near(b["weighted"], weighted) {
				t.Errorf("%s: value %v normalized %v weighted %v, want %v %v %v", bw, b["value"], b["normalized"], b["weighted"],
					w.values[k], w.norm[k], weighted)
			}
		}
		if s, ok := w.score.(float64); ok && !near(s, sum) {
			t.Errorf("%s: the hand-computed breakdown sums to %v, not %v (test data)", what, sum, s)
		}
	}

	// Sensitivity, one interval per criterion in order.
	sens, ok := rk["sensitivity"].([]any)
	if !ok || len(sens) != len(order) {
		t.Fatalf("sensitivity = %v, want %d intervals", rk["sensitivity"], len(order))
	}
	wantSens := [][3]float64{{30, 0, 45.6}, {25, 7.2, 41.7}, {20, 0, 49.2}, {25, 10.3, 100}}
	for k, cid := range order {
		iv, _ := sens[k].(map[string]any)
		w := wantSens[k]
		checkFields(t, fmt.Sprintf("sensitivity %d", k), iv, map[string]any{"criterion_id": cid, "weight": w[0], "lo": w[1], "hi": w[2]})
	}

	// Eliminated sites keep their score but no rank, whatever the weights: with the
	// threshold gone, Locaux du partenaire (77,5) ranks first.
	r := e.do(t, "PATCH", fmt.Sprintf("/api/v1/criteria/%d", S), `{"threshold":null}`, "If-Match", etag(1))
	expect(t, r, 200)
	items = itemsOf(t, map[string]any{"items": e.read(t, rankingPath)["items"]})
	checkFields(t, "without the threshold", items[0], map[string]any{"name": "Locaux du partenaire", "rank": 1, "score": 77.5, "eliminated": false})
	if got := ids(items[0]["eliminated_by"]); got == nil || len(got) != 0 {
		t.Errorf("eliminated_by = %v, want []", items[0]["eliminated_by"])
	}

	checkProblem(t, e.do(t, "GET", "/api/v1/relocations/999999/ranking", ""), 404)
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations/abc/ranking", ""), 404)
}

// TestAPIRankingSensitivityNull: no sensitivity with one ranked site, nor when rank 1
// is shared.
func TestAPIRankingSensitivityNull(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, map[string]any{"required_surface_m2": 1000}))
	cs := e.criteriaOf(t, rel)
	expect(t, e.do(t, "DELETE", fmt.Sprintf("/api/v1/criteria/%d", criterionNamed(t, cs, critCommute)), "", "If-Match", etag(1)), 204)
	path := fmt.Sprintf("/api/v1/relocations/%d/ranking", rel)
	add := func(name string, surface, v float64) {
		id := idOf(t, e.createSite(t, rel, map[string]any{"name": name, "surface_m2": surface}))
		expect(t, e.putScore(t, id, criterionNamed(t, cs, critVis), v, "visite"), 201)
		expect(t, e.putScore(t, id, criterionNamed(t, cs, critNeeds), v, "visite"), 201)
	}
	sensitivity := func(what string) any {
		rk := e.read(t, path)
		s, present := rk["sensitivity"]
		if !present {
			t.Errorf("%s: no sensitivity key", what)
		}
		return s
	}

	// No site: empty items.
	rk := e.read(t, path)
	if items, ok := rk["items"].([]any); !ok || len(items) != 0 || rk["sensitivity"] != nil {
		t.Errorf("ranking without sites = %v, want empty items and null sensitivity", rk)
	}
	add("Site A", 1200, 6)
	if s := sensitivity("one ranked site"); s != nil {
		t.Errorf("sensitivity with one ranked site = %v, want null", s)
	}
	// An eliminated site does not count.
	add("Site trop petit", 500, 9)
	if s := sensitivity("one ranked site and an eliminated one"); s != nil {
		t.Errorf("sensitivity with one ranked site and an eliminated one = %v, want null", s)
	}
	// Rank 1 shared: (surface 1 200 → 0,8; 6 → 0,6) for both.
	add("Site B", 1200, 6)
	items := itemsOf(t, map[string]any{"items": e.read(t, path)["items"]})
	checkFields(t, "tie A", items[0], map[string]any{"name": "Site A", "rank": 1})
	checkFields(t, "tie B", items[1], map[string]any{"name": "Site B", "rank": 1})
	if s := sensitivity("rank 1 shared"); s != nil {
		t.Errorf("sensitivity with rank 1 shared = %v, want null", s)
	}
	// A better third site: the sensitivity is back.
	add("Site C", 1400, 8)
	if s, ok := sensitivity("three ranked sites").([]any); !ok || len(s) != 3 {
		t.Errorf("sensitivity with a clear first = %v, want 3 intervals", s)
	}
}

// ahpBody is the body of POST /ahp comparing every pair (i < j) of the criteria with the
// ratio of the given weights, except the pairs in over.
func ahpBody(order []int64, weights map[int64]float64, over map[[2]int64]float64, drop ...[2]int64) string {
	var comps []map[string]any
	for i := range order {
		for j := i + 1; j < len(order); j++ {
			pair := [2]int64{order[i], order[j]}
			skip := false
			for _, d := range drop {
				skip = skip || d == pair
			}
			if skip {
				continue
			}
			v := weights[order[i]] / weights[order[j]]
			if o, ok := over[pair]; ok {
				v = o
			}
			comps = append(comps, map[string]any{"a": order[i], "b": order[j], "value": v})
		}
	}
	return jsonOf(map[string]any{"comparisons": comps})
}

func TestAPIAHP(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	path := fmt.Sprintf("/api/v1/relocations/%d/ahp", rel)
	cs := e.criteriaOf(t, rel)
	S, V, T, N := criterionNamed(t, cs, critSurface), criterionNamed(t, cs, critVis), criterionNamed(t, cs, critCommute), criterionNamed(t, cs, critNeeds)
	order := []int64{S, V, T, N}
	wanted := map[int64]float64{S: 8, V: 4, T: 2, N: 1} // a consistent matrix: weights 8/15, 4/15, 2/15, 1/15
	other := idOf(t, e.createRelocation(t, map[string]any{"slug": "autre-projet"}))
	otherCrit := idOf(t, e.criteriaOf(t, other)[0])
	viewerToken := e.tokenOf(t, e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer))
	comparisons := func(list ...map[string]any) string { return jsonOf(map[string]any{"comparisons": list}) }

	// Inconsistent: S ≻ V ≻ T ≻ N pairwise, yet N is 8 times S. CR > 0,10; the
	// comparison that departs most is S/N; nothing changes.
	before := e.snapshot(t)
	r := e.do(t, "POST", path, ahpBody(order, wanted, map[[2]int64]float64{{S, N}: 1.0 / 8}))
	expect(t, r, 200)
	if r.json["applied"] != false {
		t.Errorf("inconsistent comparisons applied: %s", r)
	}
	if cr, _ := r.json["consistency_ratio"].(float64); !(cr > 0.10) {
		t.Errorf("consistency_ratio = %v, want > 0.10", r.json["consistency_ratio"])
	}
	checkFields(t, "worst", map[string]any{"worst": r.json["worst"]}, map[string]any{"worst": map[string]any{"a": float64(S), "b": float64(N)}})
	if w, _ := r.json["weights"].(map[string]any); len(w) != 4 {
		t.Errorf("weights of the refused comparisons = %v, want 4", r.json["weights"])
	}
	if after := e.snapshot(t); after != before {
		t.Errorf("inconsistent comparisons wrote:\nbefore %s\nafter  %s", before, after)
	}

	// Consistent: applied, weights = eigenvector × 100.
	r = e.do(t, "POST", path, ahpBody(order, wanted, nil))
	expect(t, r, 200)
	checkFields(t, "consistent", r.json, map[string]any{"applied": true})
	if cr, ok := r.json["consistency_ratio"].(float64); !ok || math.Abs(cr) > 1e-9 {
		t.Errorf("consistency_ratio = %v, want ~0", r.json["consistency_ratio"])
	}
	if _, present := r.json["worst"]; present {
		t.Errorf("an applied answer names a worst comparison: %v", r.json["worst"])
	}
	weights, _ := r.json["weights"].(map[string]any)
	if len(weights) != 4 {
		t.Fatalf("weights = %v, want 4", r.json["weights"])
	}
	for _, id := range order {
		if w := weights[strconv.FormatInt(id, 10)]; !near(w, wanted[id]/15) {
			t.Errorf("weight of %d = %v, want %v", id, w, wanted[id]/15)
		}
	}
	for _, c := range e.criteriaOf(t, rel) {
		id := idOf(t, c)
		if !near(c["weight"], 100*wanted[id]/15) || versionIn(t, c) != 2 {
			t.Errorf("criterion %d: weight %v version %v, want %v, version 2", id, c["weight"], c["version"], 100*wanted[id]/15)
		}
	}
	entries := e.journalOf(t, rel, "criterion")
	updates := 0
	for _, entry := range entries {
		if entry["action"] == "update" {
			updates++
			if c := changeOf(t, entry, "weight"); c != nil && !near(c["before"], 30) && !near(c["before"], 25) && !near(c["before"], 20) {
				t.Errorf("weight change %v, want before the default weight", c)
			}
		}
	}
	if updates != 4 {
		t.Errorf("%d criterion update entries, want 4 (one per weight)", updates)
	}
	// The same comparisons again change nothing.
	before = e.snapshot(t)
	expect(t, e.do(t, "POST", path, ahpBody(order, wanted, nil)), 200)
	if after := e.snapshot(t); after != before {
		t.Errorf("the same comparisons again wrote:\nbefore %s\nafter  %s", before, after)
	}

	// Refusals: nothing changes.
	runRefusals(t, e, []refusal{
		{name: "missing pair", method: "POST", path: path, body: ahpBody(order, wanted, nil, [2]int64{V, N}), status: 422, fields: []string{"comparisons"}},
		{name: "value 10", method: "POST", path: path, body: ahpBody(order, wanted, map[[2]int64]float64{{S, V}: 10}), status: 422, fields: []string{"comparisons"}},
		{name: "value 1/10", method: "POST", path: path, body: ahpBody(order, wanted, map[[2]int64]float64{{S, V}: 0.1}), status: 422, fields: []string{"comparisons"}},
		{name: "value 0", method: "POST", path: path, body: ahpBody(order, wanted, map[[2]int64]float64{{S, V}: 0}), status: 422},
		{name: "negative value", method: "POST", path: path, body: ahpBody(order, wanted, map[[2]int64]float64{{S, V}: -2}), status: 422},
		{name: "unknown criterion", method: "POST", path: path, body: ahpBody([]int64{S, V, T, N, 999999},
			map[int64]float64{S: 8, V: 4, T: 2, N: 1, 999999: 1}, nil), status: 422},
		{name: "criterion of another relocation", method: "POST", path: path, body: ahpBody([]int64{S, V, T, N, otherCrit},
			map[int64]float64{S: 8, V: 4, T: 2, N: 1, otherCrit: 1}, nil), status: 422},
		{name: "criteria of another relocation only", method: "POST", path: path,
			body: comparisons(map[string]any{"a": otherCrit, "b": otherCrit + 1, "value": 2}), status: 422},
		{name: "a pair given twice", method: "POST", path: path, body: strings.Replace(ahpBody(order, wanted, nil), `"comparisons":[`,
			fmt.Sprintf(`"comparisons":[{"a":%d,"b":%d,"value":2},`, V, S), 1), status: 422, fields: []string{"comparisons"}},
		{name: "a criterion with itself", method: "POST", path: path, body: strings.Replace(ahpBody(order, wanted, nil), `"comparisons":[`,
			fmt.Sprintf(`"comparisons":[{"a":%d,"b":%d,"value":1},`, S, S), 1), status: 422, fields: []string{"comparisons"}},
		{name: "no comparison", method: "POST", path: path, body: `{"comparisons":[]}`, status: 422},
		{name: "comparisons missing", method: "POST", path: path, body: `{}`, status: 422},
		{name: "a missing", method: "POST", path: path, body: comparisons(map[string]any{"b": V, "value": 2}), status: 422},
		{name: "value as text", method: "POST", path: path, body: comparisons(map[string]any{"a": S, "b": V, "value": "3"}), status: 422},
		{name: "unknown field", method: "POST", path: path, body: `{"comparisons":[],"method":"ahp"}`, status: 400},
		{name: "malformed", method: "POST", path: path, body: `{"comparisons":[`, status: 400},
		{name: "unknown relocation", method: "POST", path: "/api/v1/relocations/999999/ahp", body: ahpBody(order, wanted, nil), status: 404},
		{name: "as a viewer", method: "POST", path: path, body: ahpBody(order, map[int64]float64{S: 1, V: 1, T: 1, N: 1}, nil),
			headers: bearer(viewerToken), status: 403},
		{name: "anonymous", method: "POST", path: path, body: ahpBody(order, map[int64]float64{S: 1, V: 1, T: 1, N: 1}, nil),
			headers: []string{"Authorization", ""}, status: 401},
	})
	for _, c := range e.criteriaOf(t, rel) {
		if id := idOf(t, c); !near(c["weight"], 100*wanted[id]/15) {
			t.Errorf("criterion %d: weight %v after refused comparisons, want %v", id, c["weight"], 100*wanted[id]/15)
		}
	}

	// Two criteria: CR = 0 whatever the value; weights 3/4 and 1/4.
	two := idOf(t, e.createRelocation(t, map[string]any{"slug": "deux-criteres"}))
	tcs := e.criteriaOf(t, two)
	for _, c := range tcs[2:] {
		expect(t, e.do(t, "DELETE", fmt.Sprintf("/api/v1/criteria/%d", idOf(t, c)), "", "If-Match", etag(1)), 204)
	}
	a, b := idOf(t, tcs[0]), idOf(t, tcs[1])
	r = e.do(t, "POST", fmt.Sprintf("/api/v1/relocations/%d/ahp", two), comparisons(map[string]any{"a": b, "b": a, "value": 1.0 / 3}))
	expect(t, r, 200)
	checkFields(t, "two criteria", r.json, map[string]any{"applied": true, "consistency_ratio": 0,
		"weights": map[string]any{strconv.FormatInt(a, 10): 0.75, strconv.FormatInt(b, 10): 0.25}})
	tcs = e.criteriaOf(t, two)
	if !near(tcs[0]["weight"], 75) || !near(tcs[1]["weight"], 25) {
		t.Errorf("two criteria: weights %v and %v, want 75 and 25", tcs[0]["weight"], tcs[1]["weight"])
	}

	// More than 10 criteria: refused.
	many := idOf(t, e.createRelocation(t, map[string]any{"slug": "onze-criteres"}))
	for i := 0; i < 7; i++ {
		e.create(t, fmt.Sprintf("/api/v1/relocations/%d/criteria", many), criterionBody(map[string]any{"name": fmt.Sprintf("Critère %d", i)}))
	}
	var manyIDs []int64
	ones := map[int64]float64{}
	for _, c := range e.criteriaOf(t, many) {
		manyIDs = append(manyIDs, idOf(t, c))
		ones[idOf(t, c)] = 1
	}
	runRefusals(t, e, []refusal{{name: "11 criteria", method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/ahp", many),
		body: ahpBody(manyIDs, ones, nil), status: 422, fields: []string{"comparisons"}}})
}

// TestAPISiteReadsAuthorization: every account reads sites, criteria and the ranking;
// the anonymous visitor gets 401 from the API and is sent to log in by the pages; the
// forms of changes open only to those who may make them; reading writes nothing.
func TestAPISiteReadsAuthorization(t *testing.T) {
	t.Parallel()
	e := newAuthzEnv(t)
	rel := e.relA
	site := idOf(t, e.createSite(t, rel, nil))
	crit := idOf(t, e.criteriaOf(t, rel)[1])
	api := []string{fmt.Sprintf("/api/v1/relocations/%d/sites", rel), fmt.Sprintf("/api/v1/sites/%d", site),
		fmt.Sprintf("/api/v1/relocations/%d/criteria", rel), fmt.Sprintf("/api/v1/relocations/%d/ranking", rel)}
	all := []string{viewer, otherManager, manager, admin}
	editors := []string{manager, admin}
	pages := []struct {
		path    string
		allowed []string
	}{
		{fmt.Sprintf("/sites/%d", site), all},
		{fmt.Sprintf("/projets/%d/criteres", rel), all},
		{fmt.Sprintf("/projets/%d/notes", rel), all},
		{fmt.Sprintf("/projets/%d/classement", rel), all},
		{fmt.Sprintf("/projets/%d/ahp", rel), all},
		{fmt.Sprintf("/projets/%d/note-de-decision", rel), all},
		{fmt.Sprintf("/projets/%d/sites/nouveau", rel), editors},
		{fmt.Sprintf("/sites/%d/modifier", site), editors},
		{fmt.Sprintf("/criteres/%d/modifier", crit), editors},
	}
	before := e.snapshot(t)
	for _, a := range e.actors {
		for _, path := range api {
			r := e.send(t, a, request{method: "GET", path: path})
			if a.name == anonymous {
				checkProblem(t, r, http.StatusUnauthorized)
				continue
			}
			if r.StatusCode != http.StatusOK {
				t.Errorf("GET %s as %s: status %d, want 200\n%s", path, a.name, r.StatusCode, r)
			}
		}
		for _, p := range pages {
			r := e.get(t, a.sess, p.path)
			allowed := false
			for _, name := range p.allowed {
				allowed = allowed || name == a.name
			}
			switch {
			case a.name == anonymous:
				seeOther(t, r, regexp.QuoteMeta("/login?next="+url.QueryEscape(p.path)))
			case allowed:
				if r.StatusCode != http.StatusOK {
					t.Errorf("GET %s as %s: status %d, want 200\n%s", p.path, a.name, r.StatusCode, r)
				}
				checkPageHTML(t, "GET "+p.path, r)
			default:
				if r.StatusCode != http.StatusForbidden {
					t.Errorf("GET %s as %s: status %d, want 403", p.path, a.name, r.StatusCode)
				}
				checkPageHTML(t, "GET "+p.path, r)
			}
		}
	}
	if after := e.snapshot(t); after != before {
		t.Errorf("reading wrote:\nbefore %s\nafter  %s", before, after)
	}
}

// TestAPISiteWritesAuthorization sends every write of sites, criteria, scores and AHP
// through the API as each actor, checking all tables with the grid snapshot (the
// matrix of authz_test.go has the same rows, with the forms).
func TestAPISiteWritesAuthorization(t *testing.T) {
	t.Parallel()
	e := newAuthzEnv(t)
	rel := e.relA
	n := 0
	next := func() int { n++; return n }
	cases := []struct {
		name    string
		allowed []string
		status  int
		prepare func(t *testing.T) request
	}{
		{"POST /api/v1/relocations/{id}/ahp", []string{manager, admin}, 200, func(t *testing.T) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/ahp", rel), body: e.mxAHPBody(t)}
		}},
		{"POST /api/v1/relocations/{id}/sites", []string{manager, admin}, 201, func(t *testing.T) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/sites", rel), body: siteBody(map[string]any{"name": fmt.Sprintf("Site %d", next())})}
		}},
		{"PATCH /api/v1/sites/{id}", []string{manager, admin}, 200, func(t *testing.T) request {
			id := e.mxSite(t)
			return request{method: "PATCH", path: fmt.Sprintf("/api/v1/sites/%d", id), body: fmt.Sprintf(`{"name":"Site %d"}`, next()),
				headers: []string{"If-Match", etag(e.version(t, "sites", id))}}
		}},
		{"PUT /api/v1/sites/{sid}/scores/{cid}", []string{manager, admin}, 200, func(t *testing.T) request {
			id, crit := e.mxSite(t), e.mxCriterion(t)
			return request{method: "PUT", path: fmt.Sprintf("/api/v1/sites/%d/scores/%d", id, idOf(t, crit)),
				body: jsonOf(map[string]any{"value": 5, "justification": fmt.Sprintf("visite %d", next())})}
		}},
		{"POST /api/v1/relocations/{id}/criteria", []string{manager, admin}, 201, func(t *testing.T) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/criteria", rel), body: criterionBody(map[string]any{"name": fmt.Sprintf("Critère %d", next())})}
		}},
		{"PATCH /api/v1/criteria/{id}", []string{manager, admin}, 200, func(t *testing.T) request {
			crit := e.mxCriterion(t)
			return request{method: "PATCH", path: fmt.Sprintf("/api/v1/criteria/%d", idOf(t, crit)), body: fmt.Sprintf(`{"weight":%d}`, 10+next()),
				headers: []string{"If-Match", etag(versionIn(t, crit))}}
		}},
		{"DELETE /api/v1/criteria/{id}", []string{manager, admin}, 204, func(t *testing.T) request {
			return request{method: "DELETE", path: fmt.Sprintf("/api/v1/criteria/%d", e.mxFreshCriterion(t)), headers: []string{"If-Match", etag(1)}}
		}},
	}
	for _, c := range cases {
		for _, a := range e.actors {
			t.Run(c.name+"/"+a.name, func(t *testing.T) {
				req := c.prepare(t)
				before := e.snapshot(t)
				r := e.send(t, a, req)
				after := e.snapshot(t)
				allowed := false
				for _, name := range c.allowed {
					allowed = allowed || name == a.name
				}
				switch {
				case allowed:
					if r.StatusCode != c.status && !(c.status == 200 && r.StatusCode == 201) {
						t.Fatalf("status %d, want %d\n%s", r.StatusCode, c.status, r)
					}
					if after == before {
						t.Errorf("an allowed request wrote nothing")
					}
					return
				case a.name == anonymous:
					checkProblem(t, r, http.StatusUnauthorized)
				default:
					checkProblem(t, r, http.StatusForbidden)
				}
				if after != before {
					t.Errorf("a refused request wrote:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	}
}

// The helpers of the authorization rows (here and in authz_test.go's matrix), all on
// relocation A.

// mxSite returns the first site of relocation A, creating one when there is none.
func (e *authzEnv) mxSite(t *testing.T) int64 {
	t.Helper()
	var id *int64
	if err := e.db.Get(&id, `SELECT min(id) FROM sites WHERE relocation_id = $1`, e.relA); err != nil {
		t.Fatal(err)
	}
	if id != nil {
		return *id
	}
	return e.mxFreshSite(t)
}

// mxFreshSite creates a site of relocation A.
func (e *authzEnv) mxFreshSite(t *testing.T) int64 {
	t.Helper()
	return idOf(t, e.createSite(t, e.relA, map[string]any{"name": "Site de la matrice"}))
}

// mxCriterion returns relocation A's first manual criterion, as the API lists it.
func (e *authzEnv) mxCriterion(t *testing.T) map[string]any {
	t.Helper()
	for _, c := range e.criteriaOf(t, e.relA) {
		if c["source"] == "manual" {
			return c
		}
	}
	t.Fatal("relocation A has no manual criterion")
	return nil
}

// mxFreshCriterion creates a criterion of relocation A.
func (e *authzEnv) mxFreshCriterion(t *testing.T) int64 {
	t.Helper()
	return idOf(t, e.create(t, fmt.Sprintf("/api/v1/relocations/%d/criteria", e.relA), criterionBody(map[string]any{"name": "Critère de la matrice"})))
}

// mxAHPRatios returns relocation A's criteria ids and consistent comparisons over every
// pair (i < j) that change their weights: all equal unless they are equal already,
// else the first twice as important as each other.
func (e *authzEnv) mxAHPRatios(t *testing.T) ([]int64, map[[2]int64]float64) {
	t.Helper()
	cs := e.criteriaOf(t, e.relA)
	equal := true
	order := make([]int64, len(cs))
	for i, c := range cs {
		order[i] = idOf(t, c)
		equal = equal && math.Abs(c["weight"].(float64)-cs[0]["weight"].(float64)) < 1e-6
	}
	ratios := map[[2]int64]float64{}
	for i := range order {
		for j := i + 1; j < len(order); j++ {
			ratios[[2]int64{order[i], order[j]}] = 1
			if equal && i == 0 {
				ratios[[2]int64{order[i], order[j]}] = 2
			}
		}
	}
	return order, ratios
}

// mxAHPBody is the API body of mxAHPRatios.
func (e *authzEnv) mxAHPBody(t *testing.T) string {
	t.Helper()
	order, ratios := e.mxAHPRatios(t)
	ones := map[int64]float64{}
	for _, id := range order {
		ones[id] = 1
	}
	return ahpBody(order, ones, ratios)
}

// mxAHPForm is the AHP form of mxAHPRatios.
func (e *authzEnv) mxAHPForm(t *testing.T) url.Values {
	t.Helper()
	_, ratios := e.mxAHPRatios(t)
	f := url.Values{}
	for pair, v := range ratios {
		f.Set(fmt.Sprintf("c-%d-%d", pair[0], pair[1]), strconv.Itoa(int(v)))
	}
	return f
}

// mxCriterionForm is the edit form of relocation A's first manual criterion with a new weight.
func (e *authzEnv) mxCriterionForm(t *testing.T, weight int) (int64, url.Values) {
	t.Helper()
	c := e.mxCriterion(t)
	return idOf(t, c), url.Values{"name": {c["name"].(string)}, "description": {c["description"].(string)},
		"weight": {strconv.Itoa(weight)}, "direction": {c["direction"].(string)}, "source": {c["source"].(string)},
		"scale_min": {fmt.Sprint(c["scale_min"])}, "scale_max": {fmt.Sprint(c["scale_max"])},
		"version": {strconv.Itoa(versionIn(t, c))}}
}

// TestSiteStoredXSS names a site and a criterion <script>alert(1)</script> (and puts it
// in every text they carry): every page that prints them escapes them.
func TestSiteStoredXSS(t *testing.T) {
	t.Parallel()
	const evil = `<script>alert(1)</script>`
	const escaped = `&lt;script&gt;alert(1)&lt;/script&gt;`
	e := newAPIEnv(t)
	admin := e.login(t, adminEmail, testPassword)
	rel := idOf(t, e.createRelocation(t, map[string]any{"required_surface_m2": 1000}))
	crit := idOf(t, e.create(t, fmt.Sprintf("/api/v1/relocations/%d/criteria", rel), jsonOf(map[string]any{
		"name": evil, "description": evil, "weight": 10, "direction": "higher_is_better", "scale_min": 0, "scale_max": 10})))
	cs := e.criteriaOf(t, rel)
	expect(t, e.do(t, "DELETE", fmt.Sprintf("/api/v1/criteria/%d", criterionNamed(t, cs, critCommute)), "", "If-Match", etag(1)), 204)
	site := idOf(t, e.createSite(t, rel, map[string]any{"name": evil, "address": evil, "commune": evil, "department": evil,
		"surface_m2": 1200, "status": "selected", "decision_reason": evil}))
	plain := idOf(t, e.createSite(t, rel, map[string]any{"name": "Pantin", "surface_m2": 1100}))
	for _, sid := range []int64{site, plain} {
		for _, cid := range []int64{crit, criterionNamed(t, cs, critVis), criterionNamed(t, cs, critNeeds)} {
			expect(t, e.putScore(t, sid, cid, 6, evil), 201)
		}
	}
	expect(t, e.putScore(t, site, crit, 9, evil), 200) // rank 1 for the site named evil

	check := func(what string, r apiResp, status, atLeast int) {
		t.Helper()
		if r.StatusCode != status {
			t.Errorf("%s: status %d, want %d", what, r.StatusCode, status)
		}
		checkPageHTML(t, what, r)
		if strings.Contains(r.raw, evil) {
			t.Errorf("%s prints a value raw", what)
		}
		if n := strings.Count(r.raw, escaped); n < atLeast {
			t.Errorf("%s shows the escaped value %d times, want at least %d", what, n, atLeast)
		}
	}
	for _, p := range []struct {
		path    string
		atLeast int // the site's name and reason, the criterion's name…
	}{
		{fmt.Sprintf("/projets/%d", rel), 2},
		{fmt.Sprintf("/sites/%d", site), 3},
		{fmt.Sprintf("/sites/%d/modifier", site), 2},
		{fmt.Sprintf("/projets/%d/notes", rel), 2},
		{fmt.Sprintf("/projets/%d/criteres", rel), 1},
		{fmt.Sprintf("/criteres/%d/modifier", crit), 1},
		{fmt.Sprintf("/projets/%d/classement", rel), 2},
		{fmt.Sprintf("/projets/%d/ahp", rel), 1},
		{fmt.Sprintf("/projets/%d/note-de-decision", rel), 3},
	} {
		check("GET "+p.path, e.get(t, admin, p.path), http.StatusOK, p.atLeast)
	}
	// The ranking's chart (built by hand, not by html/template) escapes the names.
	page := e.get(t, admin, fmt.Sprintf("/projets/%d/classement", rel)).raw
	svg := regexp.MustCompile(`(?s)<svg.*?</svg>`).FindString(page)
	if svg == "" || !strings.Contains(svg, escaped) || strings.Contains(svg, "<script") {
		t.Errorf("the ranking chart does not escape the names:\n%s", svg)
	}
	// Refused forms show what was typed, escaped.
	r := e.form(t, admin, fmt.Sprintf("/projets/%d/sites", rel), url.Values{"name": {evil}, "kind": {"chateau"}})
	check("refused site form", r, http.StatusUnprocessableEntity, 1)
	r = e.form(t, admin, fmt.Sprintf("/sites/%d/notes/%d", site, crit), url.Values{"value": {"beaucoup"}, "justification": {evil}})
	check("refused score", r, http.StatusUnprocessableEntity, 1)
	r = e.form(t, admin, fmt.Sprintf("/projets/%d/criteres", rel), url.Values{"name": {evil}, "weight": {"0"},
		"direction": {"higher_is_better"}, "scale_min": {"0"}, "scale_max": {"10"}, "source": {"manual"}})
	check("refused criterion form", r, http.StatusUnprocessableEntity, 2)
	// The CSV export is not HTML: it is served as text/csv, as an attachment.
	r = e.do(t, "GET", fmt.Sprintf("/projets/%d/classement.csv", rel), "")
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("CSV served as %q, %q", ct, r.Header.Get("Content-Disposition"))
	}
	// The API answers JSON, never HTML.
	for _, p := range []string{fmt.Sprintf("/api/v1/sites/%d", site), fmt.Sprintf("/api/v1/relocations/%d/ranking", rel)} {
		if ct := e.do(t, "GET", p, "").Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("GET %s: Content-Type %q", p, ct)
		}
	}
}
