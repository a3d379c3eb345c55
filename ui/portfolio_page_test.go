package ui_test

import (
	"fmt"
	"regexp"
	"testing"
)

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
