package ui_test

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// TestRaceMixedWrites: 8 clients × 100 writes of every kind on one relocation (score
// PUT, site PATCH, milestone PATCH and POST, criterion PATCH, AHP apply, managers PUT),
// all at once. Every write succeeds (no 409 from a deadlock, no 5xx), and the journal
// holds exactly one entry per effective change: one per write that changes something
// (each carries a unique value), one for the first AHP application with one per weight
// it changed, and one for the managers list, which the later identical writes leave as
// it is.
func TestRaceMixedWrites(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	manager := e.user(t, "responsable@exemple.gouv.fr", account.RoleManager)
	rel := idOf(t, e.createRelocation(t, nil))
	site := idOf(t, e.createSite(t, rel, nil))
	mid := idOf(t, e.createMilestone(t, rel, nil))
	cs := e.criteriaOf(t, rel)
	manual := criterionNamed(t, cs, "Visibilité et accessibilité")
	var ahp []string
	for i := range cs {
		for j := i + 1; j < len(cs); j++ {
			ahp = append(ahp, fmt.Sprintf(`{"a":%d,"b":%d,"value":%d}`, idOf(t, cs[i]), idOf(t, cs[j]), 1+(i+j)%2))
		}
	}
	ahpBody := `{"comparisons":[` + strings.Join(ahp, ",") + `]}`
	weightsBefore := weightsOf(t, e, rel)
	journalBefore := e.journalCount(t, rel)

	const clients, writes = 8, 100
	kinds := []func(g, i int) (method, path, body string, effective bool){
		func(g, i int) (string, string, string, bool) {
			return "PUT", fmt.Sprintf("/api/v1/sites/%d/scores/%d", site, manual),
				fmt.Sprintf(`{"value":%d,"justification":"note %d-%d"}`, i%11, g, i), true
		},
		func(g, i int) (string, string, string, bool) {
			return "PATCH", fmt.Sprintf("/api/v1/sites/%d", site), fmt.Sprintf(`{"address":"%d-%d rue de Paris"}`, g, i), true
		},
		func(g, i int) (string, string, string, bool) {
			return "PATCH", fmt.Sprintf("/api/v1/milestones/%d", mid), fmt.Sprintf(`{"title":"Déménagement %d-%d"}`, g, i), true
		},
		func(g, i int) (string, string, string, bool) {
			return "POST", fmt.Sprintf("/api/v1/relocations/%d/milestones", rel), milestoneBody(map[string]any{"title": fmt.Sprintf("Jalon %d-%d", g, i)}), true
		},
		func(g, i int) (string, string, string, bool) {
			return "PATCH", fmt.Sprintf("/api/v1/criteria/%d", manual), fmt.Sprintf(`{"description":"précision %d-%d"}`, g, i), true
		},
		func(g, i int) (string, string, string, bool) {
			return "POST", fmt.Sprintf("/api/v1/relocations/%d/ahp", rel), ahpBody, false
		},
		func(g, i int) (string, string, string, bool) {
			return "PUT", fmt.Sprintf("/api/v1/relocations/%d/managers", rel), `{"emails":["` + manager.Email + `"]}`, false
		},
	}
	var mu sync.Mutex
	statuses := map[int]int{}
	effective := 0
	var wg sync.WaitGroup
	for g := 0; g < clients; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < writes; i++ {
				method, path, body, counts := kinds[(g+i)%len(kinds)](g, i)
				status, raw, err := send(e, method, path, body)
				mu.Lock()
				statuses[status]++
				if counts {
					effective++
				}
				mu.Unlock()
				if err != nil || (status != 200 && status != 201) {
					t.Errorf("%s %s: %d %v %s", method, path, status, err, raw)
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("statuses: %v", statuses)

	// The first AHP application changed the weights that differ; later ones, the same.
	weightsAfter := weightsOf(t, e, rel)
	changedWeights := 0
	for id, w := range weightsAfter {
		if w != weightsBefore[id] {
			changedWeights++
		}
	}
	ahpEntries := 0
	if changedWeights > 0 {
		ahpEntries = 1
	}
	want := journalBefore + effective + changedWeights + ahpEntries + 1 // + the managers list, once
	if got := e.journalCount(t, rel); got != want {
		t.Errorf("journal: %d entries, want %d (%d before, %d effective writes, %d weights, %d AHP, 1 managers)",
			got, want, journalBefore, effective, changedWeights, ahpEntries)
	}
	var managersEntries int
	if err := e.db.Get(&managersEntries, `SELECT count(*) FROM journal WHERE relocation_id = $1 AND entity = 'managers'`, rel); err != nil || managersEntries != 1 {
		t.Errorf("managers journal entries: %d (%v), want 1", managersEntries, err)
	}
}

// send makes one API request as the administrator from any goroutine (If-Match: * on
// PATCH, so that racing edits all apply): status, body, transport error.
func send(e *apiEnv, method, path, body string) (int, string, error) {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.token)
	if method == "PATCH" {
		req.Header.Set("If-Match", "*")
	}
	resp, err := e.app.Test(req, -1)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw), err
}

// weightsOf reads the weights of a relocation's criteria by id.
func weightsOf(t *testing.T, e *apiEnv, rel int64) map[int64]float64 {
	t.Helper()
	out := map[int64]float64{}
	for _, c := range e.criteriaOf(t, rel) {
		out[idOf(t, c)] = c["weight"].(float64)
	}
	return out
}

// journalCount counts a relocation's journal entries.
func (e *apiEnv) journalCount(t *testing.T, rel int64) int {
	t.Helper()
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM journal WHERE relocation_id = $1`, rel); err != nil {
		t.Fatal(err)
	}
	return n
}
