package ui_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// TestRosterTemplatesAndWorkbooks: the commute page offers CSV and .xlsx templates whose
// header is the French columns with the relocation's sites; filled in, each imports as
// is, through the API and the upload form (whose picker takes .xlsx); French headers
// match; more than 100,000 agents are refused 413 with a French message (regression:
// French headers were unknown columns, an .xlsx was refused, there was no template).
func TestRosterTemplatesAndWorkbooks(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	a := idOf(t, e.createSite(t, rel, map[string]any{"name": "Tour Séquoia", "lat": 48.8555, "lon": 2.4255}))
	b := idOf(t, e.createSite(t, rel, map[string]any{"name": "Le Ponant", "lat": 48.84, "lon": 2.27}))
	s := e.login(t, adminEmail, testPassword)
	page := e.get(t, s, fmt.Sprintf("/projets/%d/trajets", rel))
	contains(t, "commute page", page.raw, fmt.Sprintf(`href="/projets/%d/trajets/modele.xlsx"`, rel),
		fmt.Sprintf(`href="/projets/%d/trajets/modele.csv"`, rel), `accept=".csv,.xlsx,`)

	// The CSV template: BOM, semicolons, French names, the sites by name.
	r := e.get(t, s, fmt.Sprintf("/projets/%d/trajets/modele.csv", rel))
	expect(t, r, 200)
	wantHeader := "identifiant;commune;latitude;longitude;minutes actuelles;minutes Tour Séquoia;minutes Le Ponant\r\n"
	if a > b {
		wantHeader = "identifiant;commune;latitude;longitude;minutes actuelles;minutes Le Ponant;minutes Tour Séquoia\r\n"
	}
	if r.raw != "\xEF\xBB\xBF"+wantHeader || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("CSV template %q (%s), want %q as an attachment", r.raw, r.Header.Get("Content-Disposition"), wantHeader)
	}
	filled := r.raw + "A1;Créteil;48,79;2,45;35;40;50\r\nA2;;;;20;30;31\r\n"
	r = e.do(t, "PUT", fmt.Sprintf("/api/v1/relocations/%d/agents", rel), filled, "Content-Type", "text/csv")
	if r.StatusCode != 200 || r.json["imported"] != float64(2) {
		t.Errorf("the filled CSV template: %d %s", r.StatusCode, r)
	}

	// The .xlsx template, filled in a spreadsheet, through the API then the form.
	r = e.get(t, s, fmt.Sprintf("/projets/%d/trajets/modele.xlsx", rel))
	expect(t, r, 200)
	if ct := r.Header.Get("Content-Type"); ct != xlsxType {
		t.Errorf("xlsx template Content-Type %q", ct)
	}
	f, err := excelize.OpenReader(strings.NewReader(r.raw))
	if err != nil {
		t.Fatalf("the xlsx template does not open: %v", err)
	}
	first := f.GetSheetList()[0]
	header, _ := f.GetRows(first)
	if len(header) != 1 || strings.Join(header[0], ";")+"\r\n" != wantHeader {
		t.Errorf("xlsx template rows %q, want the header %q", header, wantHeader)
	}
	for i, row := range [][]any{{"X1", "Paris", 48.87, 2.33, 25, 30, 31}, {"X2", nil, nil, nil, 20}, {"X3", "Montreuil", 48.86, 2.44}} {
		f.SetSheetRow(first, fmt.Sprintf("A%d", i+2), &row)
	}
	var book bytes.Buffer
	f.Write(&book)
	f.Close()
	r = e.do(t, "PUT", fmt.Sprintf("/api/v1/relocations/%d/agents", rel), book.String(), "Content-Type", xlsxType)
	if r.StatusCode != 200 || r.json["imported"] != float64(3) {
		t.Errorf("the filled xlsx template through the API: %d %s", r.StatusCode, r)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	mw.WriteField("_csrf", s.csrf)
	fw, _ := mw.CreateFormFile("fichier", "agents.xlsx")
	fw.Write(book.Bytes())
	mw.Close()
	r = apiDo(t, e.app, "POST", fmt.Sprintf("/projets/%d/agents", rel), form.String(),
		"Content-Type", mw.FormDataContentType(), "Cookie", s.cookie, "Accept", "text/html")
	seeOther(t, r, fmt.Sprintf("/projets/%d/trajets", rel))

	// An unknown column is answered with the closest name.
	r = e.do(t, "PUT", fmt.Sprintf("/api/v1/relocations/%d/agents", rel), "Identifiant agent;latitude;longitude\nA1;48,8;2,3\n", "Content-Type", "text/csv")
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.raw, "la plus proche est « identifiant »") {
		t.Errorf("an unknown column: %d %s", r.StatusCode, r)
	}
	// More than 100,000 agents: 413, in French, and nothing changes.
	before := e.snapshot(t)
	var many strings.Builder
	many.WriteString("identifiant\n")
	for i := range 100_001 {
		fmt.Fprintf(&many, "A%d\n", i)
	}
	r = e.do(t, "PUT", fmt.Sprintf("/api/v1/relocations/%d/agents", rel), many.String(), "Content-Type", "text/csv")
	checkProblem(t, r, http.StatusRequestEntityTooLarge)
	if d, _ := r.json["detail"].(string); !strings.Contains(d, "100\u00a0000 agents") {
		t.Errorf("100,001 agents: detail %q", d)
	}
	e.unchanged(t, before, "a refused roster changed the database")
	// Templates are for those who may read the relocation.
	expect(t, apiDo(t, e.app, "GET", fmt.Sprintf("/projets/%d/trajets/modele.csv", rel+1000), "", "Cookie", s.cookie), 404)
	expect(t, apiDo(t, e.app, "GET", fmt.Sprintf("/projets/%d/trajets/modele.pdf", rel), "", "Cookie", s.cookie), 404)
}
