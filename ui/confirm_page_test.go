package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestConfirmBeforeDeleting: each deletion first shows what will go, with the POST form
// and a way back; showing it deletes nothing, and only allowed users see it.
func TestConfirmBeforeDeleting(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := c.createRelocationForm(t, map[string]string{"slug": "confirmer"})
	mid := c.createMilestoneForm(t, rid, map[string]string{"title": "Lettre d’intention signée"})

	edit := c.okPage(t, fmt.Sprintf("/jalons/%d/modifier", mid))
	contains(t, "milestone form", edit, fmt.Sprintf(`href="/jalons/%d/supprimer"`, mid))
	if strings.Contains(edit, fmt.Sprintf(`action="/jalons/%d/supprimer"`, mid)) {
		t.Errorf("the milestone form still deletes at once")
	}
	confirm := c.okPage(t, fmt.Sprintf("/jalons/%d/supprimer", mid))
	contains(t, "milestone confirmation", confirm, "Supprimer le jalon « Lettre d’intention signée » ?",
		fmt.Sprintf(`action="/jalons/%d/supprimer"`, mid), `name="_csrf"`, fmt.Sprintf(`href="/jalons/%d/modifier"`, mid), "Annuler")
	var n int
	if err := c.db.Get(&n, `SELECT count(*) FROM milestones WHERE id = $1`, mid); err != nil || n != 1 {
		t.Fatalf("showing the confirmation deleted the milestone (%d, %v)", n, err)
	}
	// A viewer may not even see it.
	v := c.user(t, "lecteur@exemple.gouv.fr", "viewer")
	if r := c.get(t, c.login(t, v.Email, testPassword), fmt.Sprintf("/jalons/%d/supprimer", mid)); r.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer's confirmation page: status %d, want 403", r.StatusCode)
	}
	fields := url.Values{"version": {inputValue(t, confirm, "version")}}
	noticeAfter(t, c.apiEnv, c.session, c.submit(t, fmt.Sprintf("/jalons/%d/supprimer", mid), fields),
		fmt.Sprintf(`/projets/%d#jalons`, rid), "milestone-deleted", "Jalon supprimé.")
	if err := c.db.Get(&n, `SELECT count(*) FROM milestones WHERE id = $1`, mid); err != nil || n != 0 {
		t.Errorf("the confirmed deletion left the milestone (%d, %v)", n, err)
	}

	// A criterion.
	var cid int64
	if err := c.db.Get(&cid, `SELECT min(id) FROM criteria WHERE relocation_id = $1`, rid); err != nil {
		t.Fatal(err)
	}
	contains(t, "criterion form", c.okPage(t, fmt.Sprintf("/criteres/%d/modifier", cid)), fmt.Sprintf(`href="/criteres/%d/supprimer"`, cid))
	confirm = c.okPage(t, fmt.Sprintf("/criteres/%d/supprimer", cid))
	contains(t, "criterion confirmation", confirm, "Supprimer le critère", "notes des sites", fmt.Sprintf(`action="/criteres/%d/supprimer"`, cid))
	noticeAfter(t, c.apiEnv, c.session, c.submit(t, fmt.Sprintf("/criteres/%d/supprimer", cid), url.Values{"version": {inputValue(t, confirm, "version")}}),
		fmt.Sprintf(`/projets/%d/criteres`, rid), "criterion-deleted", "Critère et notes supprimés.")

	// The roster: nothing to delete answers 404.
	if r := c.page(t, fmt.Sprintf("/projets/%d/agents/supprimer", rid)); r.StatusCode != http.StatusNotFound {
		t.Errorf("confirming the deletion of no roster: status %d, want 404", r.StatusCode)
	}
	csv := "agent_ref;current_minutes\n"
	for i := 1; i <= 5; i++ {
		csv += fmt.Sprintf("A%d;%d\n", i, 20+i)
	}
	expect(t, c.do(t, "PUT", fmt.Sprintf("/api/v1/relocations/%d/agents", rid), csv, append(bearer(c.token), "Content-Type", "text/csv")...), http.StatusOK)
	contains(t, "commute page", c.okPage(t, fmt.Sprintf("/projets/%d/trajets", rid)), fmt.Sprintf(`href="/projets/%d/agents/supprimer"`, rid))
	confirm = c.okPage(t, fmt.Sprintf("/projets/%d/agents/supprimer", rid))
	contains(t, "roster confirmation", confirm, "Supprimer le fichier des agents ?", "Agents du fichier", "5")
	noticeAfter(t, c.apiEnv, c.session, c.submit(t, fmt.Sprintf("/projets/%d/agents/supprimer", rid), url.Values{}),
		fmt.Sprintf(`/projets/%d/trajets`, rid), "roster-deleted", "Fichier des agents supprimé.")
}
