package ui_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestCommuteImportAndFigures: a manager's roster, as French Excel writes it (BOM,
// semicolons, decimal commas), is imported through the API; the figures of each site are
// the ones computed by hand below; the ranking takes the median from them; the journal
// records counts, never rows; the roster can be deleted.
func TestCommuteImportAndFigures(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, map[string]any{"origin_lat": 48.8791, "origin_lon": 2.3346}))
	a := idOf(t, e.createSite(t, rel, map[string]any{"name": "Site A", "lat": 48.8555, "lon": 2.4255, "surface_m2": 3000}))
	b := idOf(t, e.createSite(t, rel, map[string]any{"name": "Site B", "surface_m2": 3000}))

	// Six agents, every minute measured to A, none to B (which has no coordinates):
	//   current = 30, 40, 20, 50, 35, 45 ; A = 40, 45, 60, 50, 30, 90
	//   A sorted 30 40 45 50 60 90 → median (45 + 50) / 2 = 47.5, mean 315 / 6 = 52.5,
	//   p90 = the ⌈0.9 × 6⌉ = 6th smallest = 90;
	//   A − current = 10, 5, 40, 0, −5, 45 → mean 95 / 6, over 30: 2 of 6, shorter: 1 of 6.
	csv := "\ufeffagent_ref;home_commune;home_lat;home_lon;current_minutes;minutes_" + fmt.Sprint(a) + "\r\n" +
		"A-1;Paris;48,85;2,35;30,0;40\r\nA-2;Paris;48,85;2,35;40;45\r\nA-3;Créteil;48,79;2,455;20;60\r\n" +
		"A-4;Paris;48,85;2,35;50;50\r\nA-5;Paris;48,85;2,35;35;30\r\nA-6;Paris;48,85;2,35;45;90,0\r\n"
	r := e.do(t, "PUT", fmt.Sprintf("/api/v1/relocations/%d/agents", rel), csv, "Content-Type", "text/csv; charset=utf-8")
	expect(t, r, 200)
	checkFields(t, "import", r.json, map[string]any{"imported": 6})

	items := itemsOf(t, e.read(t, fmt.Sprintf("/api/v1/relocations/%d/commute", rel)))
	if len(items) != 2 {
		t.Fatalf("%d commute items, want 2: %v", len(items), items)
	}
	checkFields(t, "site A", items[0], map[string]any{"site_id": a, "agents": 6, "estimated": 0, "mean": 52.5,
		"median": 47.5, "p90": 90, "mean_delta": 95.0 / 6, "share_over_limit": 100.0 * 2 / 6, "share_shorter": 100.0 / 6,
		"withheld": nil})
	checkFields(t, "site B", items[1], map[string]any{"site_id": b, "agents": 6, "median": nil, "mean": nil, "p90": nil})
	if w, _ := items[1]["withheld"].(string); !strings.Contains(w, "6") {
		t.Errorf("site B: withheld = %q, want why (6 agents whose minutes are unknown)", w)
	}
	// No row of the roster anywhere in the answer.
	if strings.Contains(fmt.Sprint(items), "A-1") {
		t.Errorf("the commute answer shows an agent: %v", items)
	}

	// The ranking takes A's median; B waits on its commute figures.
	rk := e.read(t, fmt.Sprintf("/api/v1/relocations/%d/ranking", rel))
	commute := criterionNamed(t, e.criteriaOf(t, rel), "Situation des agents, temps de trajet")
	for _, it := range itemsOf(t, rk) {
		for _, bd := range it["breakdown"].([]any) {
			cell := bd.(map[string]any)
			if int64(cell["criterion_id"].(float64)) != commute {
				continue
			}
			switch int64(it["site_id"].(float64)) {
			case a:
				if v, _ := cell["value"].(float64); math.Abs(v-47.5) > 1e-9 {
					t.Errorf("site A's commute value = %v, want 47.5", cell["value"])
				}
			case b:
				if cell["value"] != nil || it["incomplete"] != true {
					t.Errorf("site B: value %v, incomplete %v; want none, incomplete", cell["value"], it["incomplete"])
				}
			}
		}
	}

	// The journal records the import by counts.
	imports := e.journalOf(t, rel, "roster")
	if len(imports) != 1 {
		t.Fatalf("%d roster journal entries, want 1", len(imports))
	}
	checkFields(t, "import entry", changeOf(t, imports[0], "agents"), map[string]any{"before": 0, "after": 6})
	if strings.Contains(fmt.Sprint(imports[0]), "A-1") {
		t.Errorf("the journal shows an agent: %v", imports[0])
	}

	// Moving site B to coordinates estimates its commutes (the origin is known, current minutes measured).
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", b), `{"lat":48.8611,"lon":2.4437}`, "If-Match", "*"), 200)
	items = itemsOf(t, e.read(t, fmt.Sprintf("/api/v1/relocations/%d/commute", rel)))
	checkFields(t, "site B placed", items[1], map[string]any{"agents": 6, "estimated": 6, "withheld": nil})

	// Deleting the roster withholds every figure again.
	expect(t, e.do(t, "DELETE", fmt.Sprintf("/api/v1/relocations/%d/agents", rel), ""), 204)
	items = itemsOf(t, e.read(t, fmt.Sprintf("/api/v1/relocations/%d/commute", rel)))
	checkFields(t, "after delete", items[0], map[string]any{"agents": 0, "median": nil})
	if len(e.journalOf(t, rel, "roster")) != 2 {
		t.Errorf("the deletion is not journaled")
	}
}
