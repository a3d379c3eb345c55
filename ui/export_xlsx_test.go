package ui_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ministere/tracker/ui/account"
)

// readWorkbook checks an .xlsx answer and returns its one sheet's name and rows (as
// Excel shows them) with the workbook, for closer looks.
func readWorkbook(t *testing.T, what string, r apiResp) (string, [][]string, *excelize.File) {
	t.Helper()
	expect(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(r.raw)))
	if err != nil {
		t.Fatalf("%s: not a workbook: %v", what, err)
	}
	t.Cleanup(func() { f.Close() })
	sheets := f.GetSheetList()
	if len(sheets) != 1 {
		t.Fatalf("%s: sheets %q, want one", what, sheets)
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	return sheets[0], rows, f
}

// TestPortfolioAndMilestonesXLSX: the same exports as Excel workbooks: one sheet, the
// CSV's header, texts kept as texts (a name starting with = is no formula), numbers as
// numbers and dates as dates shown dd/mm/yyyy; the filter applies.
func TestPortfolioAndMilestonesXLSX(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer)
	viewer := e.login(t, "lecteur@exemple.gouv.fr", testPassword)
	rel := idOf(t, e.createRelocation(t, map[string]any{"slug": "cleiss"}))
	e.createMilestone(t, rel, map[string]any{"title": "Bail signé", "kind": "lease", "planned": "2021-05"})
	e.createRelocation(t, map[string]any{"slug": "formule", "name": `=HYPERLINK("http://x")`, "headcount": 12})

	sheet, rows, f := readWorkbook(t, "portfolio workbook", e.get(t, viewer, "/portefeuille.xlsx"))
	if sheet != "Portefeuille" || len(rows) != 3 {
		t.Fatalf("sheet %q with %d rows, want « Portefeuille » with the header and 2 relocations", sheet, len(rows))
	}
	if !strings.HasPrefix(strings.Join(rows[0], ";"), "Projet;Organisme;Nom de l’organisme;Origine;Destination;Statut;Déménagement visé;Début de la période") {
		t.Errorf("header %q", rows[0])
	}
	if rows[1][0] != `=HYPERLINK("http://x")` {
		t.Errorf("first name %q", rows[1][0])
	}
	if formula, _ := f.GetCellFormula(sheet, "A2"); formula != "" {
		t.Errorf("a relocation's name became the formula %q", formula)
	}
	if got := strings.Join(rows[2][:9], "|"); got != "Relocalisation du CLEISS|CLEISS|Centre des liaisons européennes et internationales de sécurité sociale|11 rue de la Tour des Dames, 75009 Paris|Seine-Saint-Denis (93)|Annoncée|début 2022|01/01/2022|30/04/2022" {
		t.Errorf("CLEISS row %q", got)
	}
	for cell, want := range map[string]excelize.CellType{"H3": excelize.CellTypeUnset, "N3": excelize.CellTypeUnset, "A3": excelize.CellTypeSharedString} {
		got, err := f.GetCellType(sheet, cell)
		if err != nil || got != want {
			t.Errorf("cell %s has type %v (%v), want %v (a number or date is stored unset, as a number)", cell, got, err, want)
		}
	}
	if raw, _ := f.GetCellValue(sheet, "H3", excelize.Options{RawCellValue: true}); raw != "44562" { // 1 January 2022 as Excel counts days
		t.Errorf("the period's start is stored as %q, want the date serial 44562", raw)
	}
	if _, filtered, _ := readWorkbook(t, "filtered portfolio", e.get(t, viewer, "/portefeuille.xlsx?q=hyperlink")); len(filtered) != 2 {
		t.Errorf("the filtered workbook has %d rows, want the header and one relocation", len(filtered))
	}

	sheet, rows, _ = readWorkbook(t, "milestones workbook", e.get(t, viewer, fmt.Sprintf("/projets/%d/jalons.xlsx", rel)))
	if sheet != "Jalons" || len(rows) != 2 || rows[1][0] != "Bail signé" || rows[1][3] != "01/05/2021" || rows[1][8] != "En retard" {
		t.Errorf("milestones workbook %q: %q", sheet, rows)
	}
	if r := e.get(t, viewer, "/projets/99999/jalons.xlsx"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown relocation: %d, want 404", r.StatusCode)
	}
}
