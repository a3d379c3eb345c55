package ui_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// The checks of the page tests: what SPEC asks of every page's HTML, the values and
// errors of form fields.

var (
	tagPattern       = regexp.MustCompile(`(?s)<[a-zA-Z][^>]*>`)
	scriptPattern    = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)
	styleAttr        = regexp.MustCompile(`(?i)\sstyle\s*=`)
	eventHandlerAttr = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	srcAttr          = regexp.MustCompile(`(?i)\ssrc\s*=\s*"[^"]+"`)
)

// checkPageHTML checks what SPEC asks of every page: French, served as HTML, under a
// Content-Security-Policy without inline scripts or styles, and with none in the page.
func checkPageHTML(t *testing.T, what string, r apiResp) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: Content-Type %q, want text/html", what, ct)
	}
	if !strings.Contains(r.raw, `<html lang="fr"`) {
		t.Errorf(`%s: no <html lang="fr">`, what)
	}
	csp := r.Header.Get("Content-Security-Policy")
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("%s: Content-Security-Policy allows inline code: %q", what, csp)
	}
	if !strings.Contains(csp, "script-src 'self'") && !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("%s: Content-Security-Policy does not restrict scripts to the origin: %q", what, csp)
	}
	for _, m := range scriptPattern.FindAllStringSubmatch(r.raw, -1) {
		if !srcAttr.MatchString(m[1]) || strings.TrimSpace(m[2]) != "" {
			t.Errorf("%s: inline script %q", what, m[0])
		}
	}
	for _, tag := range tagPattern.FindAllString(r.raw, -1) {
		if styleAttr.MatchString(tag) {
			t.Errorf("%s: style attribute in %q", what, tag)
		}
		if eventHandlerAttr.MatchString(tag) {
			t.Errorf("%s: event handler attribute in %q", what, tag)
		}
		if strings.Contains(strings.ToLower(tag), "javascript:") {
			t.Errorf("%s: javascript: URL in %q", what, tag)
		}
	}
	if strings.Contains(strings.ToLower(r.raw), "<style") {
		t.Errorf("%s: inline <style> element", what)
	}
}

// inputValue returns the value of the first input named name, unescaped.
func inputValue(t *testing.T, page, name string) string {
	t.Helper()
	tag := regexp.MustCompile(`<input[^>]*\sname="` + regexp.QuoteMeta(name) + `"[^>]*>`).FindString(page)
	if tag == "" {
		t.Errorf("no input named %q", name)
		return ""
	}
	m := regexp.MustCompile(`\svalue="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// textareaValue returns the text of the textarea named name, unescaped.
func textareaValue(t *testing.T, page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<textarea[^>]*\sname="` + regexp.QuoteMeta(name) + `"[^>]*>(.*?)</textarea>`).FindStringSubmatch(page)
	if m == nil {
		t.Errorf("no textarea named %q", name)
		return ""
	}
	return html.UnescapeString(m[1])
}

// selectedValue returns the value of the selected option of the select named name.
func selectedValue(t *testing.T, page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<select[^>]*\sname="` + regexp.QuoteMeta(name) + `"[^>]*>(.*?)</select>`).FindStringSubmatch(page)
	if m == nil {
		t.Errorf("no select named %q", name)
		return ""
	}
	o := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[1])
	if o == nil {
		return ""
	}
	return html.UnescapeString(o[1])
}

// fieldGroup returns the HTML of the form group of field name: its label, its input
// and what follows up to the group's end.
func fieldGroup(t *testing.T, page, name string) string {
	t.Helper()
	start := strings.Index(page, `for="f-`+name+`"`)
	if start < 0 {
		t.Errorf("no label for f-%s", name)
		return ""
	}
	rest := page[start:]
	if end := strings.Index(rest, "</div>"); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

// checkFieldError checks that field name shows an error beside its input, tied to it
// by aria-describedby, and returns the message.
func checkFieldError(t *testing.T, page, name string) string {
	t.Helper()
	g := fieldGroup(t, page, name)
	m := regexp.MustCompile(`(?s)<p id="e-` + name + `" class="fr-error-text">(.*?)</p>`).FindStringSubmatch(g)
	if m == nil {
		t.Errorf("field %s: no fr-error-text beside the input:\n%s", name, g)
		return ""
	}
	if !strings.Contains(g, `id="f-`+name+`"`) || !strings.Contains(g, `aria-describedby="e-`+name+`"`) {
		t.Errorf("field %s: the input is not described by its error:\n%s", name, g)
	}
	return html.UnescapeString(strings.TrimSpace(m[1]))
}

// checkNoFieldError checks that field name shows no error.
func checkNoFieldError(t *testing.T, page, name string) {
	t.Helper()
	if g := fieldGroup(t, page, name); strings.Contains(g, "fr-error-text") {
		t.Errorf("field %s shows an error it should not:\n%s", name, g)
	}
}

// contains fails unless page holds every fragment, once its character references are
// decoded (html/template writes "+" as &#43;).
func contains(t *testing.T, what, page string, fragments ...string) {
	t.Helper()
	text := html.UnescapeString(page)
	for _, f := range fragments {
		if !strings.Contains(text, f) {
			t.Errorf("%s lacks %q", what, f)
		}
	}
}

// okPage GETs path, expects 200 and checks the page's HTML.
func (c *formClient) okPage(t *testing.T, path string) string {
	t.Helper()
	r := c.page(t, path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200\n%s", path, r.StatusCode, r)
	}
	checkPageHTML(t, "GET "+path, r)
	return r.raw
}
