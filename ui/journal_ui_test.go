package ui_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// The journal as the pages show it: who changed what, before → after, newest first.

// journalRows returns the rows of the journal table of a relocation page.
func journalRows(t *testing.T, page string) []string {
	t.Helper()
	_, journal, ok := strings.Cut(page, `id="journal"`)
	if !ok {
		t.Fatalf("the relocation page has no journal")
	}
	body := regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`).FindStringSubmatch(journal)
	if body == nil {
		return nil
	}
	return regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(body[1], -1)
}

// TestJournalByAccount: the journal records who changed what (the token's account),
// before → after, nothing for a no-op; the relocation page shows it newest first, 20
// entries a page.
func TestJournalByAccount(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	m := e.user(t, "responsable@exemple.gouv.fr", account.RoleManager)
	tok := e.tokenOf(t, m)
	rel := idOf(t, e.createRelocation(t, map[string]any{"headcount": 100}))
	e.assign(t, rel, m.Email)
	path := fmt.Sprintf("/api/v1/relocations/%d", rel)
	journal := func() []any {
		r := e.do(t, "GET", path+"/journal", "")
		expect(t, r, 200)
		items, _ := r.json["items"].([]any)
		return items
	}
	before := len(journal())
	r := e.do(t, "PATCH", path, `{"headcount":101}`, append(bearer(tok), "If-Match", etag(1))...)
	expect(t, r, 200)
	items := journal()
	if len(items) != before+1 {
		t.Fatalf("a PATCH wrote %d journal entries, want 1", len(items)-before)
	}
	last, _ := items[0].(map[string]any)
	checkFields(t, "journal entry", last, map[string]any{"by": m.Email, "entity": "relocation", "entity_id": rel, "action": "update",
		"changes": map[string]any{"headcount": map[string]any{"before": 100.0, "after": 101.0}}})

	// A no-op keeps the version and writes nothing.
	snap := e.snapshot(t)
	r = e.do(t, "PATCH", path, `{"headcount":101,"name":"Relocalisation du CLEISS"}`, append(bearer(tok), "If-Match", etag(2))...)
	expect(t, r, 200)
	checkFields(t, "no-op", r.json, map[string]any{"version": 2})
	if got := r.Header.Get("ETag"); got != etag(2) {
		t.Errorf("no-op ETag %q, want %q", got, etag(2))
	}
	if after := e.snapshot(t); after != snap {
		t.Errorf("a no-op PATCH wrote:\nbefore %s\nafter  %s", snap, after)
	}

	// 26 entries in all: the page shows the newest 20, then the rest on ?journal=2.
	for v := 2; v < 26; v++ {
		expect(t, e.do(t, "PATCH", path, fmt.Sprintf(`{"headcount":%d}`, 100+v), append(bearer(tok), "If-Match", etag(v))...), 200)
	}
	total := len(journal())
	if total <= 20 {
		t.Fatalf("%d journal entries, want more than 20", total)
	}
	s := e.login(t, adminEmail, testPassword)
	first := e.get(t, s, fmt.Sprintf("/projets/%d", rel))
	expect(t, first, 200)
	rows := journalRows(t, first.raw)
	if len(rows) != 20 {
		t.Fatalf("first journal page shows %d entries, want 20", len(rows))
	}
	contains(t, "newest entry", rows[0], m.Email, "124 → 125")
	contains(t, "second entry", rows[1], "123 → 124")
	contains(t, "first page", first.raw, "Page 1 sur 2", `href="?journal=2#journal"`)
	if strings.Contains(strings.Join(rows, ""), "création") {
		t.Errorf("the creation, the oldest entry, shows on the first page")
	}
	second := e.get(t, s, fmt.Sprintf("/projets/%d?journal=2", rel))
	expect(t, second, 200)
	rows2 := journalRows(t, second.raw)
	if len(rows2) != total-20 {
		t.Errorf("second journal page shows %d entries, want %d", len(rows2), total-20)
	}
	if len(rows2) > 0 {
		contains(t, "oldest entry", rows2[len(rows2)-1], "création")
	}
	contains(t, "second page", second.raw, "Page 2 sur 2", `href="?journal=1#journal"`)
	for _, q := range []string{"?journal=99", "?journal=0", "?journal=abc", "?journal=-3"} {
		if r := e.get(t, s, fmt.Sprintf("/projets/%d%s", rel, q)); r.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", q, r.StatusCode)
		}
	}
}
