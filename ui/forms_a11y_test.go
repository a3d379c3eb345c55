package ui_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// The accessibility tests of the forms (RGAA, topic 11): a refused form says so in the
// page's <title>, marks each refused input invalid, and opens on an error summary whose
// links lead to the refused inputs; required fields say so in their label.

var (
	titlePattern   = regexp.MustCompile(`<title>(.*?)</title>`)
	summaryPattern = regexp.MustCompile(`(?s)<div class="fr-alert fr-alert--error[^"]*" id="erreurs" tabindex="-1" role="alert" autofocus>(.*?)</div>`)
)

// inputTag returns the tag of the input, textarea or select whose id is f-<name>.
func inputTag(t *testing.T, page, name string) string {
	t.Helper()
	tag := regexp.MustCompile(`<(?:input|textarea|select)\b[^>]*\sid="f-` + regexp.QuoteMeta(name) + `"[^>]*>`).FindString(page)
	if tag == "" {
		t.Errorf("no input with id f-%s", name)
	}
	return tag
}

// TestA11yRefusedRelocationForm posts the relocation form with a missing name, a
// garbled date and no headcount.
func TestA11yRefusedRelocationForm(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	r := c.submit(t, "/projets", relocationFields(map[string]string{"name": "", "target_move": "demain", "headcount": "0"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("refused form: status %d, want 422\n%s", r.StatusCode, r)
	}
	checkPageHTML(t, "refused form", r)
	if title := titlePattern.FindStringSubmatch(r.raw); title == nil || !strings.HasPrefix(title[1], "Erreur : ") {
		t.Errorf("refused form: <title> %v does not start with « Erreur : »", title)
	}

	// Each refused input is invalid and described by its message; the others are not.
	messages := map[string]string{}
	for _, name := range []string{"name", "target_move", "headcount"} {
		messages[name] = checkFieldError(t, r.raw, name)
		if tag := inputTag(t, r.raw, name); !strings.Contains(tag, `aria-invalid="true"`) {
			t.Errorf("refused input %s is not marked invalid: %s", name, tag)
		}
	}
	for _, name := range []string{"slug", "body", "decision"} {
		if tag := inputTag(t, r.raw, name); strings.Contains(tag, "aria-invalid") {
			t.Errorf("accepted input %s is marked invalid: %s", name, tag)
		}
	}

	// The summary is a DSFR error alert right before the form, focusable, titled
	// « Erreur : », linking each refused input in the form's order with its message.
	m := summaryPattern.FindStringSubmatchIndex(r.raw)
	if m == nil {
		t.Fatalf("refused form: no error summary (id erreurs, tabindex -1, role alert, autofocus)\n%s", r.raw)
	}
	summary := r.raw[m[2]:m[3]]
	if next := strings.TrimSpace(r.raw[m[1]:]); !strings.HasPrefix(next, `<form method="post" action="/projets"`) {
		t.Errorf("the error summary is not right before the form: it is followed by %.80q", next)
	}
	if !regexp.MustCompile(`<h2 class="fr-alert__title">Erreur : 3 champs à corriger</h2>`).MatchString(summary) {
		t.Errorf("the summary's title does not start with « Erreur : » nor count the fields:\n%s", summary)
	}
	contains(t, "the error summary", summary, "Le formulaire contient des erreurs")
	last := -1
	for _, f := range []struct{ name, label string }{{"name", "Nom"}, {"target_move", "Déménagement visé"}, {"headcount", "Effectif"}} {
		link := `<a href="#f-` + f.name + `">` + f.label + " : " + messages[f.name] + "</a>"
		at := strings.Index(htmlText(summary), link)
		if at < 0 {
			t.Errorf("the summary does not link %s with its message: want %q in\n%s", f.name, link, summary)
			continue
		}
		if at < last {
			t.Errorf("the summary lists %s out of the form's order", f.name)
		}
		last = at
	}
	if strings.Count(r.raw, "autofocus") != 1 {
		t.Errorf("refused form: %d autofocus attributes, want 1 (the summary)", strings.Count(r.raw, "autofocus"))
	}
}

// TestA11yRequiredFieldsAndHelp checks the blank relocation form: no error anywhere,
// required fields marked, dates explained with the French forms.
func TestA11yRequiredFieldsAndHelp(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	raw := c.okPage(t, "/projets/nouveau")
	if title := titlePattern.FindStringSubmatch(raw); title == nil || strings.HasPrefix(title[1], "Erreur") {
		t.Errorf("blank form: <title> %v", title)
	}
	if strings.Contains(raw, `id="erreurs"`) || strings.Contains(raw, "aria-invalid") || strings.Contains(raw, "autofocus") {
		t.Errorf("blank form shows an error summary or an invalid field")
	}
	// The public page address (slug) is optional on creation: left empty, it is drawn from the name.
	for _, name := range []string{"name", "target_move", "body", "origin", "destination", "headcount"} {
		if g := fieldGroup(t, raw, name); !strings.Contains(g, "(obligatoire)") {
			t.Errorf("required field %s: its label does not say « (obligatoire) »:\n%s", name, g)
		}
		if tag := inputTag(t, raw, name); !strings.Contains(tag, " required") || !strings.Contains(tag, `aria-required="true"`) {
			t.Errorf("required field %s: %s", name, tag)
		}
	}
	for _, name := range []string{"decision", "body_name", "residents", "slug"} {
		if g := fieldGroup(t, raw, name); strings.Contains(g, "(obligatoire)") {
			t.Errorf("optional field %s is marked required:\n%s", name, g)
		}
		if tag := inputTag(t, raw, name); strings.Contains(tag, "required") {
			t.Errorf("optional field %s: %s", name, tag)
		}
	}
	contains(t, "the date's help", fieldGroup(t, raw, "target_move"),
		"Par exemple : 15/03/2022, mars 2022, début 2022, mi-2022, fin 2022, 1er trimestre 2022, 2022")
}

// TestA11yRefusedAccountForm checks a summary under an h2 (the accounts page), where a
// field without a label of the journal (password) is named all the same.
func TestA11yRefusedAccountForm(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	r := c.submit(t, "/admin/comptes", map[string][]string{"email": {"pas-une-adresse"}, "name": {""}, "role": {"viewer"}, "password": {"court"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("refused account: status %d, want 422\n%s", r.StatusCode, r)
	}
	if title := titlePattern.FindStringSubmatch(r.raw); title == nil || !strings.HasPrefix(title[1], "Erreur : ") {
		t.Errorf("refused account: <title> %v", title)
	}
	m := summaryPattern.FindStringSubmatch(r.raw)
	if m == nil {
		t.Fatalf("refused account: no error summary\n%s", r.raw)
	}
	if !strings.Contains(m[1], `<h3 class="fr-alert__title">Erreur : `) {
		t.Errorf("the accounts page's summary is not titled by an h3:\n%s", m[1])
	}
	for _, link := range regexp.MustCompile(`href="#f-([a-z_]+)"`).FindAllStringSubmatch(m[1], -1) {
		inputTag(t, r.raw, link[1])
	}
	if strings.Contains(m[1], "Password") || strings.Contains(m[1], "password :") {
		t.Errorf("the summary names a field by its code:\n%s", m[1])
	}
}

// htmlText decodes the character references html/template writes.
func htmlText(s string) string {
	return strings.NewReplacer("&#39;", "'", "&#34;", `"`, "&#43;", "+", "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}
