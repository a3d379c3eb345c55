package ui

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// milestoneForm is the body of the milestone form.
type milestoneForm struct {
	Form       formState
	Action     string
	Relocation relocation.Relocation
	Milestone  *relocation.Milestone // nil for a new one
}

// pageNewMilestone shows an empty milestone form for a relocation.
func (s *Server) pageNewMilestone(c *fiber.Ctx) error {
	r, err := s.relocationParam(c)
	if err != nil {
		return err
	}
	if err := s.mayWrite(c, r.ID); err != nil {
		return err
	}
	return s.renderMilestoneForm(c, milestoneForm{Action: fmt.Sprintf("/projets/%d/jalons", r.ID), Relocation: r,
		Form: formState{Values: map[string]string{"kind": "other"}}})
}

// pageEditMilestone shows a milestone's form.
func (s *Server) pageEditMilestone(c *fiber.Ctx) error {
	m, r, err := s.milestoneParam(c)
	if err != nil {
		return err
	}
	if err := s.mayWrite(c, r.ID); err != nil {
		return err
	}
	return s.renderMilestoneForm(c, milestoneForm{Action: fmt.Sprintf("/jalons/%d", m.ID), Relocation: r, Milestone: &m,
		Form: formState{Values: formValues(newMilestoneInput(m)), Version: m.Version}})
}

// formCreateMilestone adds a milestone from the form, then shows its relocation (303).
func (s *Server) formCreateMilestone(c *fiber.Ctx) error {
	r, err := s.relocationParam(c)
	if err != nil {
		return err
	}
	if err := s.mayWrite(c, r.ID); err != nil {
		return err
	}
	var in milestoneInput
	values, problems := bindForm(c, &in)
	problems, err = mergeProblems(problems, s.validate(in))
	if err != nil {
		return err
	}
	form := milestoneForm{Action: fmt.Sprintf("/projets/%d/jalons", r.ID), Relocation: r,
		Form: formState{Values: values, Errors: problems}}
	if len(problems) > 0 {
		return s.renderMilestoneForm(c.Status(fiber.StatusUnprocessableEntity), form)
	}
	_, err = s.store.CreateMilestone(c.UserContext(), s.actor(c), in.apply(relocation.Milestone{RelocationID: r.ID}))
	if err != nil {
		return s.formFailure(c, err, &form.Form, func() error { return s.renderMilestoneForm(c, form) })
	}
	return redirect(c, fmt.Sprintf("/projets/%d#jalons", r.ID))
}

// formUpdateMilestone saves the milestone form over the version it was drawn from.
func (s *Server) formUpdateMilestone(c *fiber.Ctx) error {
	cur, r, err := s.milestoneParam(c)
	if err != nil {
		return err
	}
	if err := s.mayWrite(c, r.ID); err != nil {
		return err
	}
	in := newMilestoneInput(cur)
	values, problems := bindForm(c, &in)
	problems, err = mergeProblems(problems, s.validate(in))
	if err != nil {
		return err
	}
	form := milestoneForm{Action: fmt.Sprintf("/jalons/%d", cur.ID), Relocation: r, Milestone: &cur,
		Form: formState{Values: values, Errors: problems, Version: formVersion(c)}}
	if len(problems) > 0 {
		return s.renderMilestoneForm(c.Status(fiber.StatusUnprocessableEntity), form)
	}
	_, err = s.store.UpdateMilestone(c.UserContext(), s.actor(c), cur.ID, form.Form.Version, in.apply(cur), val(in.Reason))
	if err != nil {
		return s.formFailure(c, err, &form.Form, func() error {
			if relocation.ErrorCode(err) == relocation.EPRECONDITION {
				form.Form.Values, form.Form.Version = formValues(newMilestoneInput(cur)), cur.Version
				form.Form.Problem = s.staleMessage(c, relocation.EntityMilestone, cur.ID)
			}
			return s.renderMilestoneForm(c, form)
		})
	}
	return redirect(c, fmt.Sprintf("/projets/%d#jalons", r.ID))
}

// formDeleteMilestone deletes a milestone (the form carries its version).
func (s *Server) formDeleteMilestone(c *fiber.Ctx) error {
	m, r, err := s.milestoneParam(c)
	if err != nil {
		return err
	}
	if err := s.mayWrite(c, r.ID); err != nil {
		return err
	}
	if err := s.store.DeleteMilestone(c.UserContext(), s.actor(c), m.ID, formVersion(c)); err != nil {
		// Deleting over a newer version: show the milestone as it is now, and who changed it.
		form := milestoneForm{Action: fmt.Sprintf("/jalons/%d", m.ID), Relocation: r, Milestone: &m,
			Form: formState{Values: formValues(newMilestoneInput(m)), Version: m.Version}}
		return s.formFailure(c, err, &form.Form, func() error {
			form.Form.Problem = "Jalon non supprimé. " + s.staleMessage(c, relocation.EntityMilestone, m.ID)
			return s.renderMilestoneForm(c, form)
		})
	}
	return redirect(c, fmt.Sprintf("/projets/%d#jalons", r.ID))
}

// relocationParam loads the relocation named by the :id route parameter.
func (s *Server) relocationParam(c *fiber.Ctx) (relocation.Relocation, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return relocation.Relocation{}, err
	}
	return s.store.Relocation(c.UserContext(), id)
}

// milestoneParam loads the milestone named by :id and its relocation.
func (s *Server) milestoneParam(c *fiber.Ctx) (relocation.Milestone, relocation.Relocation, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return relocation.Milestone{}, relocation.Relocation{}, err
	}
	m, err := s.store.Milestone(c.UserContext(), id)
	if err != nil {
		return m, relocation.Relocation{}, err
	}
	r, err := s.store.Relocation(c.UserContext(), m.RelocationID)
	return m, r, err
}

func (s *Server) renderMilestoneForm(c *fiber.Ctx, f milestoneForm) error {
	title := "Nouveau jalon — " + f.Relocation.Name
	if f.Milestone != nil {
		title = "Modifier le jalon « " + f.Milestone.Title + " »"
	}
	return s.render(c, "milestone_form", pageData{Title: title, Data: f})
}
