package ui

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// apiListMilestones answers a relocation's milestones in planned order.
func (s *Server) apiListMilestones(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.store.Relocation(c.UserContext(), id); err != nil {
		return err
	}
	ms, err := s.store.Milestones(c.UserContext(), id)
	if err != nil {
		return err
	}
	today := s.today()
	out := items[milestoneJSON]{Items: make([]milestoneJSON, len(ms))}
	for i, m := range ms {
		out.Items[i] = toMilestoneJSON(m, today)
	}
	return c.JSON(out)
}

// apiGetMilestone answers one milestone with its ETag.
func (s *Server) apiGetMilestone(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.store.Milestone(c.UserContext(), id)
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
	if _, err := s.store.Relocation(c.UserContext(), relocationID); err != nil {
		return err
	}
	var in milestoneInput
	if err := s.readyToWrite(c, relocationID, &in); err != nil {
		return err
	}
	m, err := s.store.CreateMilestone(c.UserContext(), s.actor(c), in.apply(relocation.Milestone{RelocationID: relocationID}))
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
	cur, err := s.store.Milestone(c.UserContext(), id)
	if err != nil {
		return err
	}
	in := newMilestoneInput(cur)
	version, err := s.readyToChange(c, cur.RelocationID, cur.Version, &in)
	if err != nil {
		return err
	}
	m, err := s.store.UpdateMilestone(c.UserContext(), s.actor(c), id, version, in.apply(cur), val(in.Reason))
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
	cur, err := s.store.Milestone(c.UserContext(), id)
	if err != nil {
		return err
	}
	version, err := s.readyToDelete(c, cur.RelocationID, cur.Version)
	if err != nil {
		return err
	}
	if err := s.store.DeleteMilestone(c.UserContext(), s.actor(c), id, version); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
