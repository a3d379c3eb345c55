package ui

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
)

// criteriaPage is the body of the criteria page and the criterion form.
type criteriaPage struct {
	Relocation relocation.Relocation
	Criteria   []criterionRow
	CanEdit    bool
	Form       formState
	Action     string
	Criterion  *criteria.Criterion // the one being edited
}

// criterionRow is a criterion with its share of the total weight.
type criterionRow struct {
	criteria.Criterion
	Percent float64
}

// pageCriteria lists the relocation's criteria with a form to add one.
// It is drawn once per state (drawn.go).
func (s *Server) pageCriteria(c *fiber.Ctx) error {
	return criteriaForm.drawn(s, c, formState{Values: map[string]string{"direction": criteria.HigherIsBetter,
		"source": criteria.SourceManual, "scale_min": "0", "scale_max": "10"}})
}

// criteriaForm draws the criteria page, over the new criterion's form.
var criteriaForm = formPage[formState]{name: "criteria", data: (*Server).criteriaData}

// criteriaData reads the criteria of relocation id in one snapshot, with the new
// criterion's form f (refused, say): the page's title and body.
func (s *Server) criteriaData(c *fiber.Ctx, id int64, canEdit bool, f formState) (string, any, error) {
	r, cs, err := s.relocationCriteria(c, id)
	if err != nil {
		return "", nil, err
	}
	page := newCriteriaPage(r, cs, f)
	page.CanEdit = canEdit
	return criteriaTitle(r), page, nil
}

// criteriaTitle is the title of the criteria page.
func criteriaTitle(r relocation.Relocation) string { return "Critères — " + r.Name }

// newCriteriaPage writes the criteria page of r: its criteria cs with their share of the
// weights, and the new criterion's form f.
func newCriteriaPage(r relocation.Relocation, cs []criteria.Criterion, f formState) criteriaPage {
	page := criteriaPage{Relocation: r, Form: f, Action: fmt.Sprintf("/projets/%d/criteres", r.ID)}
	active := criteria.Active(cs)
	weights := criteria.WeightsOf(active)
	i := 0 // index of cr in active
	for _, cr := range cs {
		row := criterionRow{Criterion: cr}
		if cr.Active {
			row.Percent = weights.Percent(i)
			i++
		}
		page.Criteria = append(page.Criteria, row)
	}
	return page
}

// formCreateCriterion adds a criterion from the form.
func (s *Server) formCreateCriterion(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var values map[string]string
	_, err = s.criteria.CreateCriterion(c.UserContext(), s.actor(c), id,
		formCreate[criteria.Criterion, criterionInput](s, c, &values, criteria.NewCriterion()))
	if err != nil {
		f := formState{Values: values}
		return s.formFailure(c, err, &f, func() error { return criteriaForm.redraw(s, c, id, f) })
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d/criteres", id), noticeCriterionCreated)
}

// pageEditCriterion shows a criterion's form.
func (s *Server) pageEditCriterion(c *fiber.Ctx) error {
	return s.drawnForm(c, "criterion_form", "edit", "criteria", criteria.NotFound, func(id, relocationID int64) (string, any, error) {
		var cr criteria.Criterion
		var r relocation.Relocation
		err := s.snapshot(c, func(rd reader) error {
			var err error
			if cr, err = rd.criteria.Criterion(c.UserContext(), id); err != nil {
				return err
			}
			r, err = rd.rel.Relocation(c.UserContext(), relocationID)
			return err
		})
		title, data := criterionFormPage(r, cr, formState{Values: formValues(newInput[criterionInput](cr)), Version: cr.Version})
		return title, data, err
	})
}

// formUpdateCriterion saves a criterion (reweighting, say).
func (s *Server) formUpdateCriterion(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var values map[string]string
	cr, err := s.criteria.UpdateCriterion(c.UserContext(), s.actor(c), id, formPrecondition(c), formEdit(s, c, &values, newInput[criterionInput]))
	if err != nil {
		return s.redrawCriterionForm(c, err, id, formState{Values: values, Version: formVersion(c)}, "")
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d/criteres", cr.RelocationID), noticeCriterionSaved)
}

// formDeleteCriterion deletes a criterion and its scores.
func (s *Server) formDeleteCriterion(c *fiber.Ctx) error {
	cur, err := s.criterionParam(c)
	if err != nil {
		return err
	}
	if err := s.criteria.DeleteCriterion(c.UserContext(), s.actor(c), cur.ID, formPrecondition(c)); err != nil {
		return s.redrawCriterionForm(c, err, cur.ID, formState{}, "Critère non supprimé. ")
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d/criteres", cur.RelocationID), noticeCriterionDeleted)
}

// redrawCriterionForm shows criterion id's form again after an action refused it (see
// formFailure); over a stale version it shows the current values and who changed them.
func (s *Server) redrawCriterionForm(c *fiber.Ctx, failure error, id int64, f formState, prefix string) error {
	return s.formFailure(c, failure, &f, func() error {
		cr, err := s.criterionParam(c)
		if err != nil {
			return err
		}
		r, err := s.store.Relocation(c.UserContext(), cr.RelocationID)
		if err != nil {
			return err
		}
		s.refreshStale(c, failure, &f, criteria.EntityCriterion, id, formValues(newInput[criterionInput](cr)), cr.Version, prefix)
		return s.renderCriterionForm(c, r, cr, f)
	})
}

func (s *Server) renderCriterionForm(c *fiber.Ctx, r relocation.Relocation, cr criteria.Criterion, f formState) error {
	title, data := criterionFormPage(r, cr, f)
	return s.render(c, "criterion_form", pageData{Title: title, Data: data})
}

// criterionFormPage gives the title and body of criterion cr's form f.
func criterionFormPage(r relocation.Relocation, cr criteria.Criterion, f formState) (string, any) {
	return "Modifier le critère « " + cr.Name + " »",
		criteriaPage{Relocation: r, Criterion: &cr, Form: f, Action: fmt.Sprintf("/criteres/%d", cr.ID)}
}

// writableCriterion loads the criterion of :id and its relocation, provided the user
// may change it.
func (s *Server) writableCriterion(c *fiber.Ctx) (criteria.Criterion, relocation.Relocation, error) {
	cr, err := s.criterionParam(c)
	if err != nil {
		return cr, relocation.Relocation{}, err
	}
	r, err := s.store.Relocation(c.UserContext(), cr.RelocationID)
	if err != nil {
		return cr, r, err
	}
	return cr, r, s.mayWrite(c, r.ID)
}
