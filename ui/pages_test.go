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

// The page tests drive the real app (api_test.go's apiEnv: ui.New over a fresh database
// of its own, clock apiNow = 1 July 2021 in Paris) the way a browser does: signed in
// through /login, HTML accepted, the session cookie sent back, forms posted url-encoded
// with the session's CSRF token.

// session is a browser signed in through /login: the Cookie header of its session and
// the CSRF token its pages' forms carry.
type session struct{ cookie, csrf string }

// postLogin fills the login form as a browser does: GET /login for the tracker_csrf
// cookie and the form's _csrf, then POST it, with any extra cookies (a planted
// session, say). It returns the POST's answer.
func (e *apiEnv) postLogin(t *testing.T, email, password string, cookies ...string) apiResp {
	t.Helper()
	jar := strings.Join(cookies, "; ")
	headers := []string{"Accept", "text/html"}
	if jar != "" {
		headers = append(headers, "Cookie", jar)
	}
	r := apiDo(t, e.app, "GET", "/login", "", headers...)
	expect(t, r, http.StatusOK)
	if ck := cookieNamed(r, "tracker_csrf"); ck != nil {
		jar = strings.TrimPrefix(jar+"; tracker_csrf="+ck.Value, "; ")
	}
	f := url.Values{"email": {email}, "password": {password}, "_csrf": {inputValue(t, r.raw, "_csrf")}}
	return apiDo(t, e.app, "POST", "/login", f.Encode(), "Accept", "text/html",
		"Content-Type", "application/x-www-form-urlencoded", "Cookie", jar)
}

// login signs in through the login page and returns the session, its CSRF token read
// from the portfolio's forms.
func (e *apiEnv) login(t *testing.T, email, password string) session {
	t.Helper()
	r := e.postLogin(t, email, password)
	seeOther(t, r, "/")
	ck := cookieNamed(r, "tracker_session")
	if ck == nil || ck.Value == "" {
		t.Fatalf("login as %s sets no session cookie: %v", email, r.Header.Values("Set-Cookie"))
	}
	s := session{cookie: "tracker_session=" + ck.Value}
	page := e.get(t, s, "/")
	expect(t, page, http.StatusOK)
	if s.csrf = inputValue(t, page.raw, "_csrf"); s.csrf == "" {
		t.Fatalf("the portfolio of %s carries no CSRF token", email)
	}
	return s
}

// cookieNamed returns the cookie a response sets under name, or nil.
func cookieNamed(r apiResp, name string) *http.Cookie {
	for _, ck := range r.Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// get GETs path as the browser of s (anonymous when s is zero).
func (e *apiEnv) get(t *testing.T, s session, path string) apiResp {
	t.Helper()
	headers := []string{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
	if s.cookie == "" {
		return apiDo(t, e.app, "GET", path, "", headers...)
	}
	return e.do(t, "GET", path, "", append(headers, "Cookie", s.cookie)...)
}

// form posts fields to path as the browser of s, with its CSRF token.
func (e *apiEnv) form(t *testing.T, s session, path string, fields url.Values) apiResp {
	t.Helper()
	f := url.Values{}
	for k, v := range fields {
		f[k] = v
	}
	if s.csrf != "" {
		f.Set("_csrf", s.csrf)
	}
	return e.post(t, path, f, s.cookie)
}

// post posts fields url-encoded with the given Cookie header (anonymous when empty).
func (e *apiEnv) post(t *testing.T, path string, fields url.Values, cookie string, extra ...string) apiResp {
	t.Helper()
	headers := []string{"Accept", "text/html,application/xhtml+xml", "Content-Type", "application/x-www-form-urlencoded"}
	if cookie == "" {
		return apiDo(t, e.app, "POST", path, fields.Encode(), append(headers, extra...)...)
	}
	headers = append(headers, "Cookie", cookie)
	return e.do(t, "POST", path, fields.Encode(), append(headers, extra...)...)
}

// formClient is the administrator's browser of the pages.
type formClient struct {
	*apiEnv
	session
}

func newFormClient(t *testing.T) *formClient {
	t.Helper()
	e := newAPIEnv(t)
	return &formClient{apiEnv: e, session: e.login(t, adminEmail, testPassword)}
}

// page GETs path as the administrator's browser.
func (c *formClient) page(t *testing.T, path string) apiResp {
	t.Helper()
	return c.get(t, c.session, path)
}

// submit posts fields to path with the session cookie and its _csrf field.
func (c *formClient) submit(t *testing.T, path string, fields url.Values) apiResp {
	t.Helper()
	return c.form(t, c.session, path, fields)
}

// seeOther checks a 303 See Other to a location matching the pattern and returns its
// submatches.
func seeOther(t *testing.T, r apiResp, pattern string) []string {
	t.Helper()
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s %s: status %d, want 303 See Other\n%s", r.Request.Method, r.Request.URL, r.StatusCode, r)
	}
	loc := r.Header.Get("Location")
	m := regexp.MustCompile(`^` + pattern + `$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("%s %s: Location %q, want %s", r.Request.Method, r.Request.URL, loc, pattern)
	}
	return m
}

// editFormFields returns the fields of a relocation edit form as drawn.
func editFormFields(t *testing.T, page string) url.Values {
	t.Helper()
	fields := url.Values{}
	for _, f := range []string{"version", "name", "slug", "decision", "target_move", "body", "body_name", "origin",
		"origin_lat", "origin_lon", "destination", "headcount", "residents", "surface_ratio_m2",
		"required_surface_m2", "commute_increase_limit_min"} {
		fields.Set(f, inputValue(t, page, f))
	}
	fields.Set("status", selectedValue(t, page, "status"))
	fields.Set("visibility", selectedValue(t, page, "visibility"))
	return fields
}

// relocationFields are the fields of a valid relocation form, with over applied.
func relocationFields(over map[string]string) url.Values {
	f := url.Values{
		"version":     {"0"},
		"name":        {"Relocalisation du CLEISS"},
		"slug":        {"cleiss-montreuil"},
		"decision":    {"4e CITP, 15 novembre 2019"},
		"target_move": {"début 2022"},
		"status":      {"announced"},
		"visibility":  {"internal"},
		"body":        {"CLEISS"},
		"body_name":   {"Centre des liaisons européennes et internationales de sécurité sociale"},
		"origin":      {"11 rue de la Tour des Dames, 75009 Paris"},
		"destination": {"Seine-Saint-Denis (93)"},
		"headcount":   {"140"},
	}
	for k, v := range over {
		f.Set(k, v)
	}
	return f
}

// milestoneFields are the fields of a valid milestone form, with over applied.
func milestoneFields(over map[string]string) url.Values {
	f := url.Values{
		"version": {"0"},
		"kind":    {"letter_of_intent"},
		"title":   {"Signature de la lettre d’intention"},
		"planned": {"début 2022"},
		"source":  {"Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892"},
		"public":  {"on"},
	}
	for k, v := range over {
		f.Set(k, v)
	}
	return f
}

// createRelocationForm creates a relocation through POST /projets and returns its id.
func (c *formClient) createRelocationForm(t *testing.T, over map[string]string) int64 {
	t.Helper()
	m := seeOther(t, c.submit(t, "/projets", relocationFields(over)), `/projets/(\d+)`)
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

// createMilestoneForm adds a milestone through the form and returns its id (read back
// from the API: the redirect names the relocation, not the milestone).
func (c *formClient) createMilestoneForm(t *testing.T, relocationID int64, over map[string]string) int64 {
	t.Helper()
	seeOther(t, c.submit(t, fmt.Sprintf("/projets/%d/jalons", relocationID), milestoneFields(over)),
		fmt.Sprintf(`/projets/%d#jalons`, relocationID))
	var id int64
	if err := c.db.Get(&id, `SELECT max(id) FROM milestones WHERE relocation_id = $1`, relocationID); err != nil {
		t.Fatal(err)
	}
	return id
}

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

// portfolioRow returns the table row of relocation id on the portfolio.
func portfolioRow(t *testing.T, page string, id int64) string {
	t.Helper()
	m := regexp.MustCompile(fmt.Sprintf(`(?s)<tr>\s*<td><a href="/projets/%d">.*?</tr>`, id)).FindString(page)
	if m == "" {
		t.Fatalf("portfolio: no row for relocation %d", id)
	}
	return m
}

func TestPagePortfolio(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)

	empty := c.okPage(t, "/")
	contains(t, "empty portfolio", empty, "Aucun projet", `href="/projets/nouveau"`)

	a := c.createRelocation(t, map[string]any{"status": "site_search"})
	aID := idOf(t, a)
	c.createMilestone(t, aID, map[string]any{"kind": "decision", "title": "Annonce au 4e CITP",
		"planned": "2019-11-15", "actual": "2019-11-15"})
	mv := c.createMilestone(t, aID, map[string]any{"title": "Déménagement à Montreuil"})
	c.createMilestone(t, aID, map[string]any{"kind": "other", "title": "Bilan du déménagement", "planned": "2023"})
	r := c.do(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", idOf(t, mv)),
		`{"planned":"2022-mid","reason":"Travaux plus longs"}`, "If-Match", etag(1))
	expect(t, r, 200)
	b := c.createRelocation(t, map[string]any{"slug": "dgfip-lille", "name": "Relocalisation d’un service à Lille",
		"body": "DGFiP", "target_move": "2023-Q1"})
	bID := idOf(t, b)

	page := c.okPage(t, "/")
	rowA := portfolioRow(t, page, aID)
	contains(t, "row of the CLEISS", rowA, "Relocalisation du CLEISS", "CLEISS", "Seine-Saint-Denis (93)",
		"Recherche de site", "début 2022", "Déménagement à Montreuil", "mi-2022", "+123 j")
	for _, not := range []string{"Annonce au 4e CITP", "Bilan du déménagement"} {
		if strings.Contains(rowA, not) {
			t.Errorf("row of the CLEISS shows %q as next milestone, want « Déménagement à Montreuil »", not)
		}
	}
	rowB := portfolioRow(t, page, bID)
	contains(t, "row without milestones", rowB, "Relocalisation d’un service à Lille", "Annoncée", "1er trimestre 2023", "<td>—</td>")
	if strings.Contains(rowB, " j<") {
		t.Errorf("row without milestones shows a slip: %s", rowB)
	}
	if strings.Index(page, "Relocalisation du CLEISS") < 0 || strings.Index(page, "service à Lille") < 0 {
		t.Errorf("portfolio lacks a relocation")
	}
}

// TestPagesHTML checks every page (and an error page) for the CSP header, the French
// html element, and no inline script or style.
func TestPagesHTML(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := idOf(t, c.createRelocation(t, nil))
	mid := idOf(t, c.createMilestone(t, rid, nil))
	for _, path := range []string{"/", "/projets/nouveau", fmt.Sprintf("/projets/%d", rid),
		fmt.Sprintf("/projets/%d/modifier", rid), fmt.Sprintf("/projets/%d/jalons/nouveau", rid),
		fmt.Sprintf("/jalons/%d/modifier", mid)} {
		c.okPage(t, path)
	}
	for _, path := range []string{"/projets/999999", "/nulle-part"} {
		r := c.page(t, path)
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, r.StatusCode)
		}
		checkPageHTML(t, "GET "+path, r)
	}
	// A refused form is a page too.
	r := c.submit(t, "/projets", relocationFields(map[string]string{"headcount": "0"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("POST /projets with headcount 0: status %d, want 422", r.StatusCode)
	}
	checkPageHTML(t, "POST /projets (refused)", r)
	// So is the CSRF refusal.
	r = c.post(t, "/projets", relocationFields(nil), c.cookie)
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("POST /projets without CSRF: status %d, want 403", r.StatusCode)
	}
	checkPageHTML(t, "POST /projets (403)", r)
}

// TestPageCSRF checks the session-bound CSRF token: the forms of a signed-in browser
// carry its session's token, and a form without it, with a wrong one or with another
// session's is refused (403) and writes nothing.
func TestPageCSRF(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := idOf(t, c.createRelocation(t, nil))
	mid := idOf(t, c.createMilestone(t, rid, nil))

	r := c.page(t, "/projets/nouveau")
	expect(t, r, 200)
	if got := inputValue(t, r.raw, "_csrf"); got != c.csrf {
		t.Errorf("the form's _csrf = %q, want the session's %q", got, c.csrf)
	}
	// Signed-in pages set no cookie: the token lives with the session, in the database.
	if ck := r.Header.Values("Set-Cookie"); len(ck) > 0 {
		t.Errorf("a page of a signed-in browser sets cookies: %v", ck)
	}
	// A second page carries the same token: the forms of two open tabs stay valid.
	if got := inputValue(t, c.page(t, fmt.Sprintf("/projets/%d", rid)).raw, "_csrf"); got != c.csrf {
		t.Errorf("another page's _csrf = %q, want the session's %q", got, c.csrf)
	}
	// Another session, of the same account or of another, has its own token.
	mine := c.login(t, adminEmail, testPassword)
	c.user(t, "autre@exemple.gouv.fr", "admin")
	theirs := c.login(t, "autre@exemple.gouv.fr", testPassword)
	if mine.csrf == c.csrf || theirs.csrf == c.csrf {
		t.Fatalf("two sessions share a CSRF token")
	}

	// The login page's double-submit token is not a session's token.
	login := apiDo(t, c.app, "GET", "/login", "", "Accept", "text/html")
	ck := cookieNamed(login, "tracker_csrf")
	if ck == nil {
		t.Fatalf("GET /login sets no tracker_csrf cookie: %v", login.Header.Values("Set-Cookie"))
	}
	withToken := func(f url.Values, token string) url.Values {
		out := url.Values{}
		for k, v := range f {
			out[k] = v
		}
		out.Set("_csrf", token)
		return out
	}
	newRelocation := relocationFields(map[string]string{"slug": "autre-projet"})
	newMilestone := milestoneFields(nil)
	deletion := url.Values{"version": {"1"}}
	type attempt struct {
		name, path string
		fields     url.Values
		cookie     string
	}
	var attempts []attempt
	for _, target := range []struct {
		name, path string
		fields     url.Values
	}{
		{"create relocation", "/projets", newRelocation},
		{"update relocation", fmt.Sprintf("/projets/%d", rid), relocationFields(map[string]string{"name": "Écrasé", "version": "1"})},
		{"create milestone", fmt.Sprintf("/projets/%d/jalons", rid), newMilestone},
		{"update milestone", fmt.Sprintf("/jalons/%d", mid), milestoneFields(map[string]string{"title": "Écrasé", "version": "1"})},
		{"delete milestone", fmt.Sprintf("/jalons/%d/supprimer", mid), deletion},
		{"assign managers", fmt.Sprintf("/projets/%d/responsables", rid), url.Values{"emails": {adminEmail}}},
		{"create account", "/admin/comptes", url.Values{"email": {"x@exemple.gouv.fr"}, "name": {"X"}, "role": {"viewer"}, "password": {testPassword}}},
		{"log out", "/logout", url.Values{}},
	} {
		attempts = append(attempts,
			attempt{target.name + ", session without _csrf", target.path, target.fields, c.cookie},
			attempt{target.name + ", wrong _csrf", target.path, withToken(target.fields, strings.Repeat("ab", 32)), c.cookie},
			attempt{target.name + ", empty _csrf", target.path, withToken(target.fields, ""), c.cookie},
			attempt{target.name + ", _csrf of another session of the same account", target.path, withToken(target.fields, mine.csrf), c.cookie},
			attempt{target.name + ", _csrf of another account's session", target.path, withToken(target.fields, theirs.csrf), c.cookie},
			attempt{target.name + ", the login page's double-submit pair", target.path, withToken(target.fields, ck.Value),
				c.cookie + "; tracker_csrf=" + ck.Value},
		)
	}
	for _, a := range attempts {
		t.Run(a.name, func(t *testing.T) {
			before := c.snapshot(t)
			r := c.post(t, a.path, a.fields, a.cookie)
			if r.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s: status %d, want 403\n%s", a.path, r.StatusCode, r)
			}
			checkPageHTML(t, "403", r)
			contains(t, "403 page", r.raw, "Accès refusé")
			if after := c.snapshot(t); after != before {
				t.Errorf("a refused form wrote:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	// The session survived the refused logouts.
	expect(t, c.page(t, "/"), http.StatusOK)
	// The session's token without its cookie is no credential: sent to the login page.
	before := c.snapshot(t)
	seeOther(t, c.post(t, "/projets", withToken(newRelocation, c.csrf), ""), `/login\?next=%2F`)
	if after := c.snapshot(t); after != before {
		t.Errorf("an anonymous form wrote:\nbefore %s\nafter  %s", before, after)
	}

	// With the session's token, the same forms work.
	seeOther(t, c.submit(t, "/projets", newRelocation), `/projets/\d+`)
	seeOther(t, c.submit(t, fmt.Sprintf("/projets/%d/jalons", rid), newMilestone), fmt.Sprintf(`/projets/%d#jalons`, rid))
	seeOther(t, c.submit(t, fmt.Sprintf("/jalons/%d/supprimer", mid), deletion), fmt.Sprintf(`/projets/%d#jalons`, rid))
	// A script may send the token in the X-CSRF-Token header instead.
	r = c.post(t, "/projets", relocationFields(map[string]string{"slug": "par-en-tete"}), c.cookie, "X-CSRF-Token", c.csrf)
	seeOther(t, r, `/projets/\d+`)
	// So must the API called with a session cookie; a Bearer token needs none.
	path := fmt.Sprintf("/api/v1/relocations/%d", rid)
	before = c.snapshot(t)
	checkProblem(t, c.do(t, "PATCH", path, `{"headcount":141}`, "If-Match", etag(1), "Cookie", c.cookie), 403)
	checkProblem(t, c.do(t, "PATCH", path, `{"headcount":141}`, "If-Match", etag(1), "Cookie", c.cookie, "X-CSRF-Token", mine.csrf), 403)
	if after := c.snapshot(t); after != before {
		t.Errorf("a refused API call wrote:\nbefore %s\nafter  %s", before, after)
	}
	expect(t, c.do(t, "PATCH", path, `{"headcount":141}`, "If-Match", etag(1), "Cookie", c.cookie, "X-CSRF-Token", c.csrf), 200)
	expect(t, c.do(t, "PATCH", path, `{"headcount":142}`, "If-Match", etag(2)), 200)
	var n int
	if err := c.db.Get(&n, `SELECT count(*) FROM relocations`); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("%d relocations after the accepted forms, want 3", n)
	}
}

// TestLoginCSRF checks the login form's double-submit token: a random value in an
// HttpOnly, SameSite=Lax cookie, repeated in the form; without either, or when they
// differ, the login is refused and opens no session.
func TestLoginCSRF(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	r := apiDo(t, e.app, "GET", "/login", "", "Accept", "text/html")
	expect(t, r, 200)
	checkPageHTML(t, "GET /login", r)
	ck := cookieNamed(r, "tracker_csrf")
	if ck == nil {
		t.Fatalf("GET /login sets no tracker_csrf cookie: %v", r.Header.Values("Set-Cookie"))
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(ck.Value) {
		t.Errorf("tracker_csrf = %q, want 32 random bytes in hex", ck.Value)
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure {
		t.Errorf("tracker_csrf cookie: HttpOnly=%v SameSite=%v Path=%q Secure=%v, want HttpOnly, Lax, /, not Secure over HTTP",
			ck.HttpOnly, ck.SameSite, ck.Path, ck.Secure)
	}
	if got := inputValue(t, r.raw, "_csrf"); got != ck.Value {
		t.Errorf("the login form's _csrf = %q, want the cookie's %q", got, ck.Value)
	}
	// The login page again keeps the token.
	if again := apiDo(t, e.app, "GET", "/login", "", "Accept", "text/html", "Cookie", "tracker_csrf="+ck.Value); cookieNamed(again, "tracker_csrf") != nil {
		t.Errorf("a second GET /login replaced the token")
	}
	good := url.Values{"email": {adminEmail}, "password": {testPassword}}
	with := func(token string) string {
		f := url.Values{"_csrf": {token}}
		for k, v := range good {
			f[k] = v
		}
		return f.Encode()
	}
	other := strings.Repeat("cd", 32)
	for _, a := range []struct{ name, body, cookie string }{
		{"no _csrf", good.Encode(), "tracker_csrf=" + ck.Value},
		{"wrong _csrf", with(other), "tracker_csrf=" + ck.Value},
		{"no cookie", with(ck.Value), ""},
		{"short token in both", with("abc"), "tracker_csrf=abc"},
		{"empty in both", with(""), "tracker_csrf="},
	} {
		headers := []string{"Accept", "text/html", "Content-Type", "application/x-www-form-urlencoded"}
		if a.cookie != "" {
			headers = append(headers, "Cookie", a.cookie)
		}
		r := apiDo(t, e.app, "POST", "/login", a.body, headers...)
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("login, %s: status %d, want 403\n%s", a.name, r.StatusCode, r)
		}
		if s := cookieNamed(r, "tracker_session"); s != nil && s.Value != "" {
			t.Errorf("login, %s: a session was opened", a.name)
		}
	}
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM sessions`); err != nil || n != 0 {
		t.Errorf("%d sessions (%v) after the refused logins, want 0", n, err)
	}
	seeOther(t, apiDo(t, e.app, "POST", "/login", with(ck.Value), "Accept", "text/html",
		"Content-Type", "application/x-www-form-urlencoded", "Cookie", "tracker_csrf="+ck.Value), "/")
}

func TestPageCreateRelocation(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	c.okPage(t, "/projets/nouveau")

	cases := []struct{ input, value, label string }{
		{"début 2022", "2022-early", "début 2022"},
		{"T1 2022", "2022-Q1", "1er trimestre 2022"},
		{"15/06/2021", "2021-06-15", "15 juin 2021"},
		{"juin 2021", "2021-06", "juin 2021"},
		{"2e trimestre 2022", "2022-Q2", "2e trimestre 2022"},
		{"1er semestre 2022", "2022-S1", "1er semestre 2022"},
		{"mi-2022", "2022-mid", "mi-2022"},
		{"fin 2022", "2022-late", "fin 2022"},
		{"2022", "2022", "2022"},
		{"2022-early", "2022-early", "début 2022"},
	}
	for i, tc := range cases {
		t.Run(tc.input, func(t *testing.T) {
			slug := fmt.Sprintf("projet-%d", i)
			id := c.createRelocationForm(t, map[string]string{"slug": slug, "target_move": tc.input})
			page := c.okPage(t, fmt.Sprintf("/projets/%d", id))
			contains(t, "relocation page", page, "Relocalisation du CLEISS", "Déménagement visé", tc.label)
			r := c.do(t, "GET", fmt.Sprintf("/api/v1/relocations/%d", id), "")
			expect(t, r, 200)
			tm, _ := r.json["target_move"].(map[string]any)
			if tm["value"] != tc.value || tm["label"] != tc.label {
				t.Errorf("target_move %q stored as %v, want value %q label %q", tc.input, tm, tc.value, tc.label)
			}
			if r.json["slug"] != slug {
				t.Errorf("slug = %v, want %s", r.json["slug"], slug)
			}
			// The edit form shows the date by its French label.
			edit := c.okPage(t, fmt.Sprintf("/projets/%d/modifier", id))
			if got := inputValue(t, edit, "target_move"); got != tc.label {
				t.Errorf("edit form: target_move = %q, want %q", got, tc.label)
			}
		})
	}

	t.Run("thousands", func(t *testing.T) {
		id := c.createRelocationForm(t, map[string]string{"slug": "milliers", "headcount": "1 400"})
		page := c.okPage(t, fmt.Sprintf("/projets/%d", id))
		contains(t, "relocation page", page, "dont 1\u202f400 présents", "22\u202f400 m² SUB")
		// Regression: the summary once wrote the headcount without a thousands separator.
		contains(t, "relocation page", page, "1\u202f400 agents")
	})

	t.Run("decimal comma", func(t *testing.T) {
		id := c.createRelocationForm(t, map[string]string{"slug": "virgule", "headcount": "40",
			"residents": "37,4", "origin_lat": "48,8794", "origin_lon": "2,3358"})
		page := c.okPage(t, fmt.Sprintf("/projets/%d", id))
		contains(t, "relocation page", page, "598,4", "37,4")
		if strings.Contains(page, "598.4") {
			t.Errorf("the page writes 598.4 with a decimal point")
		}
		r := c.do(t, "GET", fmt.Sprintf("/api/v1/relocations/%d", id), "")
		expect(t, r, 200)
		checkFields(t, "relocation from the form", r.json, map[string]any{
			"headcount": 40, "residents": 37.4, "origin_lat": 48.8794, "origin_lon": 2.3358,
			"surface_ratio_m2": 16, "required_surface_m2": 598.4, "status": "announced", "visibility": "internal",
		})
		edit := c.okPage(t, fmt.Sprintf("/projets/%d/modifier", id))
		if got := inputValue(t, edit, "residents"); got != "37,4" {
			t.Errorf("edit form: residents = %q, want 37,4", got)
		}
		// Regression: the edit form once rounded numbers to two decimals, so saving it
		// unchanged moved the origin's coordinates.
		for f, want := range map[string]string{"origin_lat": "48,8794", "origin_lon": "2,3358"} {
			if got := inputValue(t, edit, f); got != want {
				t.Errorf("edit form: %s = %q, want %q", f, got, want)
			}
		}
		// Saving the form as drawn changes nothing: same version, no journal entry (fails
		// through the same BUG).
		before := c.snapshot(t)
		seeOther(t, c.submit(t, fmt.Sprintf("/projets/%d", id), editFormFields(t, edit)), fmt.Sprintf(`/projets/%d`, id))
		if after := c.snapshot(t); after != before {
			t.Errorf("saving the edit form unchanged wrote:\nbefore %s\nafter  %s", before, after)
		}
	})

	t.Run("update", func(t *testing.T) {
		id := c.createRelocationForm(t, map[string]string{"slug": "a-modifier"})
		edit := c.okPage(t, fmt.Sprintf("/projets/%d/modifier", id))
		if v := inputValue(t, edit, "version"); v != "1" {
			t.Fatalf("edit form version = %q, want 1", v)
		}
		// Saving the form as drawn changes nothing: same version, no journal entry.
		before := c.snapshot(t)
		seeOther(t, c.submit(t, fmt.Sprintf("/projets/%d", id), editFormFields(t, edit)), fmt.Sprintf(`/projets/%d`, id))
		if after := c.snapshot(t); after != before {
			t.Errorf("saving the edit form unchanged wrote:\nbefore %s\nafter  %s", before, after)
		}
		r := c.submit(t, fmt.Sprintf("/projets/%d", id), relocationFields(map[string]string{
			"slug": "a-modifier", "version": "1", "target_move": "T2 2022", "status": "site_search"}))
		seeOther(t, r, fmt.Sprintf(`/projets/%d`, id))
		page := c.okPage(t, fmt.Sprintf("/projets/%d", id))
		contains(t, "updated page", page, "2e trimestre 2022", "Recherche de site")
		// The same form again, now stale.
		before = c.snapshot(t)
		r = c.submit(t, fmt.Sprintf("/projets/%d", id), relocationFields(map[string]string{
			"slug": "a-modifier", "version": "1", "name": "Écrasé"}))
		if r.StatusCode != http.StatusPreconditionFailed {
			t.Fatalf("stale relocation form: status %d, want 412\n%s", r.StatusCode, r)
		}
		contains(t, "stale form", r.raw, "Cette fiche a été modifiée entre-temps")
		if got := inputValue(t, r.raw, "name"); got != "Relocalisation du CLEISS" {
			t.Errorf("stale form: name = %q, want the current name", got)
		}
		if got := inputValue(t, r.raw, "target_move"); got != "2e trimestre 2022" {
			t.Errorf("stale form: target_move = %q, want the current 2e trimestre 2022", got)
		}
		if got := inputValue(t, r.raw, "version"); got != "2" {
			t.Errorf("stale form: version = %q, want the current 2", got)
		}
		if after := c.snapshot(t); after != before {
			t.Errorf("a stale form wrote:\nbefore %s\nafter  %s", before, after)
		}
	})
}

func TestPageRelocationFormInvalid(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	before := c.snapshot(t)
	r := c.submit(t, "/projets", relocationFields(map[string]string{"name": "", "headcount": "0", "target_move": "demain"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: status %d, want 422\n%s", r.StatusCode, r)
	}
	checkPageHTML(t, "invalid form", r)
	if loc := r.Header.Get("Location"); loc != "" {
		t.Errorf("invalid form redirects to %q", loc)
	}
	contains(t, "invalid form", r.raw, "Le formulaire contient des erreurs")
	for _, f := range []string{"name", "headcount", "target_move"} {
		msg := checkFieldError(t, r.raw, f)
		if msg == "" {
			continue
		}
		low := strings.ToLower(msg)
		for _, l := range leaks {
			if strings.Contains(low, l) {
				t.Errorf("field %s: message %q shows %q", f, msg, l)
			}
		}
	}
	if msg := checkFieldError(t, r.raw, "target_move"); !strings.Contains(msg, "T1 2022") || !strings.Contains(msg, "début 2022") {
		t.Errorf("target_move message %q does not name the accepted forms", msg)
	}
	for _, f := range []string{"slug", "body", "origin", "destination", "decision"} {
		checkNoFieldError(t, r.raw, f)
	}
	want := map[string]string{"target_move": "demain", "headcount": "0", "name": "", "slug": "cleiss-montreuil",
		"body": "CLEISS", "origin": "11 rue de la Tour des Dames, 75009 Paris", "destination": "Seine-Saint-Denis (93)"}
	for f, v := range want {
		if got := inputValue(t, r.raw, f); got != v {
			t.Errorf("input %s = %q, want the typed %q", f, got, v)
		}
	}
	if got := selectedValue(t, r.raw, "status"); got != "announced" {
		t.Errorf("status select = %q, want the chosen announced", got)
	}
	if !strings.Contains(r.raw, `value="demain"`) {
		t.Errorf(`the page lacks value="demain"`)
	}
	if after := c.snapshot(t); after != before {
		t.Errorf("an invalid form wrote:\nbefore %s\nafter  %s", before, after)
	}

	// A decimal where an integer is expected, a garbled number: refused beside the field,
	// kept as typed.
	r = c.submit(t, "/projets", relocationFields(map[string]string{"headcount": "douze", "residents": "12,5,3"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("garbled numbers: status %d, want 422\n%s", r.StatusCode, r)
	}
	checkFieldError(t, r.raw, "headcount")
	checkFieldError(t, r.raw, "residents")
	if got := inputValue(t, r.raw, "residents"); got != "12,5,3" {
		t.Errorf("residents = %q, want the typed 12,5,3", got)
	}
	// A duplicate slug is refused on the form too (409), nothing written.
	c.createRelocationForm(t, nil)
	before = c.snapshot(t)
	r = c.submit(t, "/projets", relocationFields(nil))
	if r.StatusCode != http.StatusConflict {
		t.Errorf("duplicate slug: status %d, want 409\n%s", r.StatusCode, r)
	} else if got := inputValue(t, r.raw, "name"); got != "Relocalisation du CLEISS" {
		t.Errorf("duplicate slug: name = %q, want the typed value", got)
	}
	if after := c.snapshot(t); after != before {
		t.Errorf("a duplicate wrote:\nbefore %s\nafter  %s", before, after)
	}
}

func TestPageMilestoneForm(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := c.createRelocationForm(t, nil)

	form := c.okPage(t, fmt.Sprintf("/projets/%d/jalons/nouveau", rid))
	contains(t, "new milestone form", form, fmt.Sprintf(`action="/projets/%d/jalons"`, rid))

	// Refused: no source, a garbled date; kept as typed.
	before := c.snapshot(t)
	r := c.submit(t, fmt.Sprintf("/projets/%d/jalons", rid), milestoneFields(map[string]string{"source": "", "planned": "bientôt"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid milestone: status %d, want 422\n%s", r.StatusCode, r)
	}
	checkFieldError(t, r.raw, "source")
	checkFieldError(t, r.raw, "planned")
	checkNoFieldError(t, r.raw, "title")
	if got := inputValue(t, r.raw, "planned"); got != "bientôt" {
		t.Errorf("planned = %q, want the typed bientôt", got)
	}
	if got := inputValue(t, r.raw, "title"); got != "Signature de la lettre d’intention" {
		t.Errorf("title = %q, want the typed one", got)
	}
	if got := selectedValue(t, r.raw, "kind"); got != "letter_of_intent" {
		t.Errorf("kind = %q, want the chosen letter_of_intent", got)
	}
	if after := c.snapshot(t); after != before {
		t.Errorf("an invalid milestone wrote:\nbefore %s\nafter  %s", before, after)
	}

	// Created.
	mid := c.createMilestoneForm(t, rid, nil)
	page := c.okPage(t, fmt.Sprintf("/projets/%d", rid))
	contains(t, "relocation page", page, "Signature de la lettre d’intention", "Lettre d’intention", "début 2022",
		"Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892", fmt.Sprintf(`href="/jalons/%d/modifier"`, mid))

	// Edited: a new planned date with a reason.
	edit := c.okPage(t, fmt.Sprintf("/jalons/%d/modifier", mid))
	if got := inputValue(t, edit, "planned"); got != "début 2022" {
		t.Errorf("edit form: planned = %q, want début 2022", got)
	}
	if got := textareaValue(t, edit, "source"); got != "Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892" {
		t.Errorf("edit form: source = %q", got)
	}
	if !regexp.MustCompile(`<input[^>]*name="public"[^>]* checked>`).MatchString(edit) {
		t.Errorf("edit form: the public box is not checked")
	}
	if got := inputValue(t, edit, "version"); got != "1" {
		t.Fatalf("edit form: version = %q, want 1", got)
	}
	r = c.submit(t, fmt.Sprintf("/jalons/%d", mid), milestoneFields(map[string]string{
		"version": "1", "planned": "mi-2022", "reason": "Retard des travaux du bailleur"}))
	seeOther(t, r, fmt.Sprintf(`/projets/%d#jalons`, rid))
	page = c.okPage(t, fmt.Sprintf("/projets/%d", rid))
	contains(t, "relocation page after the edit", page, "début 2022 → mi-2022 : Retard des travaux du bailleur", "+123 j")

	// Stale: the form drawn at version 1, posted after the edit.
	before = c.snapshot(t)
	r = c.submit(t, fmt.Sprintf("/jalons/%d", mid), milestoneFields(map[string]string{
		"version": "1", "planned": "fin 2022", "title": "Titre écrasé", "reason": "écrasement"}))
	if r.StatusCode != http.StatusPreconditionFailed {
		t.Fatalf("stale milestone form: status %d, want 412\n%s", r.StatusCode, r)
	}
	checkPageHTML(t, "stale form", r)
	contains(t, "stale form", r.raw, "Cette fiche a été modifiée entre-temps")
	for f, v := range map[string]string{"planned": "mi-2022", "title": "Signature de la lettre d’intention", "version": "2"} {
		if got := inputValue(t, r.raw, f); got != v {
			t.Errorf("stale form: %s = %q, want the current %q", f, got, v)
		}
	}
	if after := c.snapshot(t); after != before {
		t.Errorf("a stale form wrote:\nbefore %s\nafter  %s", before, after)
	}

	// Deleted: a stale version is refused, the current one deletes.
	before = c.snapshot(t)
	r = c.submit(t, fmt.Sprintf("/jalons/%d/supprimer", mid), url.Values{"version": {"1"}})
	if r.StatusCode != http.StatusPreconditionFailed {
		t.Errorf("stale delete: status %d, want 412\n%s", r.StatusCode, r)
	}
	// The form is drawn again, at the current version, saying who changed it.
	for _, want := range []string{"Jalon non supprimé", "modifiée entre-temps par", `name="version" value="2"`} {
		if !strings.Contains(r.raw, want) {
			t.Errorf("stale delete page lacks %q", want)
		}
	}
	if after := c.snapshot(t); after != before {
		t.Errorf("a stale delete wrote:\nbefore %s\nafter  %s", before, after)
	}
	r = c.submit(t, fmt.Sprintf("/jalons/%d/supprimer", mid), url.Values{"version": {"2"}})
	seeOther(t, r, fmt.Sprintf(`/projets/%d#jalons`, rid))
	page = c.okPage(t, fmt.Sprintf("/projets/%d", rid))
	// The journal keeps the deletion (title before → —): look above it.
	milestones, _, _ := strings.Cut(page, `id="journal"`)
	if strings.Contains(milestones, "Signature de la lettre d’intention") || strings.Contains(page, fmt.Sprintf("/jalons/%d/", mid)) {
		t.Errorf("the deleted milestone still shows")
	}
	contains(t, "page after the delete", page, "Aucun jalon")
	if r := c.page(t, fmt.Sprintf("/jalons/%d/modifier", mid)); r.StatusCode != http.StatusNotFound {
		t.Errorf("GET the deleted milestone's form: status %d, want 404", r.StatusCode)
	}

	// Status as of today in Paris (apiNow is 30 June 23:30 UTC, 1 July in Paris): a
	// milestone of « juin 2021 » not done is late; the actual date takes the French form.
	late := c.createMilestoneForm(t, rid, map[string]string{"title": "Consultation du CSA", "kind": "staff_consultation", "planned": "juin 2021"})
	done := c.createMilestoneForm(t, rid, map[string]string{"title": "Lettre signée", "planned": "juin 2021", "actual": "15/06/2021"})
	page = c.okPage(t, fmt.Sprintf("/projets/%d", rid))
	for id, want := range map[int64][]string{late: {"Consultation du CSA", "En retard"}, done: {"Lettre signée", "15 juin 2021", "Réalisé"}} {
		row := milestoneRow(t, page, id)
		contains(t, "milestone row", row, want...)
	}
	r = c.do(t, "GET", fmt.Sprintf("/api/v1/milestones/%d", done), "")
	expect(t, r, 200)
	if r.json["actual"] != "2021-06-15" {
		t.Errorf("actual typed 15/06/2021 stored as %v, want 2021-06-15", r.json["actual"])
	}
	if got := inputValue(t, c.okPage(t, fmt.Sprintf("/jalons/%d/modifier", done)), "actual"); got != "2021-06-15" {
		t.Errorf("the date input shows actual %q, want 2021-06-15 (the form of <input type=date>)", got)
	}
}

// milestoneEditFields returns the fields of a milestone edit form as drawn; with crlf,
// textareas send their line breaks as CRLF, as browsers do (HTML, form submission).
func milestoneEditFields(t *testing.T, page string, crlf bool) url.Values {
	t.Helper()
	fields := url.Values{}
	for _, f := range []string{"version", "title", "planned", "reason", "actual", "source_url"} {
		fields.Set(f, inputValue(t, page, f))
	}
	fields.Set("kind", selectedValue(t, page, "kind"))
	breaks := strings.NewReplacer()
	if crlf {
		breaks = strings.NewReplacer("\r\n", "\r\n", "\n", "\r\n")
	}
	fields.Set("source", breaks.Replace(textareaValue(t, page, "source")))
	fields.Set("notes", breaks.Replace(textareaValue(t, page, "notes")))
	if regexp.MustCompile(`<input[^>]*name="public"[^>]* checked>`).MatchString(page) {
		fields.Set("public", "on")
	}
	return fields
}

// TestPageMilestoneFormRoundTrip saves milestone forms as drawn: every precision of
// date comes back from its French label, and nothing is written.
func TestPageMilestoneFormRoundTrip(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := idOf(t, c.createRelocation(t, nil))
	for _, planned := range []string{"2021-06-01", "2021-06-15", "2021-06", "2022-Q1", "2022-Q4", "2022-S1", "2022-S2",
		"2022-early", "2022-mid", "2022-late", "2022"} {
		t.Run(planned, func(t *testing.T) {
			m := c.createMilestone(t, rid, map[string]any{"planned": planned, "actual": "2021-06-01", "public": true,
				"source_url": "https://questions.assemblee-nationale.fr/q15/15-25585QE.htm", "notes": "Note « citée »\nsur deux lignes"})
			id := idOf(t, m)
			edit := c.okPage(t, fmt.Sprintf("/jalons/%d/modifier", id))
			before := c.snapshot(t)
			r := c.submit(t, fmt.Sprintf("/jalons/%d", id), milestoneEditFields(t, edit, false))
			seeOther(t, r, fmt.Sprintf(`/projets/%d#jalons`, rid))
			if after := c.snapshot(t); after != before {
				t.Errorf("saving the form of %s unchanged wrote:\nbefore %s\nafter  %s", planned, before, after)
			}
		})
	}
	t.Run("line breaks as a browser sends them", func(t *testing.T) {
		m := c.createMilestone(t, rid, map[string]any{"notes": "Première ligne\nseconde ligne"})
		id := idOf(t, m)
		edit := c.okPage(t, fmt.Sprintf("/jalons/%d/modifier", id))
		before := c.snapshot(t)
		r := c.submit(t, fmt.Sprintf("/jalons/%d", id), milestoneEditFields(t, edit, true))
		seeOther(t, r, fmt.Sprintf(`/projets/%d#jalons`, rid))
		// Regression: browsers send textarea line breaks as CRLF; saving a milestone with
		// multi-line notes unchanged once wrote a new version.
		if after := c.snapshot(t); after != before {
			t.Errorf("saving the form unchanged (CRLF line breaks) wrote:\nbefore %s\nafter  %s", before, after)
		}
	})
}

// milestoneRow returns the table row of milestone id on a relocation page.
func milestoneRow(t *testing.T, page string, id int64) string {
	t.Helper()
	end := strings.Index(page, fmt.Sprintf(`href="/jalons/%d/modifier"`, id))
	if end < 0 {
		t.Fatalf("no row for milestone %d", id)
	}
	start := strings.LastIndex(page[:end], "<tr>")
	return page[start:end]
}

func TestPageEscaping(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	const evil = `<script>alert(1)</script>`
	const escaped = `&lt;script&gt;alert(1)&lt;/script&gt;`
	const breakout = `"><i>x</i>`
	rid := c.createRelocationForm(t, map[string]string{"name": evil, "body": breakout})
	mid := c.createMilestoneForm(t, rid, map[string]string{"title": evil, "source": evil, "notes": evil})

	check := func(what string, r apiResp) {
		t.Helper()
		checkPageHTML(t, what, r)
		if strings.Contains(r.raw, evil) || strings.Contains(r.raw, "<i>x</i>") {
			t.Errorf("%s prints a name raw", what)
		}
		if !strings.Contains(r.raw, escaped) {
			t.Errorf("%s lacks the escaped name %s", what, escaped)
		}
	}
	for _, path := range []string{"/", fmt.Sprintf("/projets/%d", rid), fmt.Sprintf("/projets/%d/modifier", rid),
		fmt.Sprintf("/projets/%d/jalons/nouveau", rid), fmt.Sprintf("/jalons/%d/modifier", mid)} {
		r := c.page(t, path)
		expect(t, r, 200)
		check("GET "+path, r)
	}
	edit := c.okPage(t, fmt.Sprintf("/projets/%d/modifier", rid))
	if got := inputValue(t, edit, "name"); got != evil {
		t.Errorf("edit form: name = %q, want %q", got, evil)
	}
	if got := inputValue(t, edit, "body"); got != breakout {
		t.Errorf("edit form: body = %q, want %q", got, breakout)
	}
	medit := c.okPage(t, fmt.Sprintf("/jalons/%d/modifier", mid))
	if got := textareaValue(t, medit, "notes"); got != evil {
		t.Errorf("milestone form: notes = %q, want %q", got, evil)
	}
	// A script URL is refused as a source link.
	before := c.snapshot(t)
	r := c.submit(t, fmt.Sprintf("/projets/%d/jalons", rid), milestoneFields(map[string]string{"source_url": "javascript:alert(1)"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("javascript: source URL: status %d, want 422", r.StatusCode)
	} else {
		checkFieldError(t, r.raw, "source_url")
	}
	if after := c.snapshot(t); after != before {
		t.Errorf("a refused source URL wrote:\nbefore %s\nafter  %s", before, after)
	}
	// Refused forms show the typed values escaped as well.
	r = c.submit(t, "/projets", relocationFields(map[string]string{"name": evil, "body": breakout, "headcount": "0", "slug": "autre"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("refused form: status %d, want 422", r.StatusCode)
	}
	check("refused relocation form", r)
	r = c.submit(t, fmt.Sprintf("/jalons/%d", mid), milestoneFields(map[string]string{"title": evil, "version": "1", "planned": "demain"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("refused milestone form: status %d, want 422", r.StatusCode)
	}
	check("refused milestone form", r)
}

func TestPageUnknownIDs(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := idOf(t, c.createRelocation(t, nil))
	for _, path := range []string{"/projets/999999", "/projets/abc", "/projets/0", "/projets/-1", "/projets/1.5",
		"/projets/99999999999999999999", "/projets/999999/modifier", "/projets/999999/jalons/nouveau",
		"/jalons/999999/modifier", "/jalons/abc/modifier", "/introuvable"} {
		r := c.page(t, path)
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, r.StatusCode)
			continue
		}
		checkPageHTML(t, "GET "+path, r)
		if strings.HasPrefix(strings.TrimSpace(r.raw), "{") {
			t.Errorf("GET %s: answers JSON to a browser: %s", path, r)
		}
		contains(t, "404 page of "+path, r.raw, "Introuvable", "Erreur 404", `href="/"`)
	}
	before := c.snapshot(t)
	for _, path := range []string{"/projets/999999", "/projets/999999/jalons", "/jalons/999999", "/jalons/999999/supprimer", "/projets/abc"} {
		r := c.submit(t, path, milestoneFields(relocationFieldsMap()))
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: status %d, want 404", path, r.StatusCode)
		}
	}
	if after := c.snapshot(t); after != before {
		t.Errorf("posts to unknown ids wrote:\nbefore %s\nafter  %s", before, after)
	}
	// A page of an existing relocation still answers.
	c.okPage(t, fmt.Sprintf("/projets/%d", rid))
}

// relocationFieldsMap is a valid relocation form as a map, so a post can carry the
// fields of both forms.
func relocationFieldsMap() map[string]string {
	out := map[string]string{}
	for k, v := range relocationFields(nil) {
		out[k] = v[0]
	}
	return out
}
