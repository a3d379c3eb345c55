package ui_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// TestJournalNamesNotIDs: the relocation page's journal names what changed (the site,
// the milestone, the criterion of a score, the chosen site) and who changed it by their
// name; the API keeps the ids and e-mails SPEC gives.
func TestJournalNamesNotIDs(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	claire, err := e.accounts.CreateUser(context.Background(), testActor, account.NewUser{Email: "claire.martin@exemple.gouv.fr",
		Name: "Claire Martin", Role: account.RoleManager, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	tok := bearer(e.tokenOf(t, claire))
	rid := idOf(t, e.createRelocation(t, nil))
	e.assign(t, rid, claire.Email)
	sid := idOf(t, e.create(t, fmt.Sprintf("/api/v1/relocations/%d/sites", rid), siteBody(nil)))
	vis := criterionNamed(t, e.criteriaOf(t, rid), "Visibilité et accessibilité")
	expect(t, e.do(t, "PUT", fmt.Sprintf("/api/v1/sites/%d/scores/%d", sid, vis), `{"value":8,"justification":"Métro"}`,
		append(tok, "Content-Type", "application/json")...), 201)
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", sid), `{"status":"selected","decision_reason":"Meilleur score"}`,
		append(tok, "Content-Type", "application/json", "If-Match", etag(1))...), 200)
	mid := idOf(t, e.createMilestone(t, rid, map[string]any{"title": "Visite des locaux"}))
	expect(t, e.do(t, "DELETE", fmt.Sprintf("/api/v1/milestones/%d", mid), "", append(tok, "If-Match", etag(1))...), 204)

	// A manager who wrote nothing is named too, in the change of managers.
	if _, err := e.accounts.CreateUser(context.Background(), testActor, account.NewUser{Email: "denis.durand@exemple.gouv.fr",
		Name: "Denis Durand", Role: account.RoleManager, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	e.assign(t, rid, "denis.durand@exemple.gouv.fr")

	s := e.login(t, adminEmail, testPassword)
	page := e.get(t, s, fmt.Sprintf("/projets/%d", rid))
	expect(t, page, 200)
	rows := strings.Join(journalRows(t, page.raw), "\n")
	text := rkText(rows)
	for _, want := range []string{
		"Note du site « Bas Montreuil » sur « Visibilité et accessibilité » : création",
		"Site « Bas Montreuil » : modification",
		"site retenu : — → Bas Montreuil",
		"Jalon « Visite des locaux » : suppression",
		"Claire Martin",
		"Denis Durand",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the journal lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, claire.Email) || strings.Contains(text, "denis.durand@") || regexp.MustCompile(`(Site|Jalon|Critère|site|Notes du site) n° \d|\(n°\)`).MatchString(text) {
		t.Errorf("the journal still shows e-mails or ids:\n%s", text)
	}
	// The API is unchanged: ids and e-mails.
	last := e.journalOf(t, rid, "relocation")
	if len(last) == 0 || last[0]["by"] != claire.Email {
		t.Errorf("API journal: %v", last)
	}
}
