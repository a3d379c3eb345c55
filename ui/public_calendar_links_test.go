package ui_test

import (
	"regexp"
	"testing"
)

// TestPublicCalendarLinks: the public page offers the calendar both ways, side by side:
// a webcal:// link that calendar clients subscribe to (they then follow its changes),
// and the .ics file to download, on the page's own scheme and host.
func TestPublicCalendarLinks(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, map[string]any{"visibility": "public", "slug": "cleiss-abonnement"}))
	e.createMilestone(t, rel, map[string]any{"public": true})

	page := apiDo(t, e.app, "GET", "/r/cleiss-abonnement", "", "Accept", "text/html", "Host", "suivi.exemple.gouv.fr")
	expect(t, page, 200)
	subscribe := regexp.MustCompile(`<a [^>]*href="webcal://suivi\.exemple\.gouv\.fr/r/cleiss-abonnement/calendar\.ics"[^>]*>S’abonner au calendrier`)
	download := regexp.MustCompile(`<a [^>]*href="http://suivi\.exemple\.gouv\.fr/r/cleiss-abonnement/calendar\.ics"[^>]*download[^>]*>Télécharger le fichier \.ics`)
	if !subscribe.MatchString(page.raw) {
		t.Errorf("the public page has no webcal:// subscription link")
	}
	if !download.MatchString(page.raw) {
		t.Errorf("the public page has no .ics download link")
	}
	if regexp.MustCompile(`ZgotmplZ`).MatchString(page.raw) {
		t.Errorf("the template refused an address of the page (#ZgotmplZ)")
	}
}
