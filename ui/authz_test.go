package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui"
	"github.com/ministere/tracker/ui/account"
)

// The tests of issue 3: who may do what (authorization on every route, per record),
// sessions, profile, tokens, throttling, journal, concurrent edits, escaping, headers.

// actor is one of the five kinds of caller of the authorization matrix.
type actor struct {
	name  string
	token string  // API token; "" for the anonymous visitor
	sess  session // browser session; zero for the anonymous visitor
}

// Actor names.
const (
	anonymous    = "anonymous"
	viewer       = "viewer"
	otherManager = "manager of another relocation"
	manager      = "assigned manager"
	admin        = "admin"
)

// authzEnv is an apiEnv with relocation A (assigned to the manager), relocation B
// (assigned to the other manager), a milestone of A, and the five actors.
type authzEnv struct {
	*apiEnv
	relA, relB, milestone int64
	actors                []actor
	users                 map[string]account.User // viewer, manager, other manager, spare (a manager), target (a viewer)
}

func newAuthzEnv(t *testing.T) *authzEnv {
	t.Helper()
	e := &authzEnv{apiEnv: newAPIEnv(t), users: map[string]account.User{}}
	e.relA = idOf(t, e.createRelocation(t, nil))
	e.relB = idOf(t, e.createRelocation(t, map[string]any{"slug": "autre-projet", "name": "Autre projet"}))
	e.milestone = idOf(t, e.createMilestone(t, e.relA, nil))
	for name, role := range map[string]string{viewer: account.RoleViewer, manager: account.RoleManager,
		otherManager: account.RoleManager, "spare": account.RoleManager, "target": account.RoleViewer} {
		e.users[name] = e.user(t, strings.NewReplacer(" ", "-").Replace(name)+"@exemple.gouv.fr", role)
	}
	e.assign(t, e.relA, e.users[manager].Email)
	e.assign(t, e.relB, e.users[otherManager].Email)
	e.actors = []actor{{name: anonymous}}
	for _, name := range []string{viewer, otherManager, manager} {
		u := e.users[name]
		e.actors = append(e.actors, actor{name: name, token: e.tokenOf(t, u), sess: e.login(t, u.Email, testPassword)})
	}
	e.actors = append(e.actors, actor{name: admin, token: e.token, sess: e.login(t, adminEmail, testPassword)})
	return e
}

// assign makes the accounts with these emails the managers of a relocation.
func (e *apiEnv) assign(t *testing.T, relocationID int64, emails ...string) {
	t.Helper()
	if _, err := e.accounts.SetManagers(context.Background(), relocation.Actor{Name: "test"}, relocationID, emails, nil); err != nil {
		t.Fatal(err)
	}
}

// version reads the stored version of a row.
func (e *apiEnv) version(t *testing.T, table string, id int64) int {
	t.Helper()
	var v int
	if err := e.db.Get(&v, `SELECT version FROM `+table+` WHERE id = $1`, id); err != nil {
		t.Fatalf("version of %s %d: %v", table, id, err)
	}
	return v
}

// request is an API call (body JSON) or, when fields is set, a form post.
type request struct {
	method, path, body string
	headers            []string
	fields             url.Values
}

// send sends the request as the actor: with its token (API) or its session and CSRF
// token (forms); anonymously with neither.
func (e *authzEnv) send(t *testing.T, a actor, r request) apiResp {
	t.Helper()
	if r.fields != nil {
		return e.form(t, a.sess, r.path, r.fields)
	}
	headers := r.headers
	if a.token != "" {
		headers = append(bearer(a.token), headers...)
	}
	return apiDo(t, e.app, r.method, r.path, r.body, headers...)
}

// TestAuthorizationMatrix sends every unsafe API route and form as each actor: the
// anonymous visitor is sent to log in (401 on the API, 303 to /login for forms), the
// actors without the right get 403, and nothing is written; the others succeed.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	e := newAuthzEnv(t)
	n := 0
	next := func() int { n++; return n }
	freshMilestone := func(t *testing.T) int64 { return idOf(t, e.createMilestone(t, e.relA, nil)) }
	// The managers of A alternate between two lists, so that every allowed PUT changes them.
	managers := func(t *testing.T) []string {
		var n int
		if err := e.db.Get(&n, `SELECT count(*) FROM relocation_managers WHERE relocation_id = $1`, e.relA); err != nil {
			t.Fatal(err)
		}
		if n == 2 {
			return []string{e.users[manager].Email}
		}
		return []string{e.users[manager].Email, e.users["spare"].Email}
	}
	relA, mid, target := e.relA, e.milestone, e.users["target"].ID
	cases := []struct {
		name    string
		allowed []string
		status  int // when allowed
		prepare func(t *testing.T) request
	}{
		{"POST /api/v1/relocations", []string{otherManager, manager, admin}, 201, func(t *testing.T) request {
			return request{method: "POST", path: "/api/v1/relocations", body: relocationBody(map[string]any{"slug": fmt.Sprintf("api-%d", next())})}
		}},
		{"PATCH /api/v1/relocations/{id}", []string{manager, admin}, 200, func(t *testing.T) request {
			return request{method: "PATCH", path: fmt.Sprintf("/api/v1/relocations/%d", relA), body: fmt.Sprintf(`{"headcount":%d}`, 200+next()),
				headers: []string{"If-Match", etag(e.version(t, "relocations", relA))}}
		}},
		{"POST /api/v1/relocations/{id}/milestones", []string{manager, admin}, 201, func(t *testing.T) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/milestones", relA), body: milestoneBody(nil)}
		}},
		{"PATCH /api/v1/milestones/{id}", []string{manager, admin}, 200, func(t *testing.T) request {
			return request{method: "PATCH", path: fmt.Sprintf("/api/v1/milestones/%d", mid), body: fmt.Sprintf(`{"title":"Jalon %d"}`, next()),
				headers: []string{"If-Match", etag(e.version(t, "milestones", mid))}}
		}},
		{"DELETE /api/v1/milestones/{id}", []string{manager, admin}, 204, func(t *testing.T) request {
			return request{method: "DELETE", path: fmt.Sprintf("/api/v1/milestones/%d", freshMilestone(t)), headers: []string{"If-Match", etag(1)}}
		}},
		{"PUT /api/v1/relocations/{id}/managers", []string{admin}, 200, func(t *testing.T) request {
			return request{method: "PUT", path: fmt.Sprintf("/api/v1/relocations/%d/managers", relA), body: jsonOf(map[string]any{"emails": managers(t)})}
		}},
		{"POST /projets", []string{otherManager, manager, admin}, 303, func(t *testing.T) request {
			return request{path: "/projets", fields: relocationFields(map[string]string{"slug": fmt.Sprintf("form-%d", next())})}
		}},
		{"POST /projets/{id}", []string{manager, admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/projets/%d", relA), fields: relocationFields(map[string]string{
				"name": fmt.Sprintf("Projet %d", next()), "version": fmt.Sprint(e.version(t, "relocations", relA))})}
		}},
		{"POST /projets/{id}/jalons", []string{manager, admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/projets/%d/jalons", relA), fields: milestoneFields(nil)}
		}},
		{"POST /jalons/{id}", []string{manager, admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/jalons/%d", mid), fields: milestoneFields(map[string]string{
				"title": fmt.Sprintf("Jalon %d", next()), "version": fmt.Sprint(e.version(t, "milestones", mid))})}
		}},
		{"POST /jalons/{id}/supprimer", []string{manager, admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/jalons/%d/supprimer", freshMilestone(t)), fields: url.Values{"version": {"1"}}}
		}},
		{"POST /projets/{id}/responsables", []string{admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/projets/%d/responsables", relA), fields: url.Values{"emails": managers(t)}}
		}},
		{"POST /admin/comptes", []string{admin}, 303, func(t *testing.T) request {
			return request{path: "/admin/comptes", fields: url.Values{"email": {fmt.Sprintf("nouveau-%d@exemple.gouv.fr", next())},
				"name": {"Nouveau compte"}, "role": {account.RoleViewer}, "password": {testPassword}}}
		}},
		{"POST /admin/comptes/{id}", []string{admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/admin/comptes/%d", target), fields: url.Values{"name": {fmt.Sprintf("Cible %d", next())},
				"role": {account.RoleViewer}, "version": {fmt.Sprint(e.version(t, "users", target))}}}
		}},
		// Issue 4: sites, criteria, scores and AHP on relocation A (helpers mx… in
		// api_sites_test.go). The AHP rows come first: they compare every criterion of A,
		// at most 10, before the rows below add some.
		{"POST /api/v1/relocations/{id}/ahp", []string{manager, admin}, 200, func(t *testing.T) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/ahp", relA), body: e.mxAHPBody(t)}
		}},
		{"POST /projets/{id}/ahp", []string{manager, admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/projets/%d/ahp", relA), fields: e.mxAHPForm(t)}
		}},
		{"POST /api/v1/relocations/{id}/sites", []string{manager, admin}, 201, func(t *testing.T) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/sites", relA), body: siteBody(map[string]any{"name": fmt.Sprintf("Site %d", next())})}
		}},
		{"PATCH /api/v1/sites/{id}", []string{manager, admin}, 200, func(t *testing.T) request {
			sid := e.mxSite(t)
			return request{method: "PATCH", path: fmt.Sprintf("/api/v1/sites/%d", sid), body: fmt.Sprintf(`{"name":"Site %d"}`, next()),
				headers: []string{"If-Match", etag(e.version(t, "sites", sid))}}
		}},
		{"PUT /api/v1/sites/{sid}/scores/{cid}", []string{manager, admin}, 201, func(t *testing.T) request {
			return request{method: "PUT", path: fmt.Sprintf("/api/v1/sites/%d/scores/%d", e.mxFreshSite(t), idOf(t, e.mxCriterion(t))),
				body: `{"value":5,"justification":"visite"}`}
		}},
		{"POST /api/v1/relocations/{id}/criteria", []string{manager, admin}, 201, func(t *testing.T) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/criteria", relA), body: criterionBody(map[string]any{"name": fmt.Sprintf("Critère %d", next())})}
		}},
		{"PATCH /api/v1/criteria/{id}", []string{manager, admin}, 200, func(t *testing.T) request {
			c := e.mxCriterion(t)
			return request{method: "PATCH", path: fmt.Sprintf("/api/v1/criteria/%d", idOf(t, c)), body: fmt.Sprintf(`{"weight":%d}`, 10+next()),
				headers: []string{"If-Match", etag(versionIn(t, c))}}
		}},
		{"DELETE /api/v1/criteria/{id}", []string{manager, admin}, 204, func(t *testing.T) request {
			return request{method: "DELETE", path: fmt.Sprintf("/api/v1/criteria/%d", e.mxFreshCriterion(t)), headers: []string{"If-Match", etag(1)}}
		}},
		{"POST /projets/{id}/sites", []string{manager, admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/projets/%d/sites", relA), fields: url.Values{"name": {fmt.Sprintf("Site %d", next())}, "kind": {"lease"}, "status": {"candidate"}}}
		}},
		{"POST /sites/{id}", []string{manager, admin}, 303, func(t *testing.T) request {
			sid := e.mxSite(t)
			return request{path: fmt.Sprintf("/sites/%d", sid), fields: url.Values{"name": {fmt.Sprintf("Site %d", next())}, "kind": {"lease"},
				"status": {"candidate"}, "version": {fmt.Sprint(e.version(t, "sites", sid))}}}
		}},
		{"POST /sites/{sid}/notes/{cid}", []string{manager, admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/sites/%d/notes/%d", e.mxFreshSite(t), idOf(t, e.mxCriterion(t))),
				fields: url.Values{"value": {"5"}, "justification": {"visite"}}}
		}},
		{"POST /projets/{id}/criteres", []string{manager, admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/projets/%d/criteres", relA), fields: url.Values{"name": {fmt.Sprintf("Critère %d", next())},
				"weight": {"10"}, "direction": {"higher_is_better"}, "scale_min": {"0"}, "scale_max": {"10"}, "source": {"manual"}}}
		}},
		{"POST /criteres/{id}", []string{manager, admin}, 303, func(t *testing.T) request {
			cid, fields := e.mxCriterionForm(t, 10+next())
			return request{path: fmt.Sprintf("/criteres/%d", cid), fields: fields}
		}},
		{"POST /criteres/{id}/supprimer", []string{manager, admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/criteres/%d/supprimer", e.mxFreshCriterion(t)), fields: url.Values{"version": {"1"}}}
		}},
	}
	for _, c := range cases {
		for _, a := range e.actors {
			t.Run(c.name+"/"+a.name, func(t *testing.T) {
				req := c.prepare(t)
				before := e.snapshot(t)
				r := e.send(t, a, req)
				after := e.snapshot(t)
				allowed := false
				for _, name := range c.allowed {
					allowed = allowed || name == a.name
				}
				switch {
				case allowed:
					if r.StatusCode != c.status {
						t.Fatalf("status %d, want %d\n%s", r.StatusCode, c.status, r)
					}
					if after == before {
						t.Errorf("an allowed request wrote nothing")
					}
					return
				case req.fields == nil && a.name == anonymous:
					checkProblem(t, r, http.StatusUnauthorized)
				case req.fields == nil:
					checkProblem(t, r, http.StatusForbidden)
				case a.name == anonymous:
					seeOther(t, r, `/login\?next=%2F`)
				default:
					if r.StatusCode != http.StatusForbidden {
						t.Errorf("status %d, want 403\n%s", r.StatusCode, r)
					}
					checkPageHTML(t, "403", r)
				}
				if after != before {
					t.Errorf("a refused request wrote:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	}
}

// TestAuthorizationReads checks the safe routes: the anonymous visitor gets 401 from
// the API and is sent to log in (and back) by pages; every account reads everything;
// forms of changes open only to those who may make them.
func TestAuthorizationReads(t *testing.T) {
	t.Parallel()
	e := newAuthzEnv(t)
	rel, mid, target := e.relA, e.milestone, e.users["target"].ID
	api := []string{"/api/v1/relocations", fmt.Sprintf("/api/v1/relocations/%d", rel),
		fmt.Sprintf("/api/v1/relocations/%d/milestones", rel), fmt.Sprintf("/api/v1/relocations/%d/journal", rel),
		fmt.Sprintf("/api/v1/relocations/%d/managers", rel), fmt.Sprintf("/api/v1/milestones/%d", mid)}
	all := []string{viewer, otherManager, manager, admin}
	pages := []struct {
		path    string
		allowed []string
	}{
		{"/", all},
		{fmt.Sprintf("/projets/%d", rel), all},
		{fmt.Sprintf("/projets/%d?journal=1", rel), all},
		{"/profil", all},
		{"/projets/nouveau", []string{otherManager, manager, admin}},
		{fmt.Sprintf("/projets/%d/modifier", rel), []string{manager, admin}},
		{fmt.Sprintf("/projets/%d/jalons/nouveau", rel), []string{manager, admin}},
		{fmt.Sprintf("/jalons/%d/modifier", mid), []string{manager, admin}},
		{"/admin/comptes", []string{admin}},
		{fmt.Sprintf("/admin/comptes/%d/modifier", target), []string{admin}},
	}
	before := e.snapshot(t)
	for _, a := range e.actors {
		for _, path := range api {
			r := e.send(t, a, request{method: "GET", path: path})
			if a.name == anonymous {
				checkProblem(t, r, http.StatusUnauthorized)
				if got := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
					t.Errorf("GET %s anonymous: WWW-Authenticate = %q, want Bearer", path, got)
				}
				continue
			}
			if r.StatusCode != http.StatusOK {
				t.Errorf("GET %s as %s: status %d, want 200\n%s", path, a.name, r.StatusCode, r)
			}
			// The browser session reads the API too (a safe method needs no CSRF token).
			if r := e.do(t, "GET", path, "", "Cookie", a.sess.cookie); r.StatusCode != http.StatusOK {
				t.Errorf("GET %s as %s with the session cookie: status %d, want 200\n%s", path, a.name, r.StatusCode, r)
			}
		}
		for _, p := range pages {
			r := e.get(t, a.sess, p.path)
			allowed := false
			for _, name := range p.allowed {
				allowed = allowed || name == a.name
			}
			switch {
			case a.name == anonymous:
				seeOther(t, r, regexp.QuoteMeta("/login?next="+url.QueryEscape(p.path)))
			case allowed:
				if r.StatusCode != http.StatusOK {
					t.Errorf("GET %s as %s: status %d, want 200\n%s", p.path, a.name, r.StatusCode, r)
				}
				checkPageHTML(t, "GET "+p.path, r)
			default:
				if r.StatusCode != http.StatusForbidden {
					t.Errorf("GET %s as %s: status %d, want 403\n%s", p.path, a.name, r.StatusCode, r)
				}
				checkPageHTML(t, "GET "+p.path, r)
			}
		}
		// The relocation page offers its edit links to those who may edit only.
		if a.name == anonymous {
			continue
		}
		page := e.get(t, a.sess, fmt.Sprintf("/projets/%d", rel)).raw
		canEdit := a.name == manager || a.name == admin
		for _, link := range []string{fmt.Sprintf(`href="/projets/%d/modifier"`, rel), fmt.Sprintf(`href="/jalons/%d/modifier"`, mid)} {
			if strings.Contains(page, link) != canEdit {
				t.Errorf("relocation page as %s: link %s shown = %v, want %v", a.name, link, !canEdit, canEdit)
			}
		}
		if strings.Contains(page, fmt.Sprintf(`action="/projets/%d/responsables"`, rel)) != (a.name == admin) {
			t.Errorf("relocation page as %s: the managers form is shown to the wrong accounts", a.name)
		}
	}
	if after := e.snapshot(t); after != before {
		t.Errorf("reading wrote:\nbefore %s\nafter  %s", before, after)
	}
	// After the login, the visitor goes back to the page asked for; never off the site.
	r := e.get(t, session{}, fmt.Sprintf("/projets/%d", rel))
	next := seeOther(t, r, `/login\?next=(.*)`)[1]
	login := apiDo(t, e.app, "GET", "/login?next="+next, "", "Accept", "text/html")
	if got := inputValue(t, login.raw, "next"); got != fmt.Sprintf("/projets/%d", rel) {
		t.Errorf("login form next = %q, want the page asked for", got)
	}
	for _, n := range []string{fmt.Sprintf("/projets/%d", rel), "//evil.example/", "https://evil.example/", `/\evil.example`} {
		ck := cookieNamed(login, "tracker_csrf").Value
		f := url.Values{"email": {adminEmail}, "password": {testPassword}, "_csrf": {ck}, "next": {n}}
		r := apiDo(t, e.app, "POST", "/login", f.Encode(), "Content-Type", "application/x-www-form-urlencoded", "Cookie", "tracker_csrf="+ck)
		want := "/"
		if n == fmt.Sprintf("/projets/%d", rel) {
			want = n
		}
		seeOther(t, r, regexp.QuoteMeta(want))
	}
	// A bad Bearer token is refused even with a valid session cookie beside it.
	adminCookie := e.actors[len(e.actors)-1].sess.cookie
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations", "", "Authorization", "Bearer trk_nope", "Cookie", adminCookie), 401)
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations", "", "Authorization", "Basic YWRtaW46YWRtaW4="), 401)
}

// TestManagerCreatesAndEdits: a manager who creates a relocation is assigned to it and
// may go on editing it, through the API or the forms; another manager may not.
func TestManagerCreatesAndEdits(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	m := e.user(t, "responsable@exemple.gouv.fr", account.RoleManager)
	tok := e.tokenOf(t, m)
	other := e.tokenOf(t, e.user(t, "autre@exemple.gouv.fr", account.RoleManager))
	r := e.do(t, "POST", "/api/v1/relocations", relocationBody(nil), bearer(tok)...)
	expect(t, r, 201)
	path := fmt.Sprintf("/api/v1/relocations/%d", idOf(t, r.json))
	r = e.do(t, "GET", path+"/managers", "")
	expect(t, r, 200)
	if got := fmt.Sprint(r.json["emails"]); got != "[responsable@exemple.gouv.fr]" {
		t.Errorf("managers of the relocation a manager created = %s, want the creator", got)
	}
	checkProblem(t, e.do(t, "PATCH", path, `{"headcount":150}`, append(bearer(other), "If-Match", etag(1))...), 403)
	expect(t, e.do(t, "PATCH", path, `{"headcount":150}`, append(bearer(tok), "If-Match", etag(1))...), 200)

	s := e.login(t, m.Email, testPassword)
	id := seeOther(t, e.form(t, s, "/projets", relocationFields(map[string]string{"slug": "par-formulaire"})), `/projets/(\d+)`)[1]
	seeOther(t, e.form(t, s, "/projets/"+id+"/jalons", milestoneFields(nil)), `/projets/`+id+`#jalons`)
	// A viewer cannot be assigned, nor an unknown address.
	v := e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer)
	checkProblem(t, e.do(t, "PUT", path+"/managers", jsonOf(map[string]any{"emails": []string{v.Email}})), 422)
	checkProblem(t, e.do(t, "PUT", path+"/managers", jsonOf(map[string]any{"emails": []string{"personne@exemple.gouv.fr"}})), 422)
}

// TestSessionFixation: the session id is chosen by the server at each login, never
// kept from a cookie the browser had before.
func TestSessionFixation(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	const planted = "tracker_session=plante-par-un-attaquant-0123456789abcdef"
	r := e.postLogin(t, adminEmail, testPassword, planted)
	seeOther(t, r, "/")
	ck := cookieNamed(r, "tracker_session")
	if ck == nil || ck.Value == "" || "tracker_session="+ck.Value == planted {
		t.Fatalf("login over a planted cookie: session cookie %v, want a new id", ck)
	}
	seeOther(t, e.get(t, session{cookie: planted}, "/"), `/login\?next=%2F`)
	expect(t, e.get(t, session{cookie: "tracker_session=" + ck.Value}, "/"), 200)

	// A session that was valid before (here expired) is replaced, not renewed.
	old := e.login(t, adminEmail, testPassword)
	e.clock.add(31 * time.Minute)
	r = e.postLogin(t, adminEmail, testPassword, old.cookie)
	seeOther(t, r, "/")
	if ck := cookieNamed(r, "tracker_session"); ck == nil || "tracker_session="+ck.Value == old.cookie {
		t.Errorf("login over an old session kept its id")
	}
	seeOther(t, e.get(t, old, "/"), `/login\?next=%2F`)
	// Two logins, two ids and two CSRF tokens.
	a, b := e.login(t, adminEmail, testPassword), e.login(t, adminEmail, testPassword)
	if a.cookie == b.cookie || a.csrf == b.csrf {
		t.Errorf("two logins share a session id or CSRF token")
	}
	// The database keeps only a hash of the id.
	var raw int
	if err := e.db.Get(&raw, `SELECT count(*) FROM sessions WHERE id_hash = convert_to($1, 'UTF8')`, strings.TrimPrefix(a.cookie, "tracker_session=")); err != nil || raw != 0 {
		t.Errorf("the sessions table holds a cookie value as is (%d, %v)", raw, err)
	}
}

// TestLogout: POST /logout (with the CSRF token) ends the session on the server, so the
// old cookie, replayed, is worthless; other sessions live on.
func TestLogout(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	s := e.login(t, adminEmail, testPassword)
	other := e.login(t, adminEmail, testPassword)
	r := e.post(t, "/logout", url.Values{}, s.cookie)
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("logout without the CSRF token: status %d, want 403", r.StatusCode)
	}
	expect(t, e.get(t, s, "/"), 200)

	r = e.form(t, s, "/logout", url.Values{})
	seeOther(t, r, "/login")
	if ck := cookieNamed(r, "tracker_session"); ck == nil || ck.Value != "" {
		t.Errorf("logout does not clear the cookie: %v", r.Header.Values("Set-Cookie"))
	}
	// The browser could keep the cookie: the server no longer knows it.
	seeOther(t, e.get(t, s, "/"), `/login\?next=%2F`)
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations", "", "Cookie", s.cookie), 401)
	before := e.snapshot(t)
	seeOther(t, e.form(t, s, "/projets", relocationFields(nil)), `/login\?next=%2F`)
	if after := e.snapshot(t); after != before {
		t.Errorf("a form with the old cookie wrote:\nbefore %s\nafter  %s", before, after)
	}
	expect(t, e.get(t, other, "/"), 200)
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM sessions`); err != nil || n != 1 {
		t.Errorf("%d sessions (%v) after the logout, want 1 (the other)", n, err)
	}
}

// TestSessionExpiry drives the app's clock: a session ends after 30 minutes without a
// request, and 12 hours after the login whatever the activity.
func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	s := e.login(t, adminEmail, testPassword)
	for i := 0; i < 3; i++ {
		e.clock.add(29 * time.Minute)
		expect(t, e.get(t, s, "/"), 200)
	}
	e.clock.add(31 * time.Minute)
	r := e.get(t, s, "/")
	seeOther(t, r, `/login\?next=%2F`)
	if ck := cookieNamed(r, "tracker_session"); ck == nil || ck.Value != "" {
		t.Errorf("the expired session's cookie is not cleared: %v", r.Header.Values("Set-Cookie"))
	}
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations", "", "Cookie", s.cookie), 401)

	// Idle means since the last request: a request 59 s after the login, then one 29 min
	// 59 s later, is within the 30 minutes.
	s = e.login(t, adminEmail, testPassword)
	e.clock.add(59 * time.Second)
	expect(t, e.get(t, s, "/"), 200)
	e.clock.add(29*time.Minute + 59*time.Second)
	// Regression: idleness was once measured from a last_seen_at refreshed once a minute,
	// so a session used 29 min 59 s ago could die.
	if r := e.get(t, s, "/"); r.StatusCode != http.StatusOK {
		t.Errorf("29 min 59 s after the last request: status %d, want 200 (still within the idle limit)", r.StatusCode)
	}

	// Absolute: used every 29 minutes, the session still ends 12 hours after the login.
	s = e.login(t, adminEmail, testPassword)
	elapsed := time.Duration(0)
	for elapsed+29*time.Minute < 12*time.Hour {
		e.clock.add(29 * time.Minute)
		elapsed += 29 * time.Minute
		if r := e.get(t, s, "/"); r.StatusCode != http.StatusOK {
			t.Fatalf("after %v of activity: status %d, want 200", elapsed, r.StatusCode)
		}
	}
	e.clock.add(29 * time.Minute)
	seeOther(t, e.get(t, s, "/"), `/login\?next=%2F`)
	// A new login works again.
	expect(t, e.get(t, e.login(t, adminEmail, testPassword), "/"), 200)
}

// TestSessionCookieFlags: the session cookie is HttpOnly, SameSite=Lax, for the whole
// site, ends with the browser, and is Secure when the site is served over HTTPS.
func TestSessionCookieFlags(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		t.Run(fmt.Sprintf("SecureCookies=%v", secure), func(t *testing.T) {
			t.Parallel()
			e := newAPIEnvWith(t, ui.Config{SecureCookies: secure})
			r := e.postLogin(t, adminEmail, testPassword)
			seeOther(t, r, "/")
			ck := cookieNamed(r, "tracker_session")
			if ck == nil {
				t.Fatal("no session cookie")
			}
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure != secure {
				t.Errorf("session cookie HttpOnly=%v SameSite=%v Path=%q Secure=%v, want HttpOnly, Lax, /, Secure=%v",
					ck.HttpOnly, ck.SameSite, ck.Path, ck.Secure, secure)
			}
			if !ck.Expires.IsZero() || ck.MaxAge != 0 {
				t.Errorf("session cookie persists (Expires %v, Max-Age %d), want a browser-session cookie", ck.Expires, ck.MaxAge)
			}
			login := apiDo(t, e.app, "GET", "/login", "")
			if ck := cookieNamed(login, "tracker_csrf"); ck == nil || ck.Secure != secure || !ck.HttpOnly {
				t.Errorf("tracker_csrf cookie %v, want HttpOnly and Secure=%v", ck, secure)
			}
		})
	}
	// Trusted proxies are off by default: a client's X-Forwarded-Proto is not believed.
	e := newAPIEnv(t)
	login := apiDo(t, e.app, "GET", "/login", "", "X-Forwarded-Proto", "https")
	if ck := cookieNamed(login, "tracker_csrf"); ck == nil || ck.Secure {
		t.Errorf("X-Forwarded-Proto from an untrusted client made the cookie Secure: %v", ck)
	}
	if h := login.Header.Get("Strict-Transport-Security"); h != "" {
		t.Errorf("X-Forwarded-Proto from an untrusted client set HSTS: %q", h)
	}
}

// TestDisabledAccount: disabling an account (by an administrator, through the form)
// ends its sessions and stops its tokens and its logins.
func TestDisabledAccount(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	admin := e.login(t, adminEmail, testPassword)
	u := e.user(t, "responsable@exemple.gouv.fr", account.RoleManager)
	s := e.login(t, u.Email, testPassword)
	tok := e.tokenOf(t, u)
	expect(t, e.do(t, "GET", "/api/v1/relocations", "", bearer(tok)...), 200)

	r := e.form(t, admin, fmt.Sprintf("/admin/comptes/%d", u.ID), url.Values{"name": {u.Name}, "role": {u.Role},
		"disabled": {"on"}, "version": {fmt.Sprint(u.Version)}})
	seeOther(t, r, "/admin/comptes")
	seeOther(t, e.get(t, s, "/"), `/login\?next=%2F`)
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations", "", "Cookie", s.cookie), 401)
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations", "", bearer(tok)...), 401)
	r = e.postLogin(t, u.Email, testPassword)
	if r.StatusCode != http.StatusUnauthorized || cookieNamed(r, "tracker_session") != nil {
		t.Errorf("login of a disabled account: status %d, cookies %v, want 401 and no session", r.StatusCode, r.Header.Values("Set-Cookie"))
	}
	contains(t, "login page", r.raw, "Adresse électronique ou mot de passe incorrect")
	// A role change takes effect at the next request; a password change ends the
	// account's sessions.
	v := e.user(t, "demote@exemple.gouv.fr", account.RoleAdmin)
	vs := e.login(t, v.Email, testPassword)
	expect(t, e.get(t, vs, "/admin/comptes"), 200)
	seeOther(t, e.form(t, admin, fmt.Sprintf("/admin/comptes/%d", v.ID), url.Values{"name": {v.Name}, "role": {account.RoleViewer},
		"version": {fmt.Sprint(v.Version)}}), "/admin/comptes")
	if r := e.get(t, vs, "/admin/comptes"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a demoted administrator: status %d, want 403", r.StatusCode)
	}
	seeOther(t, e.form(t, admin, fmt.Sprintf("/admin/comptes/%d", v.ID), url.Values{"name": {v.Name}, "role": {account.RoleViewer},
		"password": {"un tout nouveau mot de passe"}, "version": {fmt.Sprint(v.Version + 1)}}), "/admin/comptes")
	seeOther(t, e.get(t, vs, "/"), `/login\?next=%2F`)
	if r := e.postLogin(t, v.Email, testPassword); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("login with the old password: status %d, want 401", r.StatusCode)
	}
	e.login(t, v.Email, "un tout nouveau mot de passe")
	// An administrator cannot disable their own account.
	me, err := e.accounts.UserByEmail(context.Background(), adminEmail)
	if err != nil {
		t.Fatal(err)
	}
	before := e.snapshot(t)
	r = e.form(t, admin, fmt.Sprintf("/admin/comptes/%d", me.ID), url.Values{"name": {me.Name}, "role": {me.Role},
		"disabled": {"on"}, "version": {fmt.Sprint(me.Version)}})
	if r.StatusCode != http.StatusConflict {
		t.Errorf("disabling one's own account: status %d, want 409", r.StatusCode)
	}
	if after := e.snapshot(t); after != before {
		t.Errorf("disabling one's own account wrote:\nbefore %s\nafter  %s", before, after)
	}
}

// TestProfile: the profile page lists the user's sessions and ends another one, and
// creates an API token shown once, which works as Bearer until revoked.
func TestProfile(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	u := e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer)
	s1, s2 := e.login(t, u.Email, testPassword), e.login(t, u.Email, testPassword)
	adminSession := e.login(t, adminEmail, testPassword)
	endForm := regexp.MustCompile(`action="/profil/sessions/([0-9a-f]+)/fin"`)

	page := e.get(t, s1, "/profil")
	expect(t, page, 200)
	checkPageHTML(t, "GET /profil", page)
	contains(t, "profile", page.raw, u.Email, "Cette session")
	ends := endForm.FindAllStringSubmatch(page.raw, -1)
	if len(ends) != 1 {
		t.Fatalf("profile lists %d other sessions, want 1 (s2)", len(ends))
	}
	adminKey := endForm.FindStringSubmatch(e.get(t, e.login(t, adminEmail, testPassword), "/profil").raw)
	// Another account's session cannot be ended from this profile.
	if r := e.form(t, s1, "/profil/sessions/"+adminKey[1]+"/fin", url.Values{}); r.StatusCode != http.StatusNotFound {
		t.Errorf("ending another account's session: status %d, want 404", r.StatusCode)
	}
	expect(t, e.get(t, adminSession, "/"), 200)
	seeOther(t, e.form(t, s1, "/profil/sessions/"+ends[0][1]+"/fin", url.Values{}), "/profil")
	seeOther(t, e.get(t, s2, "/"), `/login\?next=%2F`)
	page = e.get(t, s1, "/profil")
	expect(t, page, 200)
	if endForm.MatchString(page.raw) {
		t.Errorf("the ended session is still listed")
	}

	// A token, shown once.
	r := e.form(t, s1, "/profil/jetons", url.Values{"name": {"tableau de bord"}})
	expect(t, r, 200)
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("the answer showing the token may be cached: Cache-Control %q", cc)
	}
	m := regexp.MustCompile(`<code id="new-token">([^<]+)</code>`).FindStringSubmatch(r.raw)
	if m == nil {
		t.Fatalf("the new token is not shown:\n%s", r)
	}
	secret := m[1]
	page = e.get(t, s1, "/profil")
	if strings.Contains(page.raw, secret) {
		t.Errorf("the token is shown again on the next GET /profil")
	}
	contains(t, "profile", page.raw, "tableau de bord")
	var stored int
	if err := e.db.Get(&stored, `SELECT count(*) FROM api_tokens WHERE token_hash = convert_to($1, 'UTF8')`, secret); err != nil || stored != 0 {
		t.Errorf("the token is stored as is (%d, %v)", stored, err)
	}
	r = e.do(t, "GET", "/api/v1/relocations", "", bearer(secret)...)
	expect(t, r, 200)
	// Viewer's token: reads, never writes.
	checkProblem(t, e.do(t, "POST", "/api/v1/relocations", relocationBody(nil), bearer(secret)...), 403)

	tokenID := regexp.MustCompile(`action="/profil/jetons/(\d+)/revoquer"`).FindStringSubmatch(page.raw)
	if tokenID == nil {
		t.Fatalf("no revoke form on the profile")
	}
	// Another account cannot revoke it.
	if r := e.form(t, adminSession, "/profil/jetons/"+tokenID[1]+"/revoquer", url.Values{}); r.StatusCode != http.StatusNotFound {
		t.Errorf("revoking another account's token: status %d, want 404", r.StatusCode)
	}
	expect(t, e.do(t, "GET", "/api/v1/relocations", "", bearer(secret)...), 200)
	seeOther(t, e.form(t, s1, "/profil/jetons/"+tokenID[1]+"/revoquer", url.Values{}), "/profil")
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations", "", bearer(secret)...), 401)
	contains(t, "profile", e.get(t, s1, "/profil").raw, "révoqué")
}

// TestStoredXSS names a relocation, a milestone and an account
// <script>alert(1)</script>: every page that prints them escapes them.
func TestStoredXSS(t *testing.T) {
	t.Parallel()
	const evil = `<script>alert(1)</script>`
	const escaped = `&lt;script&gt;alert(1)&lt;/script&gt;`
	e := newAPIEnv(t)
	admin := e.login(t, adminEmail, testPassword)
	rel := idOf(t, e.createRelocation(t, map[string]any{"name": evil, "body": evil, "decision": evil}))
	mid := idOf(t, e.createMilestone(t, rel, map[string]any{"title": evil, "source": evil, "notes": evil}))
	r := e.do(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", mid), `{"planned":"2022-mid","reason":"<script>alert(1)</script>"}`, "If-Match", etag(1))
	expect(t, r, 200)
	u, err := e.accounts.CreateUser(context.Background(), account.NewUser{Email: "xss@exemple.gouv.fr", Name: evil,
		Role: account.RoleManager, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	e.assign(t, rel, u.Email)
	theirs := e.login(t, u.Email, testPassword)

	check := func(what string, r apiResp) {
		t.Helper()
		if r.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", what, r.StatusCode)
		}
		checkPageHTML(t, what, r)
		if strings.Contains(r.raw, evil) {
			t.Errorf("%s prints a name raw", what)
		}
		if !strings.Contains(r.raw, escaped) {
			t.Errorf("%s lacks the escaped name %s", what, escaped)
		}
	}
	for _, path := range []string{"/", fmt.Sprintf("/projets/%d", rel), fmt.Sprintf("/projets/%d/modifier", rel),
		fmt.Sprintf("/projets/%d/jalons/nouveau", rel), fmt.Sprintf("/jalons/%d/modifier", mid),
		"/admin/comptes", fmt.Sprintf("/admin/comptes/%d/modifier", u.ID)} {
		check("GET "+path, e.get(t, admin, path))
	}
	// Their own pages show their name in the header; the profile, their sessions'
	// browsers and their tokens' names.
	if _, _, err := e.accounts.CreateSession(context.Background(), u.ID, evil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.accounts.CreateToken(context.Background(), u.ID, evil); err != nil {
		t.Fatal(err)
	}
	check("GET /profil as the account", e.get(t, theirs, "/profil"))
	if n := strings.Count(e.get(t, theirs, "/profil").raw, escaped); n < 4 {
		t.Errorf("the profile shows the escaped name %d times, want at least 4 (header, name, browser, token)", n)
	}
	login := apiDo(t, e.app, "GET", "/login?next="+url.QueryEscape("/"+evil), "")
	if strings.Contains(login.raw, evil) {
		t.Errorf("the login page prints next raw")
	}
	check("GET / as the account", e.get(t, theirs, "/"))
	// Each part of the relocation page that prints a value escapes it: the milestones,
	// the managers, the journal.
	rest := e.get(t, admin, fmt.Sprintf("/projets/%d", rel)).raw
	parts := []string{`id="jalons"`, `id="responsables"`, `id="journal"`}
	for i, part := range parts {
		_, after, ok := strings.Cut(rest, part)
		if !ok {
			t.Fatalf("relocation page: no %s", part)
		}
		section := after
		if i+1 < len(parts) {
			section, _, _ = strings.Cut(after, parts[i+1])
		}
		if !strings.Contains(section, escaped) {
			t.Errorf("relocation page, %s: the escaped name is missing", part)
		}
		rest = after
	}
	// The journal answers JSON, never HTML.
	r = e.do(t, "GET", fmt.Sprintf("/api/v1/relocations/%d/journal", rel), "")
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("journal Content-Type %q", ct)
	}
}

// TestLoginThrottleUI: after 10 failed logins for one email, the 11th is refused with
// 429 and a French message even with the right password; other emails are not
// affected; fewer failures do not slow a good login; the lock lifts after 15 minutes.
func TestLoginThrottleUI(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	locked := e.user(t, "bloque@exemple.gouv.fr", account.RoleViewer)
	nine := e.user(t, "neuf@exemple.gouv.fr", account.RoleViewer)
	// The count is per account, whatever the case or spaces the email is typed with.
	typed := []string{locked.Email, "Bloque@Exemple.GOUV.fr", " bloque@exemple.gouv.fr "}
	for i := 1; i <= 10; i++ {
		r := e.postLogin(t, typed[i%len(typed)], "mauvais mot de passe")
		if r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d, want 401", i, r.StatusCode)
		}
		contains(t, "refused login", r.raw, "Adresse électronique ou mot de passe incorrect")
		if got := inputValue(t, r.raw, "email"); got != strings.TrimSpace(typed[i%len(typed)]) {
			t.Errorf("the refused login form does not keep the email: %q", got)
		}
	}
	r := e.postLogin(t, locked.Email, testPassword)
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("11th login, right password: status %d, want 429\n%s", r.StatusCode, r)
	}
	checkPageHTML(t, "429", r)
	contains(t, "429 page", r.raw, "Trop de tentatives de connexion pour ce compte", "réessayez à partir de")
	if ck := cookieNamed(r, "tracker_session"); ck != nil {
		t.Errorf("a locked login opened a session")
	}
	// Other emails are not affected; nine failures do not lock.
	expect(t, e.get(t, e.login(t, adminEmail, testPassword), "/"), 200)
	for i := 1; i <= 9; i++ {
		e.postLogin(t, nine.Email, "mauvais mot de passe")
	}
	expect(t, e.get(t, e.login(t, nine.Email, testPassword), "/"), 200)
	// The lock holds 15 minutes.
	e.clock.add(14 * time.Minute)
	if r := e.postLogin(t, locked.Email, testPassword); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("14 minutes later: status %d, want 429", r.StatusCode)
	}
	e.clock.add(time.Minute + time.Second)
	expect(t, e.get(t, e.login(t, locked.Email, testPassword), "/"), 200)
}

// journalRows returns the rows of the journal table of a relocation page.
func journalRows(t *testing.T, page string) []string {
	t.Helper()
	_, journal, ok := strings.Cut(page, `id="journal"`)
	if !ok {
		t.Fatalf("the relocation page has no journal")
	}
	body := regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`).FindStringSubmatch(journal)
	if body == nil {
		return nil
	}
	return regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(body[1], -1)
}

// TestJournalByAccount: the journal records who changed what (the token's account),
// before → after, nothing for a no-op; the relocation page shows it newest first, 20
// entries a page.
func TestJournalByAccount(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	m := e.user(t, "responsable@exemple.gouv.fr", account.RoleManager)
	tok := e.tokenOf(t, m)
	rel := idOf(t, e.createRelocation(t, map[string]any{"headcount": 100}))
	e.assign(t, rel, m.Email)
	path := fmt.Sprintf("/api/v1/relocations/%d", rel)
	journal := func() []any {
		r := e.do(t, "GET", path+"/journal", "")
		expect(t, r, 200)
		items, _ := r.json["items"].([]any)
		return items
	}
	before := len(journal())
	r := e.do(t, "PATCH", path, `{"headcount":101}`, append(bearer(tok), "If-Match", etag(1))...)
	expect(t, r, 200)
	items := journal()
	if len(items) != before+1 {
		t.Fatalf("a PATCH wrote %d journal entries, want 1", len(items)-before)
	}
	last, _ := items[0].(map[string]any)
	checkFields(t, "journal entry", last, map[string]any{"by": m.Email, "entity": "relocation", "entity_id": rel, "action": "update",
		"changes": map[string]any{"headcount": map[string]any{"before": 100.0, "after": 101.0}}})

	// A no-op keeps the version and writes nothing.
	snap := e.snapshot(t)
	r = e.do(t, "PATCH", path, `{"headcount":101,"name":"Relocalisation du CLEISS"}`, append(bearer(tok), "If-Match", etag(2))...)
	expect(t, r, 200)
	checkFields(t, "no-op", r.json, map[string]any{"version": 2})
	if got := r.Header.Get("ETag"); got != etag(2) {
		t.Errorf("no-op ETag %q, want %q", got, etag(2))
	}
	if after := e.snapshot(t); after != snap {
		t.Errorf("a no-op PATCH wrote:\nbefore %s\nafter  %s", snap, after)
	}

	// 26 entries in all: the page shows the newest 20, then the rest on ?journal=2.
	for v := 2; v < 26; v++ {
		expect(t, e.do(t, "PATCH", path, fmt.Sprintf(`{"headcount":%d}`, 100+v), append(bearer(tok), "If-Match", etag(v))...), 200)
	}
	total := len(journal())
	if total <= 20 {
		t.Fatalf("%d journal entries, want more than 20", total)
	}
	s := e.login(t, adminEmail, testPassword)
	first := e.get(t, s, fmt.Sprintf("/projets/%d", rel))
	expect(t, first, 200)
	rows := journalRows(t, first.raw)
	if len(rows) != 20 {
		t.Fatalf("first journal page shows %d entries, want 20", len(rows))
	}
	contains(t, "newest entry", rows[0], m.Email, "124 → 125")
	contains(t, "second entry", rows[1], "123 → 124")
	contains(t, "first page", first.raw, "Page 1 sur 2", `href="?journal=2#journal"`)
	if strings.Contains(strings.Join(rows, ""), "création") {
		t.Errorf("the creation, the oldest entry, shows on the first page")
	}
	second := e.get(t, s, fmt.Sprintf("/projets/%d?journal=2", rel))
	expect(t, second, 200)
	rows2 := journalRows(t, second.raw)
	if len(rows2) != total-20 {
		t.Errorf("second journal page shows %d entries, want %d", len(rows2), total-20)
	}
	if len(rows2) > 0 {
		contains(t, "oldest entry", rows2[len(rows2)-1], "création")
	}
	contains(t, "second page", second.raw, "Page 2 sur 2", `href="?journal=1#journal"`)
	for _, q := range []string{"?journal=99", "?journal=0", "?journal=abc", "?journal=-3"} {
		if r := e.get(t, s, fmt.Sprintf("/projets/%d%s", rel, q)); r.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", q, r.StatusCode)
		}
	}
}

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
	const editedBy = "Cette fiche a été modifiée entre-temps par " + adminEmail

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
		if after := e.snapshot(t); after != before {
			t.Errorf("a stale form wrote:\nbefore %s\nafter  %s", before, after)
		}
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
		if after := e.snapshot(t); after != before {
			t.Errorf("a stale form wrote:\nbefore %s\nafter  %s", before, after)
		}
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
		if after := e.snapshot(t); after != before {
			t.Errorf("a stale account form wrote:\nbefore %s\nafter  %s", before, after)
		}
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

// TestSecurityHeaders: every response, of every kind, carries the CSP, nosniff and a
// Referrer-Policy (apiDo checks them on each), and HSTS only when served over HTTPS.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		t.Run(fmt.Sprintf("SecureCookies=%v", secure), func(t *testing.T) {
			t.Parallel()
			e := newAPIEnvWith(t, ui.Config{SecureCookies: secure})
			s := e.login(t, adminEmail, testPassword)
			rel := idOf(t, e.createRelocation(t, nil))
			responses := []apiResp{
				apiDo(t, e.app, "GET", "/healthz", ""),
				apiDo(t, e.app, "GET", "/readyz", ""),
				apiDo(t, e.app, "GET", "/login", ""),
				apiDo(t, e.app, "GET", "/static/app.css", ""),
				apiDo(t, e.app, "GET", "/", ""),
				apiDo(t, e.app, "GET", "/api/v1/relocations", ""),
				apiDo(t, e.app, "POST", "/login", "email=x", "Content-Type", "application/x-www-form-urlencoded"),
				apiDo(t, e.app, "GET", "/nulle-part", ""),
				e.do(t, "GET", "/api/v1/relocations", ""),
				e.do(t, "GET", "/api/v1/relocations/999", ""),
				e.do(t, "PATCH", fmt.Sprintf("/api/v1/relocations/%d", rel), `{"headcount":2}`),
				e.get(t, s, "/"),
				e.get(t, s, fmt.Sprintf("/projets/%d", rel)),
				e.get(t, s, "/admin/comptes"),
				e.post(t, "/projets", url.Values{}, s.cookie),
				e.form(t, s, "/logout", url.Values{}),
			}
			for _, r := range responses {
				what := r.Request.Method + " " + r.Request.URL.Path
				csp := r.Header.Get("Content-Security-Policy")
				if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
					t.Errorf("%s: CSP allows inline code: %q", what, csp)
				}
				hsts := r.Header.Get("Strict-Transport-Security")
				if secure && !regexp.MustCompile(`max-age=[1-9]\d*`).MatchString(hsts) {
					t.Errorf("%s over HTTPS: Strict-Transport-Security = %q, want a max-age", what, hsts)
				}
				if !secure && hsts != "" {
					t.Errorf("%s over HTTP: Strict-Transport-Security = %q, want none", what, hsts)
				}
			}
		})
	}
}
