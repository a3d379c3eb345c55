package ui_test

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
)

// TestRankingCSV: the ranking's CSV (ranking_export.go) of the ranking_page_test.go grid
// is the semicolon CSV French Excel reads, one row per site in ranking order, text
// guarded against formulas, named after the relocation.
func TestRankingCSV(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	g := rkNewGrid(t, e, nil)
	// A name a spreadsheet would run as a formula.
	e.create(t, fmt.Sprintf("/api/v1/relocations/%d/sites", g.id), `{"name":"=SOMME(1;2)","kind":"lease"}`)

	r := e.get(t, e.login(t, adminEmail, testPassword), fmt.Sprintf("/projets/%d/classement.csv", g.id))
	expect(t, r, 200)
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="classement-cleiss-classement.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !strings.HasPrefix(r.raw, "\xEF\xBB\xBF") {
		t.Fatal("no UTF-8 byte order mark")
	}
	body := strings.TrimPrefix(r.raw, "\xEF\xBB\xBF")
	if !strings.HasPrefix(body, "Site;Statut;Rang;Score;") || !strings.Contains(body, "\r\n") ||
		strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") {
		t.Errorf("not a semicolon CSV with CRLF line ends:\n%q", body)
	}
	rd := csv.NewReader(strings.NewReader(body))
	rd.Comma = ';'
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse back: %v", err)
	}
	wantHeader := []string{"Site", "Statut", "Rang", "Score",
		rkSurface + " (valeur)", rkSurface + " (contribution)", rkVis + " (valeur)", rkVis + " (contribution)",
		rkNeeds + " (valeur)", rkNeeds + " (contribution)", "Écarté par", "Manque"}
	if strings.Join(rows[0], "|") != strings.Join(wantHeader, "|") {
		t.Errorf("header %q\nwant   %q", rows[0], wantHeader)
	}
	want := [][]string{
		{"Bas Montreuil", "classé", "1", "74,666667", "1,2", "32", "8", "26,666667", "6", "16", "", ""},
		{"Saint-Denis Pleyel", "classé", "2", "66,666667", "1,5", "40", "4", "13,333333", "5", "13,333333", "", ""},
		{"Locaux du partenaire", "écarté", "", "70", "0,6", "16", "9", "30", "9", "24", rkSurface, ""},
		{"'=SOMME(1;2)", "incomplet", "", "", "", "", "", "", "", "", "", rkSurface + ", " + rkVis + ", " + rkNeeds},
		{"Site sans surface", "incomplet", "", "", "", "", "5", "16,666667", "5", "13,333333", "", rkSurface},
	}
	if len(rows) != len(want)+1 {
		t.Fatalf("%d rows, want %d:\n%q", len(rows), len(want)+1, rows)
	}
	for i, w := range want {
		if strings.Join(rows[i+1], "|") != strings.Join(w, "|") {
			t.Errorf("row %d: %q\nwant    %q", i+1, rows[i+1], w)
		}
	}
}
