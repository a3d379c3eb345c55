package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestMilestonesCSV: a relocation's milestones export in planned order, with dates French
// Excel reads and text guarded against formulas; it needs an account, and an unknown
// relocation is 404.
func TestMilestonesCSV(t *testing.T) {
	t.Parallel()
	e, viewer, rel := exportFixture(t)

	ms := readExcelCSV(t, "milestones CSV", e.get(t, viewer, fmt.Sprintf("/projets/%d/jalons.csv", rel)))
	wantMs := [][]string{
		{"Jalon", "Nature", "Prévu", "Début de la période", "Fin de la période", "Réalisé le", "Date initiale", "Glissement (jours)", "Statut", "Source", "Lien de la source", "Public", "Notes"},
		{"Décision", "Décision", "20 novembre 2019", "20/11/2019", "20/11/2019", "20/11/2019", "15 novembre 2019", "5", "Réalisé", "Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892", "", "non", ""},
		{"Bail signé", "Bail", "mai 2021", "01/05/2021", "31/05/2021", "", "mai 2021", "0", "En retard", "'-compte rendu", "https://exemple.gouv.fr/cr", "oui", ""},
	}
	if fmt.Sprint(ms) != fmt.Sprint(wantMs) {
		t.Errorf("milestones CSV\n%q\nwant\n%q", ms, wantMs)
	}
	if r := e.get(t, viewer, fmt.Sprintf("/projets/%d/jalons.csv", rel)); r.Header.Get("Content-Disposition") != `attachment; filename="jalons-cleiss.csv"` {
		t.Errorf("Content-Disposition %q", r.Header.Get("Content-Disposition"))
	}
	if r := e.get(t, viewer, "/projets/99999/jalons.csv"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown relocation: %d, want 404", r.StatusCode)
	}
	if r := e.get(t, session{}, fmt.Sprintf("/projets/%d/jalons.csv", rel)); r.StatusCode == http.StatusOK || strings.Contains(r.raw, "CLEISS") {
		t.Errorf("anonymous: %d, want a refusal", r.StatusCode)
	}
}
