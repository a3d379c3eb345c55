package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// formPage (form_page.go): a relocation's page holding a form is drawn once per state
// for its GET, and for one request alone after a refused form.

// TestFormPageRefusalDrawnOnce: a refused form is drawn with the values typed and its
// French error for that request alone: the next GET of the page (kept) shows the blank
// form, and the refusal never reaches another account's copy; the kept page follows
// who asks: the manager's has the form, the viewer's none, whatever was drawn first.
func TestFormPageRefusalDrawnOnce(t *testing.T) {
	t.Parallel()
	p := newPageRoles(t)
	for _, tc := range []struct{ page, field string }{
		{fmt.Sprintf("/projets/%d/criteres", p.rel), "name"},
		{fmt.Sprintf("/projets/%d/partenaires", p.rel), "name"},
	} {
		viewerFirst := p.okPage(t, p.viewer, tc.page)
		if hasForm(viewerFirst, tc.page) {
			t.Errorf("%s: the viewer's copy holds the form", tc.page)
		}
		blank := p.okPage(t, p.manager, tc.page)
		if !hasForm(blank, tc.page) {
			t.Fatalf("%s: the manager's copy, drawn after the viewer's, lacks the form", tc.page)
		}
		r := p.form(t, p.manager, tc.page, url.Values{tc.field: {" "}, "description": {"texte tapé à garder"}, "address": {"texte tapé à garder"}})
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: a blank name: status %d, want 422\n%s", tc.page, r.StatusCode, r)
		}
		if msg := checkFieldError(t, r.raw, tc.field); msg != "champ obligatoire" {
			t.Errorf("%s: the name's error is %q", tc.page, msg)
		}
		if !strings.Contains(r.raw, "texte tapé à garder") {
			t.Errorf("%s: the refused form lost what was typed", tc.page)
		}
		for who, s := range map[string]session{"manager": p.manager, "viewer": p.viewer} {
			again := p.okPage(t, s, tc.page)
			if strings.Contains(again, "texte tapé à garder") || strings.Contains(again, "fr-error-text") {
				t.Errorf("%s: the %s's next GET shows the refused form", tc.page, who)
			}
		}
		if again := p.okPage(t, p.manager, tc.page); again != blank {
			t.Errorf("%s: the manager's page after a refusal differs from the one before it", tc.page)
		}
	}
}
