package ui_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// TestDrawnPages: pages kept between changes (drawn.go) show every change at the very
// next view — of the relocation, of an account's name, of the day — and each account
// sees its own rights and its own CSRF token, never another's.
func TestDrawnPages(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	manager := e.user(t, "marc@exemple.gouv.fr", account.RoleManager)
	e.user(t, "vera@exemple.gouv.fr", account.RoleViewer)
	admin := e.login(t, adminEmail, testPassword)
	marc := e.login(t, "marc@exemple.gouv.fr", testPassword)
	vera := e.login(t, "vera@exemple.gouv.fr", testPassword)
	rel := idOf(t, e.createRelocation(t, map[string]any{"name": "Projet dessiné"}))
	page := fmt.Sprintf("/projets/%d", rel)
	edit := fmt.Sprintf(`href="/projets/%d/modifier"`, rel)
	view := func(s session, path string) string {
		t.Helper()
		r := e.get(t, s, path)
		expect(t, r, 200)
		tokens := regexp.MustCompile(`name="_csrf" value="([^"]*)"`).FindAllStringSubmatch(r.raw, -1)
		if len(tokens) == 0 {
			t.Fatalf("%s carries no form", path)
		}
		for _, m := range tokens {
			if m[1] != s.csrf {
				t.Fatalf("%s carries the CSRF token %q, want the viewer's own %q", path, m[1], s.csrf)
			}
		}
		return r.raw
	}

	// Each account its rights, whoever drew the page first.
	for range 2 {
		if !strings.Contains(view(admin, page), edit) {
			t.Errorf("the administrator is not offered the edit form")
		}
		for _, s := range []session{marc, vera} {
			if strings.Contains(view(s, page), edit) {
				t.Errorf("an account without the right to write is offered the edit form")
			}
		}
	}

	// A change of the relocation, at the next view.
	e.createMilestone(t, rel, map[string]any{"title": "Lettre d’intention signée", "planned": "2021-07-01"})
	if !strings.Contains(view(vera, page), "Lettre d’intention signée") {
		t.Errorf("a new milestone is missing from the next view")
	}
	path := fmt.Sprintf("/api/v1/relocations/%d/managers", rel)
	tag := e.do(t, "GET", path, "").Header.Get("ETag")
	expect(t, e.do(t, "PUT", path, `{"emails":["marc@exemple.gouv.fr"]}`, "If-Match", tag), 200)
	if !strings.Contains(view(marc, page), edit) {
		t.Errorf("a manager just assigned is not offered the edit form")
	}
	if strings.Contains(view(vera, page), edit) {
		t.Errorf("the viewer is offered the edit form after an assignment")
	}

	// A change of an account's name, at the next view.
	if _, err := e.accounts.UpdateUser(context.Background(), relocation.System("test"), manager.ID, relocation.Version(manager.Version),
		account.UserChange{Name: "Marc Renommé", Role: account.RoleManager}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(view(admin, page), "Marc Renommé") {
		t.Errorf("the managers' list keeps an account's former name")
	}

	// A new day: the milestone planned for 1 July 2021 is late on the 2nd (today: the 1st).
	if strings.Contains(view(admin, page), "En retard") {
		t.Fatalf("the milestone is late before its month ends")
	}
	e.clock.add(24 * time.Hour)
	admin = e.login(t, adminEmail, testPassword) // the other has been idle too long
	if !strings.Contains(view(admin, page), "En retard") {
		t.Errorf("the next day's view still shows the milestone on time")
	}

	// The portfolio and the ranking follow changes too.
	view(admin, "/")
	e.createRelocation(t, map[string]any{"name": "Projet suivant", "slug": "projet-suivant"})
	if !strings.Contains(view(admin, "/"), "Projet suivant") {
		t.Errorf("the portfolio misses a new relocation at the next view")
	}
	ranking := page + "/classement"
	api := func(path string) string {
		t.Helper()
		r := e.do(t, "GET", path, "")
		expect(t, r, 200)
		return r.raw
	}
	apiPaths := []string{fmt.Sprintf("/api/v1/relocations/%d/ranking", rel), fmt.Sprintf("/api/v1/relocations/%d/milestones", rel), "/api/v1/relocations"}
	view(admin, ranking)
	for _, p := range apiPaths {
		api(p)
	}
	e.createSite(t, rel, map[string]any{"name": "Tour Montreuil", "surface_m2": 3000})
	e.createMilestone(t, rel, map[string]any{"title": "Bail signé", "planned": "2022"})
	e.createRelocation(t, map[string]any{"name": "Projet dernier", "slug": "projet-dernier"})
	if !strings.Contains(view(admin, ranking), "Tour Montreuil") {
		t.Errorf("the ranking misses a new site at the next view")
	}
	for i, want := range []string{"Tour Montreuil", "Bail signé", "Projet dernier"} {
		if !strings.Contains(api(apiPaths[i]), want) {
			t.Errorf("%s misses %q after the change", apiPaths[i], want)
		}
	}

	// Every page that shows a site shows its new name at the next view.
	site := idOf(t, e.createSite(t, rel, map[string]any{"name": "Site ancien", "surface_m2": 2500}))
	sitePages := []string{fmt.Sprintf("/sites/%d", site), ranking, page + "/trajets", page + "/note-de-decision", page + "/notes"}
	for _, p := range sitePages {
		if !strings.Contains(e.get(t, admin, p).raw, "Site ancien") {
			t.Fatalf("%s does not show the site: the test shows nothing", p)
		}
	}
	// A new criterion shows on the criteria, scores and AHP pages at the next view.
	criteriaPages := []string{page + "/criteres", page + "/notes", page + "/ahp"}
	for _, p := range criteriaPages {
		view(admin, p)
	}
	e.create(t, fmt.Sprintf("/api/v1/relocations/%d/criteria", rel), criterionBody(map[string]any{"name": "Critère ajouté"}))
	for _, p := range criteriaPages {
		if !strings.Contains(view(admin, p), "Critère ajouté") {
			t.Errorf("%s misses a new criterion at the next view", p)
		}
	}
	csv := page + "/classement.csv"
	expect(t, e.get(t, admin, csv), 200)
	form := fmt.Sprintf("/sites/%d/modifier", site)
	view(admin, form)
	vera = e.login(t, "vera@exemple.gouv.fr", testPassword) // a day has passed since her first session
	expect(t, e.get(t, vera, form), 403)                    // drawn for the administrator, still refused to the viewer
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", site), `{"name":"Site nouveau"}`, "If-Match", etag(1)), 200)
	for _, p := range append(sitePages, csv, form) {
		if body := e.get(t, admin, p).raw; !strings.Contains(body, "Site nouveau") || strings.Contains(body, "Site ancien") {
			t.Errorf("%s does not show the site's new name at the next view", p)
		}
	}
}
