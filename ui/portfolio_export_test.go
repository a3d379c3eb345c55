package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestPortfolioCSV: the portfolio's export lists every relocation the filter selects
// (beyond the page), with dates French Excel reads and text guarded against formulas;
// it needs an account.
func TestPortfolioCSV(t *testing.T) {
	t.Parallel()
	e, viewer, _ := exportFixture(t)
	for i := 0; i < 55; i++ {
		e.createRelocation(t, map[string]any{"slug": fmt.Sprintf("p-%02d", i), "name": fmt.Sprintf("@Projet %02d", i), "headcount": 12 + i})
	}

	all := readExcelCSV(t, "portfolio CSV", e.get(t, viewer, "/portefeuille.csv"))
	if len(all) != 57 {
		t.Fatalf("the portfolio CSV has %d lines, want the header and 56 relocations", len(all))
	}
	wantHeader := "Projet;Organisme;Nom de l’organisme;Origine;Destination;Statut;Déménagement visé;Début de la période;Fin de la période;Déménagé le;Prochain jalon;Prévu;En retard;Glissement (jours);Agents;Visibilité;Page publique"
	if got := strings.Join(all[0], ";"); got != wantHeader {
		t.Errorf("portfolio header\n%s\nwant\n%s", got, wantHeader)
	}
	if got, want := strings.Join(all[1], ";"), "'@Projet 00;CLEISS;"; !strings.HasPrefix(got, want) {
		t.Errorf("first line %q, want it to start with %q (formula guard)", got, want)
	}
	cleiss := all[56]
	want := []string{"Relocalisation du CLEISS", "CLEISS", "Centre des liaisons européennes et internationales de sécurité sociale",
		"11 rue de la Tour des Dames, 75009 Paris", "Seine-Saint-Denis (93)", "Annoncée", "début 2022", "01/01/2022", "30/04/2022", "",
		"Bail signé", "mai 2021", "oui", "0", "140", "Publique", "/r/cleiss"}
	if strings.Join(cleiss, "|") != strings.Join(want, "|") {
		t.Errorf("the CLEISS line\n%q\nwant\n%q", cleiss, want)
	}
	filtered := readExcelCSV(t, "filtered portfolio CSV", e.get(t, viewer, "/portefeuille.csv?q=cleiss&retard=1"))
	if len(filtered) != 2 || filtered[1][0] != "Relocalisation du CLEISS" {
		t.Errorf("the filtered export lists %q, want the CLEISS alone", filtered)
	}
	if r := e.get(t, viewer, "/portefeuille.csv"); !strings.Contains(r.Header.Get("Content-Disposition"), `attachment; filename="portefeuille-2021-07-01.csv"`) {
		t.Errorf("Content-Disposition %q", r.Header.Get("Content-Disposition"))
	}

	if r := e.get(t, session{}, "/portefeuille.csv"); r.StatusCode == http.StatusOK || strings.Contains(r.raw, "CLEISS") {
		t.Errorf("anonymous: %d, want a refusal", r.StatusCode)
	}
}
