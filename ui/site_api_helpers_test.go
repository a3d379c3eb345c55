package ui_test

import (
	"fmt"
	"math"
	"testing"
)

// The API tests of candidate sites, the criteria grid, scores, the ranking and AHP
// check every 4xx of SPEC, the journal, who may write, and the pages that print
// what these store (escaped). Refused requests are checked against the shared
// snapshot, which covers the sites, criteria and scores tables.
//
// This file holds their shared helpers.

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
