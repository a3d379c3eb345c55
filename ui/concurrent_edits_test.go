package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// TestConcurrentEditsUI: a form drawn at version n and submitted after someone else
// saved version n+1 is refused (412): it says who changed the record, shows the
// current values and version, and overwrites nothing.
func TestConcurrentEditsUI(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	m := e.user(t, "responsable@exemple.gouv.fr", account.RoleManager)
	rel := idOf(t, e.createRelocation(t, nil))
	mid := idOf(t, e.createMilestone(t, rel, nil))
	e.assign(t, rel, m.Email)
	s := e.login(t, m.Email, testPassword)
	const editedBy = "Cette fiche a été modifiée entre-temps par Agent " + adminEmail // the account's name

	t.Run("relocation", func(t *testing.T) {
		fields := editFormFields(t, e.get(t, s, fmt.Sprintf("/projets/%d/modifier", rel)).raw)
		expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/relocations/%d", rel), `{"name":"Nom choisi par l’administratrice"}`, "If-Match", etag(1)), 200)
		fields.Set("name", "Nom choisi par le responsable")
		before := e.snapshot(t)
		r := e.form(t, s, fmt.Sprintf("/projets/%d", rel), fields)
		if r.StatusCode != http.StatusPreconditionFailed {
			t.Fatalf("stale form: status %d, want 412\n%s", r.StatusCode, r)
		}
		contains(t, "stale form", r.raw, editedBy)
		if got := inputValue(t, r.raw, "name"); got != "Nom choisi par l’administratrice" {
			t.Errorf("stale form: name = %q, want the current value", got)
		}
		if got := inputValue(t, r.raw, "version"); got != "2" {
			t.Errorf("stale form: version = %q, want 2", got)
		}
		e.unchanged(t, before, "a stale form wrote")
		// The form as redrawn saves.
		redrawn := editFormFields(t, r.raw)
		redrawn.Set("name", "Nom choisi par le responsable")
		seeOther(t, e.form(t, s, fmt.Sprintf("/projets/%d", rel), redrawn), fmt.Sprintf("/projets/%d", rel))
	})
	t.Run("milestone", func(t *testing.T) {
		fields := milestoneEditFields(t, e.get(t, s, fmt.Sprintf("/jalons/%d/modifier", mid)).raw, false)
		expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", mid), `{"title":"Titre de l’administratrice"}`, "If-Match", etag(1)), 200)
		fields.Set("title", "Titre du responsable")
		before := e.snapshot(t)
		r := e.form(t, s, fmt.Sprintf("/jalons/%d", mid), fields)
		if r.StatusCode != http.StatusPreconditionFailed {
			t.Fatalf("stale form: status %d, want 412\n%s", r.StatusCode, r)
		}
		contains(t, "stale form", r.raw, editedBy)
		if got := inputValue(t, r.raw, "title"); got != "Titre de l’administratrice" {
			t.Errorf("stale form: title = %q, want the current value", got)
		}
		if got := inputValue(t, r.raw, "version"); got != "2" {
			t.Errorf("stale form: version = %q, want 2", got)
		}
		e.unchanged(t, before, "a stale form wrote")
	})
	t.Run("account", func(t *testing.T) {
		admin := e.login(t, adminEmail, testPassword)
		e.user(t, "admin2@exemple.gouv.fr", account.RoleAdmin)
		admin2 := e.login(t, "admin2@exemple.gouv.fr", testPassword)
		target := e.user(t, "cible@exemple.gouv.fr", account.RoleViewer)
		form := e.get(t, admin, fmt.Sprintf("/admin/comptes/%d/modifier", target.ID))
		expect(t, form, 200)
		version := inputValue(t, form.raw, "version")
		seeOther(t, e.form(t, admin2, fmt.Sprintf("/admin/comptes/%d", target.ID), url.Values{"name": {"Nom par admin2"},
			"role": {account.RoleViewer}, "version": {version}}), "/admin/comptes")
		before := e.snapshot(t)
		r := e.form(t, admin, fmt.Sprintf("/admin/comptes/%d", target.ID), url.Values{"name": {"Nom par admin"},
			"role": {account.RoleManager}, "version": {version}})
		if r.StatusCode != http.StatusPreconditionFailed {
			t.Fatalf("stale account form: status %d, want 412\n%s", r.StatusCode, r)
		}
		contains(t, "stale account form", r.raw, "Cette fiche a été modifiée entre-temps")
		e.unchanged(t, before, "a stale account form wrote")
		// Regression: a stale account form was once redrawn with the typed values and the
		// stale version, so every resubmit failed again.
		if got := inputValue(t, r.raw, "name"); got != "Nom par admin2" {
			t.Errorf("stale account form: name = %q, want the current « Nom par admin2 »", got)
		}
		if got := inputValue(t, r.raw, "version"); got != fmt.Sprint(target.Version+1) {
			t.Errorf("stale account form: version = %q, want the current %d", got, target.Version+1)
		}
	})
}
