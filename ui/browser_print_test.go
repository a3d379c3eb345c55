package ui_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// pdfPages counts the pages of a PDF that Chromium printed (one /Type /Page object each).
func pdfPages(pdf []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page\b[^s]`).FindAll(pdf, -1))
}

// printA4 prints the tab's page to PDF with the page's own @page size and margins.
func printA4(ctx context.Context) ([]byte, error) {
	return chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		yes := true
		res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &yes})
		if err != nil {
			return nil, err
		}
		return res.Data, nil
	})
}

// A4's printable box under the note's @page margins (15 mm each side, 16 mm top,
// 18 mm bottom), in CSS pixels (96 per inch).
const (
	a4PrintWidth  = (210 - 30) / 25.4 * 96
	a4PrintHeight = (297 - 34) / 25.4 * 96
)

// printedNote is what the test reads of the note laid out for paper.
type printedNote struct {
	Height     float64  `json:"height"` // of main's content, laid out at the printable width
	Reference  string   `json:"reference"`
	Signatures int      `json:"signatures"`
	Split      []string `json:"split"`    // numbers and units a line could split
	Numbered   bool     `json:"numbered"` // an @page rule numbers the pages
	Hidden     []string `json:"hidden"`   // the site's header, footer and buttons should be
}

// readPrintedNote lays the page out for print at A4's printable width and reads it.
const readPrintedNote = `(() => {
	const note = document.querySelector(".decision-note");
	const prose = note.cloneNode(true); // an SVG's texts never wrap: left out
	prose.querySelectorAll("svg").forEach(e => e.remove());
	const text = prose.textContent;
	const visible = sel => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length > 0).map(() => sel);
	const rules = [...document.styleSheets].flatMap(s => { try { return [...s.cssRules]; } catch (e) { return []; } });
	return {
		height: document.querySelector("main").getBoundingClientRect().bottom - document.querySelector("main").getBoundingClientRect().top,
		reference: (document.querySelector(".decision-note__reference") || {textContent: ""}).textContent.replace(/\s+/g, " ").trim(),
		signatures: document.querySelectorAll(".decision-note__signature").length,
		split: (text.match(/.{0,40}\d[ \t\n]+(%|m²|€|min\b)/g) || []),
		numbered: rules.some(r => r instanceof CSSPageRule && r.cssText.includes("counter(page)") && r.cssText.includes("counter(pages)")),
		hidden: [...visible("header.fr-header"), ...visible("footer.fr-footer"), ...visible("main .fr-btns-group"), ...visible(".fr-breadcrumb")],
	};
})()`

// TestBrowserDecisionNotePrint holds that the decision note printed to
// PDF by Chromium on A4 fills its pages with no blank one at the end (as many pages as
// its content laid out for paper needs), numbers them (« Page 1 sur 3 »), opens with a
// reference line (relocation, date, version), ends with a signature block, leaves the
// site's header, footer and buttons out, and never splits a number from its unit.
func TestBrowserDecisionNotePrint(t *testing.T) {
	base, store := serveForBrowser(t)
	fx := newCrawlFixture(t, store)
	root := newCrawlBrowser(t)
	c := newCrawlTab(t, root, base, axeSource{})
	c.login(t, crawlManagerEmail)
	ctx, cancel := context.WithTimeout(c.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/projets/%d/note-de-decision", base, fx.relocation))); err != nil {
		t.Fatal(err)
	}
	pdf, err := printA4(ctx)
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}), chromedp.EmulateViewport(int64(math.Round(a4PrintWidth)), 1000)); err != nil {
		t.Fatalf("lay out for print: %v", err)
	}
	c.settle(t, ctx, "the note laid out for print")
	note, err := chromedp.Run(ctx, chromedp.Evaluate[printedNote](readPrintedNote))
	if err != nil {
		t.Fatalf("read the note: %v", err)
	}
	if dir := os.Getenv("SCREENSHOT_DIR"); dir != "" {
		os.WriteFile(filepath.Join(dir, "note.pdf"), pdf, 0o644)
		if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(dir, "note-print.png"), shot, 0o644)
		}
	}

	pages, need := pdfPages(pdf), int(math.Ceil(note.Height/a4PrintHeight))
	t.Logf("the note prints on %d A4 pages; its content is %.0f px high, %.2f pages", pages, note.Height, note.Height/a4PrintHeight)
	if pages == 0 || pages > need {
		t.Errorf("the note prints on %d pages, its content needs %d: a blank or nearly blank page is added", pages, need)
	}
	if !note.Numbered {
		t.Error("no @page rule numbers the printed pages")
	}
	for _, want := range []string{"Réf. : note de décision cleiss-montreuil", "établie le ", "version "} {
		if !strings.Contains(note.Reference, want) {
			t.Errorf("the reference line %q lacks %q", note.Reference, want)
		}
	}
	if note.Signatures != 2 {
		t.Errorf("%d signature boxes, want 2 (drawn up by, approved by)", note.Signatures)
	}
	for _, s := range note.Split {
		t.Errorf("a number and its unit may split over two lines: %q", s)
	}
	for _, h := range note.Hidden {
		t.Errorf("printed with the note: %s", h)
	}
}
