package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The criteria page and the criterion forms (criteria_page.go).

// TestStaleCriterionDelete: deleting a criterion from a form drawn over an older
// version deletes nothing and draws the form again, current, saying who changed it.
func TestStaleCriterionDelete(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rel := idOf(t, c.createRelocation(t, nil))
	crit := idOf(t, c.criteriaOf(t, rel)[0])
	path := fmt.Sprintf("/api/v1/criteria/%d", crit)
	expect(t, c.do(t, "PATCH", path, `{"weight":31}`, "If-Match", `"1"`), 200)

	c.staleDelete(t, fmt.Sprintf("/criteres/%d/supprimer", crit), fmt.Sprintf("/projets/%d/criteres", rel), "Critère non supprimé", `value="31"`)
}

// TestCriteriaPage: the relocation's manager sees its criteria with their weights and
// the form to add one; a criterion added through it shows on the page and is edited
// through its own form; a scale that runs backwards is refused in French beside its
// field, the values as typed, nothing stored; a viewer reads the criteria without any
// form and is refused the forms; a visitor is sent to the login page.
func TestCriteriaPage(t *testing.T) {
	t.Parallel()
	p := newPageRoles(t)
	path := fmt.Sprintf("/projets/%d/criteres", p.rel)
	criterion := func(over map[string]string) url.Values {
		f := url.Values{"name": {"Accès PMR"}, "description": {"ascenseurs, rampes"}, "weight": {"15"}, "scale_min": {"0"},
			"scale_max": {"10"}, "direction": {"higher_is_better"}, "source": {"manual"}, "active": {"true"}}
		for k, v := range over {
			f.Set(k, v)
		}
		return f
	}

	page := p.okPage(t, p.manager, path)
	contains(t, "criteria page", page, "Critères de choix du site", "Critères et poids", "Ajouter un critère")
	if !hasForm(page, path) {
		t.Fatalf("the manager's criteria page holds no form to add a criterion")
	}
	seeOther(t, p.form(t, p.manager, path, criterion(nil)), regexp.QuoteMeta(path))
	page = p.okPage(t, p.manager, path)
	contains(t, "criteria page after the addition", page, "Accès PMR", "ascenseurs, rampes")
	var id int64
	for _, c := range p.criteriaOf(t, p.rel) {
		if c["name"] == "Accès PMR" {
			id = idOf(t, c)
		}
	}
	if id == 0 {
		t.Fatalf("the criterion added through the form is not stored")
	}
	editPath := fmt.Sprintf("/criteres/%d/modifier", id)
	edit := p.okPage(t, p.manager, editPath)
	if got := inputValue(t, edit, "weight"); got != "15" {
		t.Errorf("edit form: weight = %q, want 15", got)
	}
	seeOther(t, p.form(t, p.manager, fmt.Sprintf("/criteres/%d", id),
		criterion(map[string]string{"version": inputValue(t, edit, "version"), "name": "Accès PMR complet"})), regexp.QuoteMeta(path))
	contains(t, "criteria page after the edit", p.okPage(t, p.manager, path), "Accès PMR complet")

	p.refusedForm(t, "a backwards scale", path, criterion(map[string]string{"name": "Bruit", "scale_min": "10", "scale_max": "5"}),
		"scale_max", "doit être supérieur au minimum de l’échelle", "name", "Bruit")

	before := p.snapshot(t)
	page = p.okPage(t, p.viewer, path)
	contains(t, "viewer's criteria page", page, "Accès PMR complet")
	if hasForm(page, path) || strings.Contains(page, editPath) {
		t.Errorf("the viewer's criteria page offers to add or edit a criterion")
	}
	if r := p.get(t, p.viewer, editPath); r.StatusCode != http.StatusForbidden {
		t.Errorf("viewer GET %s: status %d, want 403", editPath, r.StatusCode)
	}
	if r := p.form(t, p.viewer, path, criterion(map[string]string{"name": "Piraté"})); r.StatusCode != http.StatusForbidden {
		t.Errorf("viewer POST %s: status %d, want 403", path, r.StatusCode)
	}
	p.unchanged(t, before, "a viewer's form wrote")

	p.visitorSentToLogin(t, path)
	p.visitorSentToLogin(t, editPath)
}
