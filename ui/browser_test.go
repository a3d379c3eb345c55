package ui_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui"
	"github.com/ministere/tracker/ui/account"
	"github.com/ministere/tracker/ui/proconnect"
)

// chromiumPath finds Debian's Chromium (make test installs it). The browser test fails,
// rather than skips, without it: a skipped check must not read as a pass.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("Chromium not found: install Debian's chromium package (make test does) or set CHROMIUM")
	return ""
}

// serveForBrowser starts the real app on a free loopback port and returns its URL,
// with an administrator adminEmail whose password is testPassword.
func serveForBrowser(t *testing.T) (string, *relocation.Store) {
	t.Helper()
	db := dbtest.Open(t)
	if _, err := account.NewStore(db, time.Now, testBcryptCost).CreateUser(context.Background(), testActor, account.NewUser{
		Email: adminEmail, Name: "Administratrice de test", Role: account.RoleAdmin, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// ProConnect is on, with a provider of its own: the login page shows its button.
	base := "http://" + ln.Addr().String()
	provider := startOP(t, nil, base, map[string]string{"agent": "sans-compte@exemple.gouv.fr"})
	provider.signInAs("agent") // whose address has no account: the crawl's refusal page
	app, err := ui.New(ui.Config{BcryptCost: testBcryptCost, RequestTimeout: time.Minute, ProConnect: proconnect.Config{
		Issuer: provider.issuer, ClientID: opClientID, ClientSecret: opClientSecret, BaseURL: base}},
		db, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	t.Cleanup(func() { app.ShutdownWithTimeout(5 * time.Second) })
	return base, criteria.NewRelocationStore(db)
}

// newBrowser starts headless Chromium with the flags this closed network needs.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return startChromium(t, 1280, 1600, 60*time.Second)
}

// startChromium starts headless Chromium, its window width × height, with the flags
// this closed network needs; it lives at most life (a hung page fails its test rather
// than go test's whole run).
func startChromium(t *testing.T, width, height int, life time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, life)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// TestBrowserCreateMilestone opens the portfolio, follows the relocation, adds a
// milestone through the form (typing a French date) and finds it on the relocation page.
func TestBrowserCreateMilestone(t *testing.T) {
	base, store := serveForBrowser(t)
	r := relocation.NewRelocation()
	r.Slug, r.Name, r.Body, r.Origin, r.Destination, r.Headcount = "cleiss-test", "Relocalisation du CLEISS", "CLEISS", "Paris", "Montreuil", 140
	r.TargetMove, _ = relocation.ParseFuzzyDate("2022-early")
	if _, err := store.CreateRelocation(context.Background(), relocation.System("test"), relocation.Given(r)); err != nil {
		t.Fatal(err)
	}

	ctx := newBrowser(t)
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("browser, %s: %v", step, err)
		}
	}
	// An anonymous visitor is sent to the login page, then back to the portfolio.
	must("open the portfolio", chromedp.Do(ctx, chromedp.Navigate(base+"/")))
	must("sign in", chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), adminEmail),
		chromedp.SendKeys(chromedp.CSS("#f-password"), testPassword),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Se connecter"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="Portefeuille des relocalisations"]`)),
	))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must("read the location", err)
	if loc != base+"/" {
		t.Errorf("after the login the browser is at %s, want %s/", loc, base)
	}
	header, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("header")))
	must("read the header", err)
	if !strings.Contains(header, "Administratrice de test") || !strings.Contains(header, "Se déconnecter") {
		t.Errorf("the header does not show the signed-in account:\n%s", header)
	}
	portfolio, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("main")))
	must("read the portfolio", err)
	lang, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	must("read lang", err)
	must("fill the milestone form", chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Relocalisation du CLEISS"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="Relocalisation du CLEISS"]`)),
		chromedp.Click(chromedp.Search(`//a[contains(., "Ajouter un jalon")]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-title")),
		chromedp.SetValue(chromedp.CSS("#f-kind"), "letter_of_intent"),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Signature de la lettre d’intention"),
		chromedp.SendKeys(chromedp.CSS("#f-planned"), "juin 2021"),
		chromedp.SendKeys(chromedp.CSS("#f-source"), "Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892"),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Enregistrer"]`)),
		chromedp.WaitVisible(chromedp.CSS("#jalons")),
	))
	page, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS("main")))
	must("read the relocation page", err)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	must("screenshot", err)
	if lang.Value != "fr" {
		t.Errorf(`<html lang=%q>, want "fr"`, lang.Value)
	}
	for _, want := range []string{"Relocalisation du CLEISS", "début 2022", "Annoncée"} {
		if !strings.Contains(portfolio, want) {
			t.Errorf("portfolio lacks %q:\n%s", want, portfolio)
		}
	}
	for _, want := range []string{"Signature de la lettre d’intention", "juin 2021", "Réponse à la QE n° 25585", "Lettre d’intention"} {
		if !strings.Contains(page, want) {
			t.Errorf("relocation page lacks %q:\n%s", want, page)
		}
	}
	if dir := os.Getenv("SCREENSHOT_DIR"); dir != "" {
		os.WriteFile(filepath.Join(dir, "relocation.png"), shot, 0o644)
	}
}
