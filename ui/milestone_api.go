package ui

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// apiListMilestones answers a relocation's milestones in planned order.
func (s *Server) apiListMilestones(c *fiber.Ctx) error {
	id, revision, err := s.relocationRevision(c)
	if err != nil {
		return err
	}
	today := s.today()
	return s.keptJSON(c, drawnKey{Page: "api:milestones", ID: id}, revision+"."+today.String(), func() (any, error) {
		var ms []relocation.Milestone
		err := s.snapshot(c, func(rd reader) error { // the milestones and their history
			var err error
			ms, err = rd.rel.Milestones(c.UserContext(), id)
			return err
		})
		out := items[milestoneJSON]{Items: make([]milestoneJSON, len(ms))}
		for i, m := range ms {
			out.Items[i] = toMilestoneJSON(m, today)
		}
		return out, err
	})
}

// apiGetMilestone answers one milestone with its ETag.
func (s *Server) apiGetMilestone(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var m relocation.Milestone
	err = s.snapshot(c, func(rd reader) error { // the milestone and its history
		m, err = rd.rel.Milestone(c.UserContext(), id)
		return err
	})
	if err != nil {
		return err
	}
	setETag(c, m.Version)
	return c.JSON(toMilestoneJSON(m, s.today()))
}

// apiCreateMilestone adds a milestone to a relocation: 201 with Location.
func (s *Server) apiCreateMilestone(c *fiber.Ctx) error {
	relocationID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.store.CreateMilestone(c.UserContext(), s.actor(c), relocationID,
		jsonCreate[relocation.Milestone, milestoneInput](s, c, relocation.Milestone{}))
	if err != nil {
		return err
	}
	setETag(c, m.Version)
	c.Location(fmt.Sprintf("/api/v1/milestones/%d", m.ID))
	return c.Status(fiber.StatusCreated).JSON(toMilestoneJSON(m, s.today()))
}

// apiUpdateMilestone applies a partial update; a change of planned may carry a reason.
func (s *Server) apiUpdateMilestone(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.store.UpdateMilestone(c.UserContext(), s.actor(c), id, ifMatch(c),
		func(cur relocation.Milestone) (relocation.Milestone, string, error) {
			in := newInput[milestoneInput](cur)
			if err := s.decodeValid(c, &in); err != nil {
				return cur, "", err
			}
			return in.apply(cur), in.reason(), nil
		})
	if err != nil {
		return err
	}
	setETag(c, m.Version)
	return c.JSON(toMilestoneJSON(m, s.today()))
}

// apiDeleteMilestone deletes a milestone: 204.
func (s *Server) apiDeleteMilestone(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteMilestone(c.UserContext(), s.actor(c), id, ifMatch(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// apiCalendar answers the calendar of all a relocation's milestones (accounts only).
func (s *Server) apiCalendar(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, ms, err := s.relocationMilestones(c, id)
	if err != nil {
		return err
	}
	return sendCalendar(c, r, ms)
}
