package ui

import (
	"html/template"
	"strings"
	"testing"

	"github.com/ministere/tracker/sites"
)

// TestSiteStatusBadgeAgreesWithRanking: the site pages' status badge (partial
// "site-status") and the ranking's decision column give each site status the same DSFR
// tone, from one function: selected green, rejected red, the others blue without icon.
func TestSiteStatusBadgeAgreesWithRanking(t *testing.T) {
	tpl, err := template.New("t").Funcs((&Server{}).templateFuncs()).ParseFS(templatesFS, "templates/partials/site.html")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		sites.StatusCandidate:   `<span class="fr-badge fr-badge--info fr-badge--no-icon">Candidat</span>`,
		sites.StatusShortlisted: `<span class="fr-badge fr-badge--info fr-badge--no-icon">Présélectionné</span>`,
		sites.StatusRejected:    `<span class="fr-badge fr-badge--error">Écarté</span>`,
		sites.StatusSelected:    `<span class="fr-badge fr-badge--success">Retenu</span>`,
	}
	for _, status := range sites.Statuses() {
		var b strings.Builder
		if err := tpl.ExecuteTemplate(&b, "site-status", status); err != nil {
			t.Fatal(err)
		}
		if b.String() != want[status] {
			t.Errorf("badge of %s = %s, want %s", status, b.String(), want[status])
		}
		if tone := siteStatusTone(status); !strings.Contains(want[status], "fr-badge--"+tone+`"`) && !strings.Contains(want[status], "fr-badge--"+tone+" ") {
			t.Errorf("ranking tone of %s = %q, not the badge's", status, tone)
		}
	}
}
