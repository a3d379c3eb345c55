package ui_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// The public answers in the property test (journal_property_test.go): the list of public
// relocations, and each relocation's page, news feed and calendar, read as a visitor (the kept answer) and as an account
// (drawn afresh, a preview while the relocation is internal); what a visitor is sent is
// what an account is drawn, but for the page's header. Their ETags are the
// relocation's public stamp, today's date (pages; the clock is fixed) and who views:
// when a public body changed, its ETag must have changed, or a browser holding the old
// one is told 304 and keeps a stale page; after a refusal, every answer is byte-identical.
// They are read at every step, so that a refusal is checked against the answers just
// before it: the 12 requests a step took about a quarter of the test's time (2.4 s of
// 10 s, on a loaded 2-core machine). Should that grow, read them every few steps and
// around refusals only.

// publicRead is one public answer as read.
type publicRead struct {
	status int
	etag   string
	body   string
}

// publicPaths are the public answers of a relocation, after /r/{slug}.
var publicPaths = []string{"", "/feed.atom", "/calendar.ics"}

// observePublic reads the public answers of both relocations into o, and returns where
// the visitors' kept answer is not what is drawn afresh.
func (w *propertyWorld) observePublic(t *testing.T, o observation) []string {
	t.Helper()
	var problems []string
	for _, slug := range w.slugs {
		for _, p := range publicPaths {
			path := "/r/" + slug + p
			v := apiDo(t, w.app, "GET", path, "")
			a := w.page(t, path)
			for _, r := range []struct {
				viewer string
				resp   apiResp
			}{{"visitor", v}, {"account", a}} {
				if r.resp.StatusCode >= 500 || r.resp.StatusCode != 200 && r.resp.StatusCode != 404 {
					t.Fatalf("GET %s as %s: %s", path, r.viewer, r.resp)
				}
				o.public[path+" as "+r.viewer] = publicRead{status: r.resp.StatusCode, etag: r.resp.Header.Get("ETag"), body: r.resp.raw}
			}
			if v.StatusCode == 200 && (a.StatusCode != 200 || publicCore(v.raw) != publicCore(a.raw)) {
				problems = append(problems, fmt.Sprintf("GET %s: the visitors' kept answer is not what is drawn afresh for an account (%d):%s",
					path, a.StatusCode, firstDifference(publicCore(v.raw), publicCore(a.raw))))
			}
			if p == "" && v.StatusCode == 200 {
				w.publicSteps++
			}
		}
	}
	for _, viewer := range []string{"visitor", "account"} { // the list of public relocations
		r := apiDo(t, w.app, "GET", "/r", "")
		if viewer == "account" {
			r = w.page(t, "/r")
		}
		expect(t, r, 200)
		o.public["/r as "+viewer] = publicRead{status: r.StatusCode, etag: r.Header.Get("ETag"), body: r.raw}
	}
	return problems
}

// publicCore is what a public answer says whoever asks: a page's main content (its header
// offers a visitor to sign in, an account its profile), a feed or calendar whole.
func publicCore(body string) string {
	i, j := strings.Index(body, "<main"), strings.LastIndex(body, "</main>")
	if i < 0 || j < i {
		return body
	}
	return body[i:j]
}

// publicProblems checks the public answers around an action (quiet: it was refused, or
// must change nothing): a body that changed has a new ETag; nothing changes when quiet.
func publicProblems(before, after observation, quiet bool) []string {
	var problems []string
	keys := make([]string, 0, len(before.public))
	for k := range before.public {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b, a := before.public[k], after.public[k]
		switch {
		case quiet && (a.status != b.status || a.etag != b.etag || a.body != b.body):
			problems = append(problems, fmt.Sprintf("nothing was to change, yet the public answer %s did: %d %s → %d %s%s",
				k, b.status, b.etag, a.status, a.etag, firstDifference(b.body, a.body)))
		case a.status == 200 && b.status == 200 && a.body != b.body && a.etag == b.etag:
			problems = append(problems, fmt.Sprintf("the public answer %s changed and kept its ETag %s%s", k, a.etag, firstDifference(b.body, a.body)))
		}
	}
	return problems
}

// firstDifference shows where two bodies part, with some context; "" when equal.
func firstDifference(a, b string) string {
	if a == b {
		return ""
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-120)
	return fmt.Sprintf("\n      before …%q…\n      after  …%q…", a[from:min(len(a), i+120)], b[from:min(len(b), i+120)])
}
