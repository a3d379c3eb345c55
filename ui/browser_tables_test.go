package ui_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// tablesFitWidths are the widths at which every table must fit its frame: SPEC's
// narrowest phone, a common phone and a desktop.
var tablesFitWidths = []struct{ w, h int64 }{{320, 640}, {375, 812}, {1280, 800}}

// tableOverflow measures, for every table of main, how many pixels it sticks out of
// its frame (the DSFR's scroll box, and the .fr-table block around it): a table that
// scrolls inside its box hides columns behind a scroll bar.
const tableOverflow = `(() => {
	const out = [], tables = document.querySelectorAll("main table");
	for (const t of tables) {
		const box = t.closest(".fr-table__container") || t.parentElement;
		const frame = t.closest(".fr-table") || box;
		const over = Math.max(box.scrollWidth - box.clientWidth,
			Math.round(t.getBoundingClientRect().right - frame.getBoundingClientRect().right));
		if (over > 1) {
			const caption = t.caption ? t.caption.textContent.replace(/\s+/g, " ").trim() : "(sans légende)";
			out.push(caption + " : " + over + " px de trop");
		}
	}
	return {tables: tables.length, over: out};
})()`

// smallChartLabels lists the texts of the page's drawn SVG charts whose size on screen
// (their font size in the chart's units times the chart's scale) is under 12 px.
const smallChartLabels = `(() => {
	const out = [];
	let drawn = 0;
	for (const svg of document.querySelectorAll("main svg")) {
		if (svg.getBoundingClientRect().width === 0) continue; // given way to its table
		drawn++;
		const scale = svg.getScreenCTM().a;
		for (const t of svg.querySelectorAll("text")) {
			const px = parseFloat(getComputedStyle(t).fontSize) * scale;
			if (px < 11.995) out.push("« " + t.textContent.trim().slice(0, 40) + " » drawn at " + px.toFixed(1) + " px");
		}
	}
	return {drawn: drawn, small: out.slice(0, 5), count: out.length};
})()`

// narrowFields lists the selects and text areas of main narrower than three quarters of
// main's content: on a phone a judgement or a justification is read whole.
const narrowFields = `(() => {
	const main = document.querySelector("main"), cs = getComputedStyle(main);
	const room = main.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
	const out = [];
	for (const f of main.querySelectorAll("select, textarea")) {
		const w = f.getBoundingClientRect().width;
		if (w > 0 && w < 0.75 * room) out.push((f.id || f.name) + " " + Math.round(w) + " px of " + Math.round(room));
	}
	return out;
})()`

// chartLabels is what smallChartLabels answers.
type chartLabels struct {
	Drawn int      `json:"drawn"`
	Small []string `json:"small"`
	Count int      `json:"count"`
}

// tablesFit is what tableOverflow answers.
type tablesFit struct {
	Tables int      `json:"tables"`
	Over   []string `json:"over"`
}

// TestBrowserTablesAndChartsFit holds that on the pages that list
// things in tables (the portfolio; a relocation's milestones, sites and journal; the
// criteria; the ranking and its contributions; the commutes; the AHP weights; the
// decision note), no table is wider than its frame at 320, 375 and 1280 px: on phones
// the rows become labelled blocks, and the screen reader still meets a table of rows
// and cells. The charts' labels are drawn at 12 px at least, or the chart gives way to
// its table; at 1280 px the charts are drawn.
func TestBrowserTablesAndChartsFit(t *testing.T) {
	base, store := serveForBrowser(t)
	fx := newCrawlFixture(t, store)
	root := newCrawlBrowser(t)
	c := newCrawlTab(t, root, base, axeSource{})
	c.login(t, crawlManagerEmail)

	rel := fmt.Sprintf("/projets/%d", fx.relocation)
	pages := []struct {
		path   string
		tables int // at least
		charts int // drawn at 1280 px
	}{
		{"/", 1, 1}, {rel, 3, 1}, {rel + "/criteres", 1, 0}, {rel + "/classement", 2, 1},
		{rel + "/trajets", 2, 3}, {rel + "/ahp", 1, 0}, {rel + "/note-de-decision", 3, 1},
		{rel + "/notes", 3, 0},
	}
	for _, p := range pages {
		ctx, cancel := context.WithTimeout(c.ctx, 45*time.Second)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(tablesFitWidths[0].w, tablesFitWidths[0].h), chromedp.Navigate(base+p.path)); err != nil {
			cancel()
			t.Fatalf("%s: load: %v", p.path, err)
		}
		for _, w := range tablesFitWidths {
			what := fmt.Sprintf("%s at %d px", p.path, w.w)
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(w.w, w.h)); err != nil {
				t.Fatalf("%s: set the width: %v", what, err)
			}
			c.settle(t, ctx, what)
			fit, err := chromedp.Run(ctx, chromedp.Evaluate[tablesFit](tableOverflow))
			if err != nil {
				t.Fatalf("%s: measure the tables: %v", what, err)
			}
			if fit.Tables < p.tables {
				t.Errorf("%s: %d tables, want at least %d (the check would measure nothing)", what, fit.Tables, p.tables)
			}
			for _, o := range fit.Over {
				t.Errorf("%s: a table is wider than its frame: %s", what, o)
			}
			if w.w == 375 {
				checkTableRoles(t, ctx, what)
			}
			labels, err := chromedp.Run(ctx, chromedp.Evaluate[chartLabels](smallChartLabels))
			if err != nil {
				t.Fatalf("%s: measure the charts: %v", what, err)
			}
			if labels.Count > 0 {
				t.Errorf("%s: %d chart labels under 12 px:\n\t%s", what, labels.Count, strings.Join(labels.Small, "\n\t"))
			}
			if w.w < 1280 {
				narrow, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](narrowFields))
				if err != nil {
					t.Fatalf("%s: measure the fields: %v", what, err)
				}
				for _, n := range narrow {
					t.Errorf("%s: a field is too narrow to read: %s", what, n)
				}
			}
			if w.w == 1280 && labels.Drawn < p.charts {
				t.Errorf("%s: %d charts drawn, want %d", what, labels.Drawn, p.charts)
			}
			if dir := os.Getenv("SCREENSHOT_DIR"); dir != "" {
				if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
					name := strings.Trim(strings.ReplaceAll(p.path, "/", "-"), "-")
					os.WriteFile(filepath.Join(dir, fmt.Sprintf("tables-%s-%d.png", cmp.Or(name, "portefeuille"), w.w)), shot, 0o644)
				}
			}
		}
		cancel()
	}
}

// checkTableRoles checks that the accessibility tree still holds the page's tables as
// tables of rows, column headers and cells however the CSS draws them.
func checkTableRoles(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	dom, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]int](`({
		table: document.querySelectorAll("main table").length,
		row: document.querySelectorAll("main tr").length,
		columnheader: document.querySelectorAll("main thead th").length,
		cell: document.querySelectorAll("main td").length,
	})`))
	if err != nil {
		t.Fatalf("%s: count the table elements: %v", what, err)
	}
	ax := map[string]int{}
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		tree, err := cdp.Call(ctx, tg, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
		if err != nil {
			return err
		}
		for _, n := range tree.Nodes {
			if n.Ignored || n.Role == nil {
				continue
			}
			var role string
			if err := json.Unmarshal(n.Role.Value, &role); err == nil {
				ax[role]++
			}
		}
		return nil
	})); err != nil {
		t.Fatalf("%s: read the accessibility tree: %v", what, err)
	}
	ax["cell"] += ax["gridcell"]
	var lost []string
	for _, role := range []string{"table", "row", "columnheader", "cell"} {
		if ax[role] < dom[role] {
			lost = append(lost, fmt.Sprintf("%s: %d in the accessibility tree for %d elements", role, ax[role], dom[role]))
		}
	}
	if len(lost) > 0 {
		t.Errorf("%s: the tables lose their roles for screen readers:\n\t%s", what, strings.Join(lost, "\n\t"))
	}
}
