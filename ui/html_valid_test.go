package ui_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ministere/tracker/criteria"
)

// vnuJar is the W3C Nu HTML Checker that `make vnu` vendors (git-ignored: 30 MB).
const vnuJar = "testdata/vnu/vnu.jar"

// vnuMessage is one message of the checker's JSON report.
type vnuMessage struct {
	Type     string `json:"type"` // error, info (with subType warning)
	URL      string `json:"url"`
	Line     int    `json:"lastLine"`
	Message  string `json:"message"`
	Extract  string `json:"extract"`
	SubType  string `json:"subType"`
	FirstCol int    `json:"firstColumn"`
}

// TestHTMLValid holds that every page the tracker serves — to a
// visitor, a manager, a viewer and an administrator, with refused forms too — passes
// the W3C Nu HTML Checker with no error. The pages are those of the browser crawl,
// fetched in-process; the checker (Java) runs once over all of them. The test fails,
// rather than skips, without the checker or Java: `make vnu` installs both.
func TestHTMLValid(t *testing.T) {
	t.Parallel()
	start := time.Now()
	java, err := exec.LookPath("java")
	if err != nil {
		t.Fatal("java not found: `make vnu` installs Debian's default-jre-headless")
	}
	if _, err := os.Stat(vnuJar); err != nil {
		t.Fatalf("the HTML checker is not vendored (make vnu): %v", err)
	}
	e := newAPIEnv(t)
	fx := newCrawlFixture(t, criteria.NewRelocationStore(e.db))
	manager := e.login(t, crawlManagerEmail, testPassword)
	viewer := e.login(t, crawlViewerEmail, testPassword)
	admin := e.login(t, adminEmail, testPassword)

	rel := fmt.Sprintf("/projets/%d", fx.relocation)
	type fetched struct {
		name, body string
		status     int
	}
	var pages []fetched
	get := func(s session, who, path string, status int) {
		t.Helper()
		r := e.get(t, s, path)
		if r.StatusCode != status {
			t.Errorf("%s GET %s: %d, want %d", who, path, r.StatusCode, status)
		}
		pages = append(pages, fetched{name: who + " GET " + path, body: r.raw, status: r.StatusCode})
	}
	post := func(s session, who, path string, fields url.Values, status int) {
		t.Helper()
		r := e.form(t, s, path, fields)
		if r.StatusCode != status {
			t.Errorf("%s POST %s: %d, want %d", who, path, r.StatusCode, status)
		}
		pages = append(pages, fetched{name: who + " POST " + path, body: r.raw, status: r.StatusCode})
	}
	for _, p := range []struct {
		path   string
		status int
	}{
		{"/login", 200}, {"/r", 200}, {"/r/" + fx.slug, 200}, {"/r/inconnue", 404},
		{"/accessibilite", 200}, {"/mentions-legales", 200}, {"/donnees-personnelles", 200},
	} {
		get(session{}, "visiteur", p.path, p.status)
	}
	bad := e.postLogin(t, adminEmail, "pas le bon mot de passe")
	pages = append(pages, fetched{name: "visiteur POST /login (refusé)", body: bad.raw, status: bad.StatusCode})
	for _, path := range []string{
		"/", "/?q=cle&retard=1&mes=1", "/?q=introuvable", "/projets/nouveau", rel, rel + "/modifier", rel + "/jalons/nouveau",
		fmt.Sprintf("/jalons/%d/modifier", fx.milestone), fmt.Sprintf("/jalons/%d/supprimer", fx.milestone),
		fmt.Sprintf("/criteres/%d/supprimer", fx.criterion), rel + "/agents/supprimer", "/profil",
		rel + "/sites/nouveau", fmt.Sprintf("/sites/%d", fx.site), fmt.Sprintf("/sites/%d/modifier", fx.site),
		rel + "/criteres", fmt.Sprintf("/criteres/%d/modifier", fx.criterion), rel + "/notes", rel + "/classement",
		rel + "/ahp", rel + "/note-de-decision", rel + "/trajets", "/r/" + fx.slug, rel + "/questions",
	} {
		get(manager, "responsable", path, 200)
	}
	post(manager, "responsable", rel+"/jalons", url.Values{"kind": {"other"}, "title": {"Bail signé"},
		"source": {"Compte rendu du comité"}, "planned": {"bientôt"}}, 422)
	post(manager, "responsable", rel+"/criteres", url.Values{"name": {"Coût"}, "weight": {"10"},
		"direction": {"lower_is_better"}, "scale_min": {"20"}, "scale_max": {"10"}, "source": {"manual"}}, 422)
	for _, path := range []string{"/", rel, fmt.Sprintf("/sites/%d", fx.site), rel + "/criteres", rel + "/notes",
		rel + "/classement", rel + "/ahp", rel + "/note-de-decision", rel + "/trajets", "/profil"} {
		get(viewer, "lecteur", path, 200)
	}
	get(viewer, "lecteur", rel+"/modifier", 403)
	for _, path := range []string{"/", "/admin/comptes", fmt.Sprintf("/admin/comptes/%d/modifier", fx.managerID), "/admin/journal"} {
		get(admin, "administrateur", path, 200)
	}
	post(admin, "administrateur", "/admin/comptes", url.Values{"email": {"nouveau@exemple.gouv.fr"}, "name": {"Nouvel agent"},
		"role": {"viewer"}, "password": {"court"}}, 422)

	// One file per page, named by its number; the checker runs once over them all.
	dir := t.TempDir()
	files := make([]string, len(pages))
	for i, p := range pages {
		if !strings.Contains(p.body, "<!DOCTYPE html>") && !strings.Contains(p.body, "<!doctype html>") {
			t.Errorf("%s: not an HTML page (%d):\n%.300s", p.name, p.status, p.body)
		}
		files[i] = filepath.Join(dir, fmt.Sprintf("page-%03d.html", i))
		if err := os.WriteFile(files[i], []byte(p.body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	fetchedIn := time.Since(start)
	cmd := exec.Command(java, append([]string{"-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", vnuJar, "--errors-only", "--no-langdetect", "--format", "json", "--exit-zero-always"}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("run the HTML checker: %v\n%s", err, stderr.String())
	}
	var report struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(stderr.Bytes(), &report); err != nil {
		t.Fatalf("read the HTML checker's report: %v\n%.2000s", err, stderr.String())
	}
	byFile := map[string]string{}
	for i, f := range files {
		byFile["file:"+f] = pages[i].name
	}
	errs := 0
	for _, m := range report.Messages {
		if m.Type != "error" && m.Type != "non-document-error" {
			continue
		}
		errs++
		t.Errorf("%s, line %d: %s\n\t%s", or(byFile[m.URL], m.URL), m.Line, m.Message, strings.TrimSpace(m.Extract))
	}
	t.Logf("HTML checker: %d pages, %d errors; pages fetched in %s, checked in %s", len(pages), errs,
		fetchedIn.Round(time.Millisecond), (time.Since(start) - fetchedIn).Round(time.Millisecond))
}

// or returns a, or b when a is empty.
func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
