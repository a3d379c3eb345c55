package ui_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestRelocationNotes: a relocation's notes go through the API and show, escaped, on
// its page, the ranking and the decision note (where the demo says which figures are
// given for illustration).
func TestRelocationNotes(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := e.createRelocation(t, map[string]any{"notes": "Valeurs d’illustration : <b>surfaces</b>"})
	checkFields(t, "created", rel, map[string]any{"notes": "Valeurs d’illustration : <b>surfaces</b>"})
	id := idOf(t, rel)
	s := rkLogin(t, e, adminEmail)
	for _, path := range []string{"/projets/%d", "/projets/%d/classement", "/projets/%d/note-de-decision"} {
		page := s.page(t, fmt.Sprintf(path, id))
		if !strings.Contains(page, "Valeurs d’illustration : &lt;b&gt;surfaces&lt;/b&gt;") {
			t.Errorf("%s does not show the notes, escaped", fmt.Sprintf(path, id))
		}
		if strings.Contains(page, "<b>surfaces</b>") {
			t.Errorf("%s prints the notes raw", fmt.Sprintf(path, id))
		}
	}
	r := e.do(t, "PATCH", fmt.Sprintf("/api/v1/relocations/%d", id), `{"notes":null}`, "If-Match", `"1"`)
	expect(t, r, 200)
	checkFields(t, "cleared", r.json, map[string]any{"notes": "", "version": 2})
}
