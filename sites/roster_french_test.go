package sites

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestParseRosterFrenchHeaders: the French column names of SPEC match whatever their
// case, accents and spaces, minutes to a site by its number or its name (regression:
// Identifiant, Commune, Latitude… gave « Colonne inconnue » each).
func TestParseRosterFrenchHeaders(t *testing.T) {
	file := " Identifiant ;COMMUNE;Latitude;longitude;Minutes  Actuelles;minutes 12;Minutes TOUR SEQUOIA\n" +
		"A1;Créteil;48,79;2,45;35;40;50,5\n"
	agents, errs := ParseRoster([]byte(file), rosterSites)
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := []Agent{{Ref: "A1", HomeCommune: "Créteil", HomeLat: ptr(48.79), HomeLon: ptr(2.45), CurrentMinutes: ptr(35),
		SiteMinutes: map[int64]float64{12: 40, 3: 50.5}}}
	if !reflect.DeepEqual(agents, want) {
		t.Errorf("agents %+v, want %+v", agents, want)
	}
	// The same column twice, once in French, once in English, is a duplicate.
	_, errs = ParseRoster([]byte("identifiant;agent_ref\nA1;A1\n"), rosterSites)
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "en double") {
		t.Errorf("identifiant and agent_ref: %v, want one « en double »", errs)
	}
	// Two sites of one name: the column must name one by number.
	_, errs = ParseRoster([]byte("identifiant;minutes le ponant\nA1;3\n"), RosterSites{1: "Le Ponant", 2: "Le  ponant"})
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "plusieurs sites") {
		t.Errorf("two sites of one name: %v", errs)
	}
}

// TestParseRosterClosestColumn: an unknown column's message names the closest accepted
// name and lists them all.
func TestParseRosterClosestColumn(t *testing.T) {
	for header, closest := range map[string]string{
		"Identifiant agent":   "identifiant",
		"lattitude":           "latitude",
		"Minutes actuelle":    "minutes actuelles",
		"minute le ponant":    "minutes le ponant",
		"home commune":        "home_commune",
		"temps trajet actuel": "",
	} {
		_, errs := ParseRoster([]byte("agent_ref;"+header+"\nA1;1\n"), rosterSites)
		if len(errs) != 1 || !strings.Contains(errs[0].Message, "Colonne inconnue") || !strings.Contains(errs[0].Message, "minutes actuelles") {
			t.Errorf("%q: %v, want one « Colonne inconnue » listing the names", header, errs)
			continue
		}
		if closest != "" && !strings.Contains(errs[0].Message, "la plus proche est « "+closest+" »") {
			t.Errorf("%q: %q, want the closest « %s »", header, errs[0].Message, closest)
		}
	}
}

// workbook writes rows on the first sheet of a new .xlsx workbook (numbers as numbers).
func workbook(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Agents")
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Agents", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	f.NewSheet("Autre") // only the first sheet is read
	f.SetCellValue("Autre", "A1", "ignorée")
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestParseRosterWorkbook: an .xlsx workbook's first sheet reads as the same table,
// numbers as stored, empty rows skipped, errors by the sheet's line numbers
// (regression: an .xlsx was refused).
func TestParseRosterWorkbook(t *testing.T) {
	data := workbook(t, [][]any{
		{"Identifiant", "Commune", "Latitude", "Longitude", "Minutes actuelles", "minutes_12"},
		{"A1", "Créteil", 48.7904, 2.4556, 35, 40.5},
		{},
		{"A2", nil, nil, nil, 12},
	})
	agents, errs := ParseRoster(data, rosterSites)
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := []Agent{
		{Ref: "A1", HomeCommune: "Créteil", HomeLat: ptr(48.7904), HomeLon: ptr(2.4556), CurrentMinutes: ptr(35), SiteMinutes: map[int64]float64{12: 40.5}},
		{Ref: "A2", CurrentMinutes: ptr(12)},
	}
	if !reflect.DeepEqual(agents, want) {
		t.Errorf("agents %+v, want %+v", agents, want)
	}
	bad := workbook(t, [][]any{
		{"identifiant", "minutes actuelles"},
		{"A1", 20},
		{"A 2", -3},
		{"A3", 5, "en trop"},
	})
	_, errs = ParseRoster(bad, rosterSites)
	got := fmt.Sprint(errs)
	if len(errs) != 3 || errs[0].Line != 3 || errs[1].Line != 3 || errs[2].Line != 4 || !strings.Contains(got, "colonne C") {
		t.Errorf("errors %v, want two on line 3 and one on line 4 (a value in column C)", errs)
	}
}

// TestParseRosterAgentLimit: 100,000 agents are read, one more is refused as too large
// (TooLarge: 413), with nothing else said.
func TestParseRosterAgentLimit(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("agent_ref;current_minutes\n")
	for i := range MaxRosterAgents {
		fmt.Fprintf(&b, "A%d;%d\n", i, i%90)
	}
	agents, errs := ParseRoster(b.Bytes(), rosterSites)
	if len(errs) > 0 || len(agents) != MaxRosterAgents {
		t.Fatalf("100,000 agents: %d read, errors %v", len(agents), errs)
	}
	b.WriteString("B1;3\n")
	agents, errs = ParseRoster(b.Bytes(), rosterSites)
	if agents != nil || !TooLarge(errs) || !strings.Contains(errs[0].Message, "100\u00a0000 agents") {
		t.Errorf("100,001 agents: %d read, errors %v, want too large", len(agents), errs)
	}
}
