package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// noticeAfter checks that a form's answer is a 303 to a location matching pattern that
// carries the notice cookie with code (HttpOnly, SameSite=Lax, Path=/, short-lived),
// then that the page it leads to shows the notice as a DSFR status message in the
// layout, clears the cookie, and that the page after shows it no more.
func noticeAfter(t *testing.T, e *apiEnv, s session, r apiResp, pattern, code, message string) {
	t.Helper()
	to := seeOther(t, r, pattern)[0]
	ck := cookieNamed(r, "tracker_notice")
	if ck == nil || ck.Value != code {
		t.Fatalf("%s: notice cookie %v, want code %q", r.Request.URL, ck, code)
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge <= 0 || ck.MaxAge > 300 {
		t.Errorf("notice cookie flags: %+v", ck)
	}
	with := session{cookie: strings.TrimPrefix(s.cookie+"; tracker_notice="+ck.Value, "; ")}
	page := e.get(t, with, strings.SplitN(to, "#", 2)[0])
	expect(t, page, http.StatusOK)
	notice := regexp.MustCompile(`<div class="fr-alert fr-alert--success fr-alert--sm[^"]*" role="status"[^>]*><p>([^<]*)</p></div>`).FindStringSubmatch(page.raw)
	if notice == nil || !strings.Contains(page.raw[:strings.Index(page.raw, "<h1")], notice[0]) {
		t.Fatalf("GET %s after %s: no success notice above the content", to, code)
	}
	contains(t, "notice "+code, notice[1], message)
	cleared := cookieNamed(page, "tracker_notice")
	if cleared == nil || cleared.MaxAge >= 0 && cleared.Value != "" {
		t.Errorf("GET %s does not clear the notice cookie: %v", to, page.Header.Values("Set-Cookie"))
	}
	if again := e.get(t, s, strings.SplitN(to, "#", 2)[0]); strings.Contains(again.raw, `role="status"`) {
		t.Errorf("GET %s shows the notice a second time", to)
	}
}

// TestNoticeAfterEveryChange: every form that changes something announces it on the
// next page, with a message chosen by a code the server set, never by the request.
func TestNoticeAfterEveryChange(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	e, s := c.apiEnv, c.session

	r := c.submit(t, "/projets", relocationFields(map[string]string{"slug": "avis"}))
	noticeAfter(t, e, s, r, `/projets/\d+`, "relocation-created", "Projet créé.")
	var rid int64
	fmt.Sscan(strings.TrimPrefix(r.Header.Get("Location"), "/projets/"), &rid)

	edit := editFormFields(t, c.page(t, fmt.Sprintf("/projets/%d/modifier", rid)).raw)
	edit.Set("headcount", "150")
	noticeAfter(t, e, s, c.submit(t, fmt.Sprintf("/projets/%d", rid), edit), `/projets/\d+`, "relocation-saved", "Modifications du projet enregistrées.")

	noticeAfter(t, e, s, c.submit(t, fmt.Sprintf("/projets/%d/jalons", rid), milestoneFields(nil)), `/projets/\d+#jalons`,
		"milestone-created", "Jalon ajouté.")
	mid := c.createMilestoneForm(t, rid, nil)
	noticeAfter(t, e, s, c.submit(t, fmt.Sprintf("/jalons/%d", mid), milestoneFields(map[string]string{"version": "1", "title": "Autre"})),
		`/projets/\d+#jalons`, "milestone-saved", "Modifications du jalon enregistrées.")

	site := url.Values{"name": {"Bas Montreuil"}, "kind": {"lease"}, "status": {"candidate"}}
	noticeAfter(t, e, s, c.submit(t, fmt.Sprintf("/projets/%d/sites", rid), site), `/sites/\d+`, "site-created", "Site ajouté.")

	crit := url.Values{"name": {"Accès PMR"}, "weight": {"10"}, "direction": {"higher_is_better"}, "scale_min": {"0"},
		"scale_max": {"10"}, "source": {"manual"}, "active": {"on"}}
	noticeAfter(t, e, s, c.submit(t, fmt.Sprintf("/projets/%d/criteres", rid), crit), `/projets/\d+/criteres`,
		"criterion-created", "Critère ajouté.")

	acct := url.Values{"email": {"nouveau@exemple.gouv.fr"}, "name": {"Nouvelle Personne"}, "role": {"viewer"}, "password": {testPassword}}
	noticeAfter(t, e, s, c.submit(t, "/admin/comptes", acct), `/admin/comptes`, "account-created", "Compte créé.")

	// A code the server does not know shows nothing: no text travels in the cookie.
	page := e.get(t, session{cookie: s.cookie + "; tracker_notice=%3Cscript%3Ealert(1)%3C%2Fscript%3E"}, "/")
	if strings.Contains(page.raw, `role="status"`) || strings.Contains(page.raw, "alert(1)") {
		t.Errorf("an unknown notice code is shown")
	}
}

// TestNoticeAfterLogout: the login page says the user is signed out.
func TestNoticeAfterLogout(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	s := e.login(t, adminEmail, testPassword)
	noticeAfter(t, e, session{}, e.form(t, s, "/logout", url.Values{}), `/login`, "logged-out", "Vous êtes déconnecté.")
}
