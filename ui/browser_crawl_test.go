package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The machinery of the browser checks (browser_checks_test.go): the browser, a role's
// tab with its console, and the checks run on each page.

// checkStatementReports checks that /accessibilite names the axe-core version and the
// rule tags the crawl ran.
func checkStatementReports(t *testing.T, base string, axe axeSource) {
	t.Helper()
	resp, err := http.Get(base + "/accessibilite")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(string(body))
	for _, want := range append([]string{"axe-core " + axe.version}, axeTags...) {
		if !strings.Contains(page, want) {
			t.Errorf("/accessibilite does not report the browser checks' %q", want)
		}
	}
}

// axeSource is the vendored axe-core and its version.
type axeSource struct{ js, version string }

// readAxe reads the axe-core that `make axe` vendored; the test fails without it.
func readAxe(t *testing.T) axeSource {
	t.Helper()
	js, err := os.ReadFile("testdata/axe/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core is not vendored (make axe): %v", err)
	}
	v, err := os.ReadFile("testdata/axe/VERSION")
	if err != nil {
		t.Fatalf("axe-core's VERSION (make axe): %v", err)
	}
	return axeSource{js: string(js), version: strings.TrimSpace(string(v))}
}

// newCrawlBrowser starts the one headless Chromium of the crawl. It lives at most five
// minutes: a hung page fails the test rather than go test's whole run.
func newCrawlBrowser(t *testing.T) context.Context {
	t.Helper()
	ctx := startChromium(t, 1280, 800, 5*time.Minute)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// crawlTab is one role's tab, in a browser context of its own (its own cookies), with
// the console errors it collected.
type crawlTab struct {
	ctx  context.Context
	base string
	axe  axeSource

	mu     sync.Mutex
	errors []string
	url    string // of the document being checked
}

// document returns the URL of the document being checked (listen's caller holds no lock).
func (c *crawlTab) document() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.url
}

// expect sets the URL of the document being checked.
func (c *crawlTab) expect(url string) {
	c.mu.Lock()
	c.url = url
	c.mu.Unlock()
}

func newCrawlTab(t *testing.T, root context.Context, base string, axe axeSource) *crawlTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	c := &crawlTab{ctx: ctx, base: base, axe: axe}
	// The Log domain reports what the console shows besides scripts' own calls: refused
	// resources, Content-Security-Policy violations, network errors.
	// axe-core is added to every document the tab opens, before the page's scripts
	// (DevTools' scripts are not bound by the page's Content-Security-Policy).
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, cdplog.Enable, cdp.Empty{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: axe.js})
		return err
	})); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	if err := chromedp.Listen(ctx, c.listen); err != nil {
		t.Fatalf("listen to the console: %v", err)
	}
	return c
}

// listen keeps the console's errors: console.error and console.assert calls, uncaught
// exceptions, and the browser's own error entries.
func (c *crawlTab) listen(ev any) {
	var msg string
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type != runtime.ConsoleAPICalledTypeError && e.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var parts []string
		for _, a := range e.Args {
			if len(a.Value) > 0 {
				parts = append(parts, string(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		msg = "console." + string(e.Type) + ": " + strings.Join(parts, " ")
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg = "uncaught exception: " + d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		msg += fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber+1)
	case *cdplog.EventEntryAdded:
		if e.Entry.Level != cdplog.EntryLevelError {
			return
		}
		if e.Entry.Source == cdplog.EntrySourceNetwork && withoutQuery(e.Entry.URL) == withoutQuery(c.document()) {
			return // the document's own status (a 404 page, a refused form): checked by check
		}
		msg = string(e.Entry.Source) + ": " + e.Entry.Text
		if e.Entry.URL != "" {
			msg += " (" + e.Entry.URL + ")"
		}
	default:
		return
	}
	c.mu.Lock()
	c.errors = append(c.errors, msg)
	c.mu.Unlock()
}

// withoutQuery returns u without its query string (a document reached through
// redirects carries one the crawl cannot know, such as a ProConnect callback's code).
func withoutQuery(u string) string {
	before, _, _ := strings.Cut(u, "?")
	return before
}

// takeErrors returns the console errors collected since the last call.
func (c *crawlTab) takeErrors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.errors
	c.errors = nil
	return out
}

// login signs in through the login form.
func (c *crawlTab) login(t *testing.T, email string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(c.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), testPassword),
	); err != nil {
		t.Fatalf("sign in as %s: %v", email, err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.Search(`//main//button[normalize-space()="Se connecter"]`))); err != nil {
		t.Fatalf("sign in as %s: %v", email, err)
	}
	// The answer is a 303 to the portfolio: wait for it to be drawn.
	portfolio := `location.href === ` + jsString(c.base+"/") + ` && document.readyState === "complete"`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](portfolio, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Logf("sign in as %s: waiting for the portfolio: %v", email, err)
	}
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || loc != c.base+"/" {
		main, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
		t.Fatalf("sign in as %s: the browser is at %q (%v), want the portfolio; it shows:\n%s", email, loc, err, main)
	}
	c.takeErrors() // the login page is checked on its own, by the visitor
}

// axeResult is what the crawl reads of axe.run.
type axeResult struct {
	Version    string         `json:"version"`
	Rules      int            `json:"rules"`
	Passes     int            `json:"passes"`
	Violations []axeViolation `json:"violations"`
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// check loads page p as role on a phone's width and runs every check on it, then
// again on a desktop's width (the same document, resized: the DSFR's script follows),
// then checks that it does not scroll sideways at 320 px either, SPEC's narrowest width.
func (c *crawlTab) check(t *testing.T, role crawlRole, p crawlPage) {
	t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, 45*time.Second)
	defer cancel()
	fail := func(step string, err error) {
		t.Helper()
		t.Fatalf("%s, %s: %s: %v", role.name, p, step, err)
	}
	c.takeErrors()
	c.expect(c.base + p.path)
	if p.lands != "" {
		c.expect(c.base + p.lands)
	}
	first := crawlWidths[0]
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(first.w, first.h)); err != nil {
		fail("set the width", err)
	}
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(c.base+p.path))
	if err != nil {
		fail("load", err)
	}
	if s := p.submit; s != nil {
		for _, v := range s.values {
			set := `(() => { const el = document.querySelector(` + jsString(v[0]) + `); el.value = ` + jsString(v[1]) + `; return el.value; })()`
			if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](set)); err != nil || got != v[1] {
				fail("fill "+v[0], fmt.Errorf("value %q: %v", got, err))
			}
		}
		for _, f := range s.files {
			if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(f[0]), []string{f[1]})); err != nil {
				fail("attach "+f[0], err)
			}
		}
		action, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.evaluate(`+jsString(s.button)+
			`, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue.form.action`))
		if err != nil {
			fail("find the form", err)
		}
		c.expect(action)
		if resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.Search(s.button))); err != nil {
			fail("submit", err)
		}
	}
	want := p.status
	if want == 0 {
		want = 200
	}
	if resp == nil || resp.Status != int64(want) {
		status := int64(0)
		if resp != nil {
			status = resp.Status
		}
		t.Errorf("%s, %s: status %d, want %d", role.name, p, status, want)
	}
	// The DSFR's script marks the root once it runs.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.documentElement.getAttribute("data-fr-js") === "true"`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		fail("wait for the DSFR's script", err)
	}
	for i, w := range crawlWidths {
		if i > 0 {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(w.w, w.h)); err != nil {
				fail("set the width", err)
			}
		}
		c.checkAt(t, ctx, role, p, w.w)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
		fail("set the width", err)
	}
	c.settle(t, ctx, fmt.Sprintf("%s, %s at 320 px", role.name, p))
	c.checkWidth(t, ctx, fmt.Sprintf("%s, %s at 320 px", role.name, p))
	for _, e := range c.takeErrors() {
		t.Errorf("%s, %s at 320 px: console error: %s", role.name, p, e)
	}
}

// settle waits two frames: the page has drawn what its width and its scripts make it.
func (c *crawlTab) settle(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))`,
		chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("%s: wait for a frame: %v", what, err)
	}
}

// checkAt runs the checks on the page as drawn at width: its h1, axe-core, sideways
// scrolling, the header's menu on narrow screens, and the console.
func (c *crawlTab) checkAt(t *testing.T, ctx context.Context, role crawlRole, p crawlPage, width int64) {
	t.Helper()
	what := fmt.Sprintf("%s, %s at %d px", role.name, p, width)
	c.settle(t, ctx, what)
	h1, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("main h1") || {textContent: ""}).textContent.replace(/\s+/g, " ").trim()`))
	if err != nil {
		t.Fatalf("%s: read the h1: %v", what, err)
	}
	if h1 == "" || !strings.HasPrefix(h1, p.h1) {
		t.Errorf("%s: h1 %q, want one starting with %q", what, h1, p.h1)
	}
	res := c.runAxe(t, ctx, what)
	for _, v := range res.Violations {
		t.Errorf("%s: axe %s (%s): %s\n\t%s", what, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
	c.checkWidth(t, ctx, what)
	if width < 992 { // the DSFR's breakpoint of the header's menu
		c.checkMobileMenu(t, ctx, what, role.email != "")
	}
	for _, e := range c.takeErrors() {
		t.Errorf("%s: console error: %s", what, e)
	}
}

// checkWidth fails when the page scrolls sideways, naming what sticks out.
func (c *crawlTab) checkWidth(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	size, err := chromedp.Run(ctx, chromedp.Evaluate[[2]int](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
	if err != nil {
		t.Fatalf("%s: measure the width: %v", what, err)
	}
	if size[0] > size[1] {
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](widestElements))
		t.Errorf("%s: the page scrolls sideways: %d px wide in a %d px viewport; overflowing:\n\t%s", what, size[0], size[1], strings.Join(wide, "\n\t"))
	}
}

// widestElements lists the elements that stick out of the viewport on the right.
const widestElements = `(() => {
	const w = document.documentElement.clientWidth, out = [];
	for (const el of document.querySelectorAll("body *")) {
		const r = el.getBoundingClientRect();
		if (r.right > w + 0.5 && r.width > 0) {
			let name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.classList.length ? "." + [...el.classList].join(".") : "");
			out.push(name + " right=" + Math.round(r.right));
		}
		if (out.length >= 8) break;
	}
	return out;
})()`

// runAxe runs axe-core's rules of axeTags on the page.
func (c *crawlTab) runAxe(t *testing.T, ctx context.Context, what string) axeResult {
	t.Helper()
	tags, _ := json.Marshal(axeTags)
	js := `(async () => {
		const tags = ` + string(tags) + `;
		const r = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
		return {
			version: axe.version,
			rules: axe.getRules(tags).length,
			passes: r.passes.length,
			violations: r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
				nodes: v.nodes.slice(0, 6).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " "))})),
		};
	})()`
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe-core: %v", what, err)
	}
	// A check that cannot fail is no check: axe must be the vendored one, with its rules.
	if res.Version != c.axe.version || res.Rules < 50 || res.Passes == 0 {
		t.Fatalf("%s: axe-core %s ran %d rules, %d passed: want the vendored %s with its WCAG and RGAA rules",
			what, res.Version, res.Rules, res.Passes, c.axe.version)
	}
	return res
}

// menuButton is the XPath of a button or link of the header's menu (the DSFR's
// fr-header__menu, the burger's modal) by its text.
func menuButton(text string) string {
	return `//*[contains(concat(" ", normalize-space(@class), " "), " fr-header__menu ")]//*[self::a or self::button][normalize-space()="` + text + `"]`
}

// menuItemShown is a JavaScript predicate: the menu's item (XPath) is drawn, visible
// (CSS visibility and opacity), inside the viewport and not covered at its centre, so
// that a tap reaches it.
func menuItemShown(xpath string) string {
	return `(() => {
		const el = document.evaluate(` + jsString(xpath) + `, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
		if (!el || !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
		const r = el.getBoundingClientRect();
		if (r.width === 0 || r.left < 0 || r.right > document.documentElement.clientWidth || r.top < 0 || r.bottom > window.innerHeight) return false;
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return hit !== null && (hit === el || el.contains(hit));
	})()`
}

// checkMobileMenu opens the header's menu with its burger button, checks it shows
// « Se déconnecter » (« Se connecter » for a visitor) where a tap reaches it, and
// closes it with its « Fermer » button.
func (c *crawlTab) checkMobileMenu(t *testing.T, ctx context.Context, what string, signedIn bool) {
	t.Helper()
	label := "Se connecter"
	if signedIn {
		label = "Se déconnecter"
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	shown := menuItemShown(menuButton(label))
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("header .fr-header__navbar .fr-btn--menu"))); err != nil {
		t.Errorf("%s: tap the header's menu button: %v", what, err)
		return
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](shown, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("%s: the open header menu does not show « %s » where a tap reaches it: %v", what, label, err)
		return
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".fr-header__menu .fr-btn--close"))); err != nil {
		t.Errorf("%s: tap the menu's « Fermer »: %v", what, err)
		return
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("!"+shown, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("%s: the header's menu does not close: %v", what, err)
	}
}

// logoutFromMobileMenu signs out through the narrow screen's menu, as a phone user does.
func (c *crawlTab) logoutFromMobileMenu(t *testing.T, role crawlRole) {
	t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, 45*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(c.base+"/profil"),
		chromedp.Click(chromedp.CSS("header .fr-header__navbar .fr-btn--menu")),
	); err != nil {
		t.Fatalf("%s: open the menu to sign out: %v", role.name, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](menuItemShown(menuButton("Se déconnecter")), chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("%s: the menu does not show « Se déconnecter »: %v", role.name, err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.Search(menuButton("Se déconnecter")))); err != nil {
		t.Fatalf("%s: sign out from the menu: %v", role.name, err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(c.base+"/profil")); err != nil {
		t.Fatalf("%s: reload the profile: %v", role.name, err)
	}
	if h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1"))); err != nil || h1 != "Connexion" {
		t.Errorf("%s: after « Se déconnecter » in the menu the profile shows %q (%v), want the login page", role.name, h1, err)
	}
	c.takeErrors()
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
