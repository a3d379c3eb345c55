package ui_test

import (
	"fmt"
	"html"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// The AHP form's page (ahp_page.go), over the grid of ranking_page_test.go.

// rkSaaty writes ratio as the AHP form's value: "4", "1/4".
func rkSaaty(ratio float64) string {
	if ratio >= 1 {
		return strconv.Itoa(int(math.Round(ratio)))
	}
	return "1/" + strconv.Itoa(int(math.Round(1/ratio)))
}

// rkAHPForm fills every comparison of the AHP page with the ratio of the wanted weights
// (by criterion name), except the pairs in over ("a|b" by name → value).
func rkAHPForm(t *testing.T, page string, names map[int64]string, weights map[string]float64, over map[string]string) url.Values {
	t.Helper()
	f := url.Values{}
	fields := regexp.MustCompile(`name="c-(\d+)-(\d+)"`).FindAllStringSubmatch(page, -1)
	if len(fields) != 6 {
		t.Fatalf("AHP page: %d comparisons, want 6", len(fields))
	}
	for _, m := range fields {
		a, _ := strconv.ParseInt(m[1], 10, 64)
		b, _ := strconv.ParseInt(m[2], 10, 64)
		v := rkSaaty(weights[names[a]] / weights[names[b]])
		if o, ok := over[names[a]+"|"+names[b]]; ok {
			v = o
		}
		f.Set("c-"+m[1]+"-"+m[2], v)
	}
	return f
}

// TestRankingAHPForm: the AHP page asks each pair of criteria on Saaty's scale; a viewer
// sees it read-only and may not post it; a missing pair or a value off the scale is
// refused in French; inconsistent comparisons are refused with their ratio and the pair
// that departs most; consistent ones become the weights.
func TestRankingAHPForm(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	admin := rkLogin(t, e, adminEmail)
	e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer)
	viewer := rkLogin(t, e, "lecteur@exemple.gouv.fr")
	rel := e.create(t, "/api/v1/relocations", relocationBody(nil))
	id := idOf(t, rel)
	path := fmt.Sprintf("/projets/%d/ahp", id)
	names := map[int64]string{}
	for name, c := range rkCriteria(t, e, id) {
		names[int64(c["id"].(float64))] = name
	}
	weightsNow := func() map[string]float64 {
		out := map[string]float64{}
		for name, c := range rkCriteria(t, e, id) {
			out[name] = c["weight"].(float64)
		}
		return out
	}
	initial := weightsNow()

	page := admin.page(t, path)
	// Each pair's label names both criteria; its choices are short enough for a phone's
	// select to show the chosen one whole.
	rkContains(t, "AHP page", page, "« "+rkSurface+" » par rapport à « "+rkVis+" »")
	raw := html.UnescapeString(page)
	for _, want := range []string{">extrêmement plus important (9)</option>", ">d’égale importance (1)</option>",
		">modérément à fortement moins important (1/4)</option>", ">extrêmement moins important (1/9)</option>"} {
		if !strings.Contains(raw, want) {
			t.Errorf("AHP page lacks the choice %q", want)
		}
	}
	if strings.Contains(rkText(page), "» est extrêmement plus important que «") {
		t.Error("the AHP choices still repeat the criteria's names")
	}
	if !strings.Contains(page, `name="_csrf" value="`+admin.csrf+`"`) {
		t.Error("AHP form without the session's CSRF token")
	}

	// A viewer sees the comparisons read-only and may not post them.
	vpage := viewer.page(t, path)
	if !strings.Contains(vpage, " disabled") || strings.Contains(vpage, `type="submit">Calculer`) {
		t.Error("the viewer's AHP page is not read-only")
	}
	wanted := map[string]float64{rkSurface: 8, rkVis: 4, rkCommute: 2, rkNeeds: 1}
	expect(t, viewer.post(t, path, rkAHPForm(t, vpage, names, wanted, nil)), 403)

	// Invalid input: a missing pair, a value off the scale.
	form := rkAHPForm(t, page, names, wanted, map[string]string{rkSurface + "|" + rkVis: "42"})
	for k := range form {
		if strings.HasPrefix(k, "c-") && form.Get(k) == "2" { // drop one comparison worth 2
			form.Del(k)
			break
		}
	}
	r := admin.post(t, path, form)
	expect(t, r, 422)
	checkPageHTML(t, "AHP invalid", r)
	rkContains(t, "AHP invalid", r.raw, "Comparaison manquante entre",
		"La comparaison entre « "+rkSurface+" » et « "+rkVis+" » vaut « 42 », hors de l’échelle de Saaty")

	// Inconsistent: Surface ≻ Visibilité ≻ Trajet ≻ Nécessités, yet Nécessités 8 times
	// Surface. CR ≈ 1,01 (criteria.AHP); the comparison that departs most is Surface/Nécessités.
	r = admin.post(t, path, rkAHPForm(t, page, names, wanted, map[string]string{rkSurface + "|" + rkNeeds: "1/8"}))
	expect(t, r, 422)
	checkPageHTML(t, "AHP inconsistent", r)
	rkContains(t, "AHP inconsistent", r.raw, "ratio de cohérence 1,01 > 0,10",
		"La comparaison la plus incohérente est celle de « "+rkSurface+" » et « "+rkNeeds+" »",
		"Poids tirés des comparaisons")
	if got := regexp.MustCompile(`(?s)<select[^>]*name="c-\d+-\d+"[^>]*>.*?</select>`).FindAllString(r.raw, -1); len(got) != 6 ||
		!strings.Contains(strings.Join(got, ""), `value="1/8" selected`) {
		t.Error("the inconsistent choices are not kept")
	}
	if now := weightsNow(); fmt.Sprint(now) != fmt.Sprint(initial) {
		t.Errorf("weights changed by inconsistent comparisons: %v, were %v", now, initial)
	}

	// Consistent: weights 8:4:2:1 exactly, CR = 0, applied as eigenvector × 100.
	r = admin.post(t, path, rkAHPForm(t, page, names, wanted, nil))
	seeOther(t, r, fmt.Sprintf("/projets/%d/classement", id))
	for name, w := range weightsNow() {
		if want := 100 * wanted[name] / 15; math.Abs(w-want) > 1e-6 {
			t.Errorf("weight of %s = %v, want %v", name, w, want)
		}
	}
}
