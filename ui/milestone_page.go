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
	return s.drawnForm(c, "milestone_form", "new", "relocations", "", func(id, _ int64) (string, any, error) {
		r, err := s.store.Relocation(c.UserContext(), id)
		title, data := milestoneFormPage(milestoneForm{Action: fmt.Sprintf("/projets/%d/jalons", id), Relocation: r,
			Form: formState{Values: map[string]string{"kind": "other"}}})
		return title, data, err
	})
}

// pageEditMilestone shows a milestone's form.
func (s *Server) pageEditMilestone(c *fiber.Ctx) error {
	return s.drawnForm(c, "milestone_form", "edit", "milestones", relocation.MilestoneNotFound, func(id, relocationID int64) (string, any, error) {
		var m relocation.Milestone
		var r relocation.Relocation
		err := s.snapshot(c, func(rd reader) error {
			var err error
			if m, err = rd.rel.Milestone(c.UserContext(), id); err != nil {
				return err
			}
			r, err = rd.rel.Relocation(c.UserContext(), relocationID)
			return err
		})
		title, data := milestoneFormPage(milestoneForm{Action: fmt.Sprintf("/jalons/%d", id), Relocation: r, Milestone: &m,
			Form: formState{Values: formValues(newInput[milestoneInput](m)), Version: m.Version}})
		return title, data, err
	})
}

// formCreateMilestone adds a milestone from the form, then shows its relocation (303).
func (s *Server) formCreateMilestone(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var values map[string]string
	_, err = s.store.CreateMilestone(c.UserContext(), s.actor(c), id,
		formCreate[relocation.Milestone, milestoneInput](s, c, &values, relocation.Milestone{}))
	if err != nil {
		form := milestoneForm{Action: fmt.Sprintf("/projets/%d/jalons", id), Form: formState{Values: values}}
		return s.formFailure(c, err, &form.Form, func() error {
			if form.Relocation, err = s.store.Relocation(c.UserContext(), id); err != nil {
				return err
			}
			return s.renderMilestoneForm(c, form)
		})
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d#jalons", id), noticeMilestoneCreated)
}

// formUpdateMilestone saves the milestone form over the version it was drawn from.
func (s *Server) formUpdateMilestone(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var values map[string]string
	m, err := s.store.UpdateMilestone(c.UserContext(), s.actor(c), id, formPrecondition(c),
		func(cur relocation.Milestone) (relocation.Milestone, string, error) {
			in := newInput[milestoneInput](cur)
			if err := s.bindValid(c, &in, &values); err != nil {
				return cur, "", err
			}
			return in.apply(cur), in.reason(), nil
		})
	if err != nil {
		return s.redrawMilestoneForm(c, err, id, formState{Values: values, Version: formVersion(c)}, "")
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d#jalons", m.RelocationID), noticeMilestoneSaved)
}

// formDeleteMilestone deletes a milestone (the form carries its version).
func (s *Server) formDeleteMilestone(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cur, err := s.store.Milestone(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteMilestone(c.UserContext(), s.actor(c), id, formPrecondition(c)); err != nil {
		return s.redrawMilestoneForm(c, err, id, formState{}, "Jalon non supprimé. ")
	}
	return s.redirectNotice(c, fmt.Sprintf("/projets/%d#jalons", cur.RelocationID), noticeMilestoneDeleted)
}

// redrawMilestoneForm shows milestone id's form again after an action refused it (see
// formFailure); over a stale version it shows the current values and who changed them.
func (s *Server) redrawMilestoneForm(c *fiber.Ctx, failure error, id int64, f formState, prefix string) error {
	return s.formFailure(c, failure, &f, func() error {
		m, r, err := s.milestoneParam(c)
		if err != nil {
			return err
		}
		s.refreshStale(c, failure, &f, relocation.EntityMilestone, id, formValues(newInput[milestoneInput](m)), m.Version, prefix)
		return s.renderMilestoneForm(c, milestoneForm{Action: fmt.Sprintf("/jalons/%d", id), Relocation: r, Milestone: &m, Form: f})
	})
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
	title, data := milestoneFormPage(f)
	return s.render(c, "milestone_form", pageData{Title: title, Data: data})
}

// milestoneFormPage gives the title and body of the milestone form f.
func milestoneFormPage(f milestoneForm) (string, any) {
	if f.Milestone != nil {
		return "Modifier le jalon « " + f.Milestone.Title + " »", f
	}
	return "Nouveau jalon — " + f.Relocation.Name, f
}
