package ui_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestPageImportQuestion: paste, preview (nothing written), confirm (two clicks), the
// question's page with its announced dates, one click making a planned milestone, and
// the relocation's page showing the days the answer took.
func TestPageImportQuestion(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := c.createRelocationForm(t, nil)
	base := fmt.Sprintf("/projets/%d/questions", rid)

	empty := c.okPage(t, base)
	contains(t, "paste page", empty, "Importer une question écrite", `action="`+base+`/apercu"`, `name="text"`)
	contains(t, "relocation page", c.okPage(t, fmt.Sprintf("/projets/%d", rid)), `href="`+base+`"`)

	// Refused: not a question, kept as typed, nothing written.
	before := c.snapshot(t)
	r := c.submit(t, base+"/apercu", url.Values{"text": {"Bonjour, ceci n'est pas une question."}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("not a question: status %d\n%s", r.StatusCode, r)
	}
	checkFieldError(t, r.raw, "text")
	contains(t, "refused paste", r.raw, "Bonjour, ceci n'est pas une question.")
	r = c.submit(t, base+"/apercu", url.Values{"text": {"ASSEMBLÉE NATIONALE Question écrite de M. X. Question publiée au JO le : 24/12/2019"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no number: status %d", r.StatusCode)
	}
	contains(t, "refused paste", r.raw, "numéro de la question introuvable")

	// Preview: what was understood, what would be made; nothing written.
	text := readQuestionPage(t)
	r = c.submit(t, base+"/apercu", url.Values{"text": {text}})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("preview: status %d\n%s", r.StatusCode, r)
	}
	checkPageHTML(t, "preview", r)
	contains(t, "preview", r.raw, "Aperçu de la question écrite n° 25585", "Assemblée nationale, 15e législature", "M. Patrice Anato",
		"Seine-Saint-Denis (3e circonscription)", "Action et comptes publics", "Comptes publics",
		"JO du 24 décembre 2019, p. 11254", "JO du 15 juin 2021, p. 4892", "539 jours pour répondre",
		"Question écrite n° 25585 (M. Patrice Anato)", "Réponse à la question écrite n° 25585", "début 2022",
		"« Son déménagement en Seine-Saint-Denis aura lieu début 2022. »", `action="`+base+`"`)
	c.unchanged(t, before, "the preview wrote")

	// Confirm: the hidden text as drawn is the pasted one.
	m := regexp.MustCompile(`<input type="hidden" name="text" value="([^"]*)">`).FindStringSubmatch(r.raw)
	if m == nil || html.UnescapeString(m[1]) != text {
		t.Fatalf("the confirmation does not carry the text")
	}
	r = c.submit(t, base, url.Values{"text": {html.UnescapeString(m[1])}})
	qpath := seeOther(t, r, base+`/(\d+)`)[0]
	page := c.okPage(t, qpath)
	contains(t, "question page", page, "Question écrite n° 25585", "539 jours pour répondre",
		"« Question écrite n° 25585 (M. Patrice Anato) », réalisé le 24 décembre 2019", "Créer le jalon")

	// One click: the first announced date becomes a planned milestone, of kind move (the
	// relocation has no move milestone yet); a second click makes nothing.
	forms := regexp.MustCompile(`action="(`+regexp.QuoteMeta(qpath)+`/echeances/\d+)"`).FindAllStringSubmatch(page, -1)
	if len(forms) != 2 {
		t.Fatalf("%d announced-date buttons, want 2", len(forms))
	}
	seeOther(t, c.submit(t, forms[0][1], url.Values{}), fmt.Sprintf(`/projets/%d#jalons`, rid))
	seeOther(t, c.submit(t, forms[0][1], url.Values{}), fmt.Sprintf(`/projets/%d#jalons`, rid)) // a second click adds nothing
	var n int
	var source, notes, planned, kind string
	if err := c.db.QueryRow(`SELECT count(*), max(source), max(notes), max(planned), max(kind)
		FROM milestones WHERE relocation_id = $1 AND kind <> 'parliamentary_question'`, rid).Scan(&n, &source, &notes, &planned, &kind); err != nil {
		t.Fatal(err)
	}
	if n != 1 || source != "Réponse à la question écrite n° 25585, JO du 15 juin 2021, p. 4892" || planned != "2022-early" ||
		kind != "move" || !strings.Contains(notes, "Son déménagement") {
		t.Errorf("announced milestone: %d, %q, %q, %q, %q", n, source, notes, planned, kind)
	}
	page = c.okPage(t, qpath)
	contains(t, "question page after a click", page, "Créé : « Déménagement annoncé (réponse à la question écrite n° 25585) »")

	// The second date, now that the relocation has its move milestone, makes one of kind other.
	contains(t, "question page after a click", page, "Autre : « Échéance annoncée (réponse à la question écrite n° 25585) »")

	rel := c.okPage(t, fmt.Sprintf("/projets/%d", rid))
	contains(t, "relocation page", rel, "Questions écrites importées", "N° 25585", "539 jours pour répondre")

	// A viewer may not paste.
	if r := c.get(t, c.login(t, c.user(t, "lecteur@exemple.gouv.fr", "viewer").Email, testPassword), base); r.StatusCode != http.StatusForbidden {
		t.Errorf("viewer: status %d, want 403", r.StatusCode)
	}
}
