package ui

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// portfolioRow is one relocation of the portfolio.
type portfolioRow struct {
	Relocation relocation.Relocation
	Next       *relocation.Milestone
	Slip       int
}

// pagePortfolio lists every relocation with its status, target move, next milestone
// and worst slip, in two queries whatever the number of relocations.
func (s *Server) pagePortfolio(c *fiber.Ctx) error {
	rs, err := s.store.Relocations(c.UserContext())
	if err != nil {
		return err
	}
	byRelocation, err := s.store.MilestonesByRelocation(c.UserContext())
	if err != nil {
		return err
	}
	rows := make([]portfolioRow, len(rs))
	for i, r := range rs {
		ms := byRelocation[r.ID]
		rows[i] = portfolioRow{Relocation: r, Slip: relocation.WorstSlip(ms)}
		if next, ok := relocation.NextMilestone(ms); ok {
			rows[i].Next = &next
		}
	}
	return s.render(c, "portfolio", pageData{Title: "Portefeuille des relocalisations", Data: rows})
}

// relocationPage is the body of a relocation's page.
type relocationPage struct {
	Relocation      relocation.Relocation
	RequiredSurface float64
	Computed        bool
	Milestones      []milestoneRow
}

// milestoneRow is a milestone with its status as of today.
type milestoneRow struct {
	relocation.Milestone
	State string
}

// pageRelocation shows a relocation: summary, required surface, milestones.
func (s *Server) pageRelocation(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.store.Relocation(c.UserContext(), id)
	if err != nil {
		return err
	}
	ms, err := s.store.Milestones(c.UserContext(), id)
	if err != nil {
		return err
	}
	page := relocationPage{Relocation: r, Milestones: make([]milestoneRow, len(ms))}
	page.RequiredSurface, page.Computed = r.RequiredSurface()
	today := s.today()
	for i, m := range ms {
		page.Milestones[i] = milestoneRow{Milestone: m, State: m.Status(today)}
	}
	return s.render(c, "relocation", pageData{Title: r.Name, Data: page})
}

// relocationForm is the body of the relocation form.
type relocationForm struct {
	Form       formState
	Action     string
	Relocation *relocation.Relocation // nil for a new one
}

// pageNewRelocation shows an empty relocation form with the defaults.
func (s *Server) pageNewRelocation(c *fiber.Ctx) error {
	in := newRelocationInput(relocation.NewRelocation())
	in.Headcount, in.Slug, in.TargetMove = nil, nil, nil
	return s.renderRelocationForm(c, relocationForm{Action: "/projets", Form: formState{Values: formValues(in)}})
}

// pageEditRelocation shows a relocation's form.
func (s *Server) pageEditRelocation(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.store.Relocation(c.UserContext(), id)
	if err != nil {
		return err
	}
	return s.renderRelocationForm(c, relocationForm{Action: fmt.Sprintf("/projets/%d", id), Relocation: &r,
		Form: formState{Values: formValues(newRelocationInput(r)), Version: r.Version}})
}

// formCreateRelocation creates a relocation from the form, then shows it (303).
func (s *Server) formCreateRelocation(c *fiber.Ctx) error {
	var in relocationInput
	values, problems := bindForm(c, &in)
	problems, err := mergeProblems(problems, s.validate(in))
	if err != nil {
		return err
	}
	form := relocationForm{Action: "/projets", Form: formState{Values: values, Errors: problems}}
	if len(problems) > 0 {
		return s.renderRelocationForm(c.Status(fiber.StatusUnprocessableEntity), form)
	}
	r, err := s.store.CreateRelocation(c.UserContext(), s.actor(c), in.apply(relocation.NewRelocation()))
	if err != nil {
		return s.formFailure(c, err, &form.Form, func() error { return s.renderRelocationForm(c, form) })
	}
	return redirect(c, fmt.Sprintf("/projets/%d", r.ID))
}

// formUpdateRelocation saves the relocation form over the version it was drawn from.
func (s *Server) formUpdateRelocation(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cur, err := s.store.Relocation(c.UserContext(), id)
	if err != nil {
		return err
	}
	in := newRelocationInput(cur)
	values, problems := bindForm(c, &in)
	problems, err = mergeProblems(problems, s.validate(in))
	if err != nil {
		return err
	}
	form := relocationForm{Action: fmt.Sprintf("/projets/%d", id), Relocation: &cur,
		Form: formState{Values: values, Errors: problems, Version: formVersion(c)}}
	if len(problems) > 0 {
		return s.renderRelocationForm(c.Status(fiber.StatusUnprocessableEntity), form)
	}
	_, err = s.store.UpdateRelocation(c.UserContext(), s.actor(c), id, form.Form.Version, in.apply(cur))
	if err != nil {
		return s.formFailure(c, err, &form.Form, func() error {
			if relocation.ErrorCode(err) == relocation.EPRECONDITION {
				form.Form.Values, form.Form.Version = formValues(newRelocationInput(cur)), cur.Version
			}
			return s.renderRelocationForm(c, form)
		})
	}
	return redirect(c, fmt.Sprintf("/projets/%d", id))
}

func (s *Server) renderRelocationForm(c *fiber.Ctx, f relocationForm) error {
	title := "Nouveau projet de relocalisation"
	if f.Relocation != nil {
		title = "Modifier « " + f.Relocation.Name + " »"
	}
	return s.render(c, "relocation_form", pageData{Title: title, Data: f})
}
