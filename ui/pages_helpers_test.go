package ui_test

import (
	"fmt"
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
//
// This file holds the helpers: the signed-in browser, the form client, and the fields
// of valid forms.

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
	for _, name := range []string{"tracker_csrf", "__Host-tracker_csrf"} {
		if ck := cookieNamed(r, name); ck != nil {
			jar = strings.TrimPrefix(jar+"; "+name+"="+ck.Value, "; ")
		}
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
	name := "tracker_session"
	ck := cookieNamed(r, name)
	if ck == nil { // over HTTPS
		name = "__Host-tracker_session"
		ck = cookieNamed(r, name)
	}
	if ck == nil || ck.Value == "" {
		t.Fatalf("login as %s sets no session cookie: %v", email, r.Header.Values("Set-Cookie"))
	}
	s := session{cookie: name + "=" + ck.Value}
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

// staleDelete posts the delete form deletePath drawn at version 1 over a thing now at
// version 2: 412, the form drawn again current (wants), nothing written; then at
// version 2 it deletes, back to listPath.
func (c *formClient) staleDelete(t *testing.T, deletePath, listPath string, wants ...string) {
	t.Helper()
	before := c.snapshot(t)
	r := c.submit(t, deletePath, url.Values{"version": {"1"}})
	if r.StatusCode != http.StatusPreconditionFailed {
		t.Fatalf("stale delete: status %d, want 412", r.StatusCode)
	}
	for _, want := range append(wants, "modifiée entre-temps par Agent "+adminEmail, `name="version" value="2"`) {
		if !strings.Contains(r.raw, want) {
			t.Errorf("stale delete page lacks %q", want)
		}
	}
	c.unchanged(t, before, "a stale delete wrote")
	seeOther(t, c.submit(t, deletePath, url.Values{"version": {"2"}}), listPath)
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
