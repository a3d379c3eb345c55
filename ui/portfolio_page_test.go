package ui_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// The portfolio page (portfolio_page.go): every relocation with its next milestone and
// worst slip. Its search and filters: portfolio_search_test.go; its exports:
// portfolio_export_test.go.

// TestPortfolioInSQL: the portfolio's next milestone and worst slip, computed in SQL,
// are those of SPEC (the next milestone not done in planned order; the largest slip of
// the milestones not done, 0 when none slipped); it pages by 50 and filters by status.
func TestPortfolioInSQL(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	admin := e.login(t, adminEmail, testPassword)
	rel := idOf(t, e.createRelocation(t, map[string]any{"name": "AAA premier", "slug": "aaa"}))
	// Done (slipped, but done: ignored), open and slipped by 2021-06 → 2021-09 (92 days),
	// open and not slipped: the next is « Bail » (planned 2021-06 → 2021-09), slip 92.
	done := idOf(t, e.createMilestone(t, rel, map[string]any{"title": "Décision", "planned": "2020-01"}))
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", done), `{"planned":"2020-06","actual":"2020-06-10"}`, "If-Match", etag(1)), 200)
	lease := idOf(t, e.createMilestone(t, rel, map[string]any{"title": "Bail", "planned": "2021-06"}))
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", lease), `{"planned":"2021-09"}`, "If-Match", etag(1)), 200)
	e.createMilestone(t, rel, map[string]any{"title": "Déménagement", "planned": "2022-early"})
	page := e.get(t, admin, "/").raw
	// 2021-09-30 − 2021-06-30 = 92 days.
	if !regexp.MustCompile(`AAA premier(?s:.*?)Bail <span class="fr-hint-text">septembre 2021</span>(?s:.*?)&#43;92 j`).MatchString(page) {
		t.Errorf("portfolio row of AAA premier lacks « Bail, septembre 2021 » and +92 j")
	}
	for i := 0; i < 51; i++ {
		e.createRelocation(t, map[string]any{"slug": fmt.Sprintf("p-%02d", i), "name": fmt.Sprintf("Projet %02d", i), "status": "site_search"})
	}
	first := e.get(t, admin, "/").raw
	second := e.get(t, admin, "/?page=2").raw
	if !regexp.MustCompile(`Projet 48`).MatchString(first) || regexp.MustCompile(`Projet 49<`).MatchString(first) ||
		!regexp.MustCompile(`Projet 49<`).MatchString(second) {
		t.Errorf("pages do not split after 50 relocations")
	}
	filtered := e.get(t, admin, "/?statut=announced").raw
	if !regexp.MustCompile(`AAA premier`).MatchString(filtered) || regexp.MustCompile(`Projet 00`).MatchString(filtered) {
		t.Errorf("the status filter does not filter")
	}
}

// portfolioRow returns the table row of relocation id on the portfolio.
func portfolioRow(t *testing.T, page string, id int64) string {
	t.Helper()
	m := regexp.MustCompile(fmt.Sprintf(`(?s)<tr>\s*<td><a href="/projets/%d">.*?</tr>`, id)).FindString(page)
	if m == "" {
		t.Fatalf("portfolio: no row for relocation %d", id)
	}
	return m
}

// TestPagePortfolio: an empty portfolio offers to create a relocation; each row gives a
// relocation's status, target move, next milestone not done (in planned order) and its
// slip, and a dash when it has no milestone.
func TestPagePortfolio(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)

	empty := c.okPage(t, "/")
	contains(t, "empty portfolio", empty, "Aucun projet", `href="/projets/nouveau"`)

	a := c.createRelocation(t, map[string]any{"status": "site_search"})
	aID := idOf(t, a)
	c.createMilestone(t, aID, map[string]any{"kind": "decision", "title": "Annonce au 4e CITP",
		"planned": "2019-11-15", "actual": "2019-11-15"})
	mv := c.createMilestone(t, aID, map[string]any{"title": "Déménagement à Montreuil"})
	c.createMilestone(t, aID, map[string]any{"kind": "other", "title": "Bilan du déménagement", "planned": "2023"})
	r := c.do(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", idOf(t, mv)),
		`{"planned":"2022-mid","reason":"Travaux plus longs"}`, "If-Match", etag(1))
	expect(t, r, 200)
	b := c.createRelocation(t, map[string]any{"slug": "dgfip-lille", "name": "Relocalisation d’un service à Lille",
		"body": "DGFiP", "target_move": "2023-Q1"})
	bID := idOf(t, b)

	page := c.okPage(t, "/")
	rowA := portfolioRow(t, page, aID)
	contains(t, "row of the CLEISS", rowA, "Relocalisation du CLEISS", "CLEISS", "Seine-Saint-Denis (93)",
		"Recherche de site", "début 2022", "Déménagement à Montreuil", "mi-2022", "+123 j")
	for _, not := range []string{"Annonce au 4e CITP", "Bilan du déménagement"} {
		if strings.Contains(rowA, not) {
			t.Errorf("row of the CLEISS shows %q as next milestone, want « Déménagement à Montreuil »", not)
		}
	}
	rowB := portfolioRow(t, page, bID)
	contains(t, "row without milestones", rowB, "Relocalisation d’un service à Lille", "Annoncée", "1er trimestre 2023", `<td data-label="Prochain jalon">—</td>`)
	if strings.Contains(rowB, " j<") {
		t.Errorf("row without milestones shows a slip: %s", rowB)
	}
	if strings.Index(page, "Relocalisation du CLEISS") < 0 || strings.Index(page, "service à Lille") < 0 {
		t.Errorf("portfolio lacks a relocation")
	}
}
