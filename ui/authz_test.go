package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// Who may do what (authorization on every route, per record),
// sessions, profile, tokens, throttling, journal, concurrent edits, escaping, headers.
//
// This file holds the authorization: the matrix, the reads, a manager's own relocations.
// The others are in sessions_test.go, profile_page_test.go, xss_test.go,
// login_throttle_test.go, journal_ui_test.go, concurrent_edits_test.go and
// security_headers_test.go.

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
	store := relocation.NewStore(e.db, relocation.Hooks{})
	if _, err := store.SetManagers(context.Background(), relocation.System("test"), relocationID, relocation.Unconditional(), relocation.Given(emails)); err != nil {
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
		// Written questions, each request a question not imported yet.
		{"POST /api/v1/relocations/{id}/questions", []string{manager, admin}, 200, func(t *testing.T) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/questions", relA), body: jsonOf(map[string]string{"text": mxQuestion(next())})}
		}},
		{"POST /projets/{id}/questions", []string{manager, admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/projets/%d/questions", relA), fields: url.Values{"text": {mxQuestion(next())}}}
		}},
		{"POST /projets/{id}/questions/{qid}/echeances/{n}", []string{manager, admin}, 303, func(t *testing.T) request {
			r := e.do(t, "POST", fmt.Sprintf("/api/v1/relocations/%d/questions", relA), jsonOf(map[string]string{"text": mxQuestion(next())}))
			expect(t, r, 200)
			q, _ := r.json["question"].(map[string]any)
			return request{path: fmt.Sprintf("/projets/%d/questions/%d/echeances/0", relA, idOf(t, q)), fields: url.Values{}}
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
		// Sites, criteria, scores and AHP on relocation A (helpers mx… in
		// this file). The AHP rows come first: they compare every criterion of A,
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
		// Partner bodies of relocation A.
		{"POST /api/v1/relocations/{id}/partners", []string{manager, admin}, 201, func(t *testing.T) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/partners", relA), body: partnerBody(map[string]any{"name": fmt.Sprintf("Partenaire %d", next())})}
		}},
		{"PATCH /api/v1/partners/{id}", []string{manager, admin}, 200, func(t *testing.T) request {
			pid := e.mxPartner(t)
			return request{method: "PATCH", path: fmt.Sprintf("/api/v1/partners/%d", pid), body: fmt.Sprintf(`{"weight":%d}`, 1+next()),
				headers: []string{"If-Match", etag(e.version(t, "partners", pid))}}
		}},
		{"DELETE /api/v1/partners/{id}", []string{manager, admin}, 204, func(t *testing.T) request {
			return request{method: "DELETE", path: fmt.Sprintf("/api/v1/partners/%d", e.mxFreshPartner(t)), headers: []string{"If-Match", etag(1)}}
		}},
		{"POST /projets/{id}/partenaires", []string{manager, admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/projets/%d/partenaires", relA), fields: url.Values{"name": {fmt.Sprintf("Partenaire %d", next())},
				"lat": {"48,85"}, "lon": {"2,43"}, "weight": {"1"}}}
		}},
		{"POST /partenaires/{id}", []string{manager, admin}, 303, func(t *testing.T) request {
			pid := e.mxPartner(t)
			return request{path: fmt.Sprintf("/partenaires/%d", pid), fields: url.Values{"name": {fmt.Sprintf("Partenaire %d", next())},
				"lat": {"48,85"}, "lon": {"2,43"}, "weight": {"1"}, "version": {fmt.Sprint(e.version(t, "partners", pid))}}}
		}},
		{"POST /partenaires/{id}/supprimer", []string{manager, admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/partenaires/%d/supprimer", e.mxFreshPartner(t)), fields: url.Values{"version": {"1"}}}
		}},
		{"POST /projets/{id}/sites", []string{manager, admin}, 303, func(t *testing.T) request {
			return request{path: fmt.Sprintf("/projets/%d/sites", relA), fields: url.Values{"name": {fmt.Sprintf("Site %d", next())}, "kind": {"lease"}, "status": {"candidate"}}}
		}},
		{"POST /sites/{id}", []string{manager, admin}, 303, func(t *testing.T) request {
			sid := e.mxSite(t)
			return request{path: fmt.Sprintf("/sites/%d", sid), fields: url.Values{"name": {fmt.Sprintf("Site %d", next())}, "kind": {"lease"},
				"status": {"candidate"}, "version": {fmt.Sprint(e.version(t, "sites", sid))}}}
		}},
		{"POST /projets/{id}/notes", []string{manager, admin}, 303, func(t *testing.T) request {
			cid := idOf(t, e.mxCriterion(t))
			sid := e.mxFreshSite(t)
			return request{path: fmt.Sprintf("/projets/%d/notes", e.relA),
				fields: url.Values{fmt.Sprintf("value_%d_%d", sid, cid): {"5"}, fmt.Sprintf("justification_%d_%d", sid, cid): {"visite"},
					fmt.Sprintf("version_%d_%d", sid, cid): {"nouvelle"}}}
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

// mxQuestion is the page of written question n° number, answered, announcing a date.
func mxQuestion(number int) string {
	return fmt.Sprintf("ASSEMBLÉE NATIONALE 16e législature Question écrite n° %d Question publiée au JO le : 04/10/2022 page : 12 "+
		"Réponse publiée au JO le : 07/03/2023 page : 34 Texte de la réponse Les travaux s'achèveront fin 2030.", number)
}

// readRule is a page and the accounts that may open it.
type readRule struct {
	path    string
	allowed []string
}

// checkReads sends every GET as every actor. API paths answer 401 with a Bearer
// challenge to the anonymous visitor, and 200 to every account, by token and by
// session cookie; pages send the visitor to log in (and back), open to the allowed
// accounts and answer 403 to the others, always as sound French HTML.
func checkReads(t *testing.T, e *authzEnv, api []string, pages []readRule) {
	t.Helper()
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
			allowed := slices.Contains(p.allowed, a.name)
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
		fmt.Sprintf("/api/v1/relocations/%d/managers", rel), fmt.Sprintf("/api/v1/milestones/%d", mid),
		fmt.Sprintf("/api/v1/relocations/%d/ranking/acceptability?samples=100", rel),
		fmt.Sprintf("/api/v1/relocations/%d/partners", rel)}
	all := []string{viewer, otherManager, manager, admin}
	pages := []readRule{
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
		{"/admin/journal", []string{admin}},
		{"/admin/journal?page=2", []string{admin}},
	}
	before := e.snapshot(t)
	checkReads(t, e, api, pages)
	for _, a := range e.actors {
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
	e.unchanged(t, before, "reading wrote")
	// After the login, the visitor goes back to the page asked for; never off the site.
	r := e.get(t, session{}, fmt.Sprintf("/projets/%d", rel))
	next := seeOther(t, r, `/login\?next=(.*)`)[1]
	login := apiDo(t, e.app, "GET", "/login?next="+next, "", "Accept", "text/html")
	if got := inputValue(t, login.raw, "next"); got != fmt.Sprintf("/projets/%d", rel) {
		t.Errorf("login form next = %q, want the page asked for", got)
	}
	for _, n := range []string{fmt.Sprintf("/projets/%d", rel), "//evil.example/", "https://evil.example/", `/\evil.example`} {
		ck := cookieNamed(login, "tracker_csrf").Value
		f := url.Values{"email": {adminEmail}, "password": {testPassword}, "_csrf": {inputValue(t, login.raw, "_csrf")}, "next": {n}}
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
