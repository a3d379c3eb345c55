package ui

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
)

// saatyStep is one value of the Saaty scale as the AHP form offers it.
type saatyStep struct {
	Code   string  // the form value: "9", "1/3"…
	Value  float64 // how much more A matters than B
	Phrase string  // « fortement plus important » (for a value ≥ 1)
}

// saatyScale lists the scale from « A extrêmement plus important » (9) to « B
// extrêmement plus important » (1/9); the even values are Saaty's intermediate ones.
var saatyScale = func() []saatyStep {
	phrases := map[int]string{
		9: "extrêmement plus important", 8: "très fortement à extrêmement plus important",
		7: "très fortement plus important", 6: "fortement à très fortement plus important",
		5: "fortement plus important", 4: "modérément à fortement plus important",
		3: "modérément plus important", 2: "légèrement plus important",
	}
	var out []saatyStep
	for n := 9; n >= 1; n-- {
		out = append(out, saatyStep{Code: strconv.Itoa(n), Value: float64(n), Phrase: phrases[n]})
	}
	for n := 2; n <= 9; n++ {
		out = append(out, saatyStep{Code: "1/" + strconv.Itoa(n), Value: 1 / float64(n), Phrase: phrases[n]})
	}
	return out
}()

// saatyByCode finds a step by its form value.
func saatyByCode(code string) (saatyStep, bool) {
	for _, st := range saatyScale {
		if st.Code == code {
			return st, true
		}
	}
	return saatyStep{}, false
}

// choice says what the step means for the first criterion of a pair, the select's
// label naming both (« A » par rapport à « B »): « fortement plus important (5) »,
// « d’égale importance (1) », « fortement moins important (1/5) ». It is short, so that
// a phone's select shows the chosen judgement whole.
func (st saatyStep) choice() string {
	switch {
	case st.Value == 1:
		return "d’égale importance (1)"
	case st.Value > 1:
		return fmt.Sprintf("%s (%s)", st.Phrase, st.Code)
	}
	return fmt.Sprintf("%s (%s)", strings.ReplaceAll(st.Phrase, "plus important", "moins important"), st.Code)
}

// sentence says what the step means for criteria a and b, with its value.
func (st saatyStep) sentence(a, b string) string {
	switch {
	case st.Value == 1:
		return fmt.Sprintf("« %s » et « %s » sont d’égale importance (1)", a, b)
	case st.Value > 1:
		return fmt.Sprintf("« %s » est %s que « %s » (%s)", a, st.Phrase, b, st.Code)
	}
	return fmt.Sprintf("« %s » est %s que « %s » (%s)", b, st.Phrase, a, st.Code)
}

// nearestSaaty returns the step closest to ratio (in logarithm): how the current
// weights pre-fill the form.
func nearestSaaty(ratio float64) saatyStep {
	best, dist := saatyScale[8], math.Inf(1) // "1"
	if !(ratio > 0) || math.IsInf(ratio, 0) {
		return best
	}
	for _, st := range saatyScale {
		if d := math.Abs(math.Log(st.Value / ratio)); d < dist-1e-12 {
			best, dist = st, d
		}
	}
	return best
}

// ahpPage is the body of the AHP page.
type ahpPage struct {
	Relocation  relocation.Relocation
	CanEdit     bool
	Criteria    []ahpWeight
	Pairs       []ahpPair
	Unavailable string   // why there is no form (too few or too many criteria)
	Problem     string   // the refusal shown above the form
	Problems    []string // its details
	Refused     *ahpRefusal
}

// ahpWeight is one criterion with its current weight and, after an inconsistent
// submission, the weight the comparisons would give.
type ahpWeight struct {
	Name, Current, Derived string
	id                     int64
}

// ahpPair is one comparison of the form.
type ahpPair struct {
	Field, A, B, Selected, Error string
	Options                      []option
	Worst                        bool
	a, b                         criteria.Criterion
}

// ahpRefusal is why inconsistent comparisons were not applied.
type ahpRefusal struct {
	CR, Worst string
}

// pageAHP shows the pairwise comparisons of the relocation's criteria, pre-filled with
// the Saaty values closest to the current weights. Viewers see it read-only.
func (s *Server) pageAHP(c *fiber.Ctx) error {
	return s.drawnPage(c, "ahp", "relocations", "", func(id, _ int64, st relocation.Stamp) (string, any, error) {
		r, cs, err := s.relocationCriteria(c, id)
		if err != nil {
			return "", nil, err
		}
		p := newAHPPage(r, cs, st.Writes)
		for i := range p.Pairs {
			pr := &p.Pairs[i]
			pr.Selected = nearestSaaty(pr.a.Weight / pr.b.Weight).Code
		}
		return ahpTitle(p), p, nil
	})
}

// formAHP derives the weights from the submitted comparisons: 303 to the ranking when
// applied; 422 with the form kept when a comparison is missing or off the scale, or
// when the consistency ratio exceeds 0.10 (then the page names the most inconsistent
// comparison and the weights stay as they were).
func (s *Server) formAHP(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var p ahpPage
	chosen := map[[2]int64]saatyStep{}
	out, err := s.criteria.ApplyAHP(c.UserContext(), s.actor(c), id, func(cs []criteria.Criterion) ([]criteria.Comparison, error) {
		p = newAHPPage(relocation.Relocation{}, cs, true)
		clear(chosen)
		return p.read(c, chosen)
	})
	var e *relocation.Error
	switch {
	case errors.As(err, &e) && e.Code == relocation.EINVALID:
		if p.Problem == "" {
			p.Problem = e.Message
			for _, f := range e.Fields {
				p.Problems = append(p.Problems, f.Message)
			}
		}
	case err != nil:
		return err
	case out.Applied:
		return s.redirectNotice(c, fmt.Sprintf("/projets/%d/classement", id), noticeWeightsApplied)
	default:
		p.refuse(toAHPJSON(out), chosen)
	}
	if p.Relocation, err = s.store.Relocation(c.UserContext(), id); err != nil {
		return err
	}
	return s.renderAHP(c.Status(fiber.StatusUnprocessableEntity), p)
}

// read takes the submitted comparisons into the page (so that it can be shown again)
// and returns them; EINVALID, with the page's problems set, when one is missing or off
// the scale, or when the grid cannot be compared.
func (p *ahpPage) read(c *fiber.Ctx, chosen map[[2]int64]saatyStep) ([]criteria.Comparison, error) {
	if p.Unavailable != "" {
		p.Problem = p.Unavailable
		return nil, relocation.Invalid(relocation.FieldError{Field: "comparisons", Message: p.Unavailable})
	}
	var comps []criteria.Comparison
	for i := range p.Pairs {
		pr := &p.Pairs[i]
		pr.Selected = strings.TrimSpace(c.FormValue(pr.Field))
		st, ok := saatyByCode(pr.Selected)
		switch {
		case pr.Selected == "":
			pr.Error = "Choisissez une comparaison."
			p.Problems = append(p.Problems, fmt.Sprintf("Comparaison manquante entre « %s » et « %s ».", pr.A, pr.B))
			continue
		case !ok:
			pr.Error = "Valeur hors de l’échelle de Saaty (de 1/9 à 9)."
			p.Problems = append(p.Problems, fmt.Sprintf("La comparaison entre « %s » et « %s » vaut « %s », hors de l’échelle de Saaty (de 1/9 à 9).", pr.A, pr.B, pr.Selected))
			continue
		}
		chosen[[2]int64{pr.a.ID, pr.b.ID}] = st
		comps = append(comps, criteria.Comparison{A: pr.a.ID, B: pr.b.ID, Value: st.Value})
	}
	if len(p.Problems) > 0 {
		p.Problem = "Les comparaisons ne peuvent pas être calculées."
		return nil, relocation.Invalid(relocation.FieldError{Field: "comparisons", Message: p.Problem})
	}
	return comps, nil
}

// newAHPPage lays out the form: one comparison per pair of criteria (i < j).
func newAHPPage(r relocation.Relocation, cs []criteria.Criterion, canEdit bool) ahpPage {
	p := ahpPage{Relocation: r, CanEdit: canEdit}
	weights := criteria.WeightsOf(cs)
	for i, c := range cs {
		w := ahpWeight{Name: c.Name, Current: "—", id: c.ID}
		if weights.Total() > 0 {
			w.Current = percent1(weights.Percent(i))
		}
		p.Criteria = append(p.Criteria, w)
	}
	switch {
	case len(cs) < 2:
		p.Unavailable = "Il faut au moins deux critères pour les comparer deux à deux."
		return p
	case len(cs) > criteria.MaxAHPCriteria:
		p.Unavailable = fmt.Sprintf("Les comparaisons deux à deux portent sur %d critères au plus ; ce projet en a %d.", criteria.MaxAHPCriteria, len(cs))
		return p
	}
	for i, a := range cs {
		for _, b := range cs[i+1:] {
			pr := ahpPair{Field: fmt.Sprintf("c-%d-%d", a.ID, b.ID), A: a.Name, B: b.Name, a: a, b: b}
			for _, st := range saatyScale {
				pr.Options = append(pr.Options, option{Value: st.Code, Label: st.choice()})
			}
			p.Pairs = append(p.Pairs, pr)
		}
	}
	return p
}

// refuse fills the page with why inconsistent comparisons were not applied: the
// consistency ratio, the weights they would give and the comparison that departs most.
func (p *ahpPage) refuse(out ahpJSON, chosen map[[2]int64]saatyStep) {
	cr := decimal2(out.ConsistencyRatio)
	if cr == "0,10" { // just above the limit: show enough digits to see it
		cr = strings.Replace(strconv.FormatFloat(out.ConsistencyRatio, 'f', 4, 64), ".", ",", 1)
	}
	ref := &ahpRefusal{CR: cr}
	p.Problem = fmt.Sprintf("Comparaisons trop incohérentes : ratio de cohérence %s > 0,10. Les poids n’ont pas été modifiés.", cr)
	derived := map[int64]float64{}
	for k, w := range out.Weights {
		id, _ := strconv.ParseInt(k, 10, 64)
		derived[id] = w
	}
	for i := range p.Criteria {
		p.Criteria[i].Derived = percent1(100 * derived[p.Criteria[i].id])
	}
	if out.Worst != nil {
		for i := range p.Pairs {
			pr := &p.Pairs[i]
			if pr.a.ID == out.Worst.A && pr.b.ID == out.Worst.B {
				pr.Worst = true
				ratio := derived[pr.a.ID] / derived[pr.b.ID]
				ref.Worst = fmt.Sprintf("La comparaison la plus incohérente est celle de « %s » et « %s » : vous avez indiqué %s, alors que l’ensemble des comparaisons donne un rapport d’environ %s entre leurs poids.",
					pr.A, pr.B, chosen[[2]int64{pr.a.ID, pr.b.ID}].sentence(pr.A, pr.B), frenchFloat(ratio))
			}
		}
	}
	p.Refused = ref
}

func (s *Server) renderAHP(c *fiber.Ctx, p ahpPage) error {
	return s.render(c, "ahp", pageData{Title: ahpTitle(p), Data: p})
}

// ahpTitle is the title of the AHP page.
func ahpTitle(p ahpPage) string {
	return "Pondération par comparaisons deux à deux — " + p.Relocation.Name
}
