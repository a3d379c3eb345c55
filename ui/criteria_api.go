package ui

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/criteria"
)

// apiListCriteria answers a relocation's criteria grid.
func (s *Server) apiListCriteria(c *fiber.Ctx) error {
	cs, err := relocationList(s, c, func(rd reader, id int64) ([]criteria.Criterion, error) {
		return rd.criteria.Criteria(c.UserContext(), id)
	})
	if err != nil {
		return err
	}
	return c.JSON(items[criteria.Criterion]{Items: cs})
}

// apiCreateCriterion adds a criterion to a relocation's grid: 201 with Location.
func (s *Server) apiCreateCriterion(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cr, err := s.criteria.CreateCriterion(c.UserContext(), s.actor(c), id,
		jsonCreate[criteria.Criterion, criterionInput](s, c, criteria.NewCriterion()))
	if err != nil {
		return err
	}
	setETag(c, cr.Version)
	c.Location(fmt.Sprintf("/api/v1/criteria/%d", cr.ID))
	return c.Status(fiber.StatusCreated).JSON(cr)
}

// apiUpdateCriterion applies a partial update (reweighting, say); If-Match is required.
func (s *Server) apiUpdateCriterion(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cr, err := s.criteria.UpdateCriterion(c.UserContext(), s.actor(c), id, ifMatch(c), jsonEdit(s, c, newInput[criterionInput]))
	if err != nil {
		return err
	}
	setETag(c, cr.Version)
	return c.JSON(cr)
}

// apiDeleteCriterion deletes a criterion and its scores: 204.
func (s *Server) apiDeleteCriterion(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.criteria.DeleteCriterion(c.UserContext(), s.actor(c), id, ifMatch(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// scoreInput is the body of PUT /sites/{sid}/scores/{cid}.
type scoreInput struct {
	Value         *float64 `json:"value" validate:"gte=-1000000000,lte=1000000000"`
	Justification *string  `json:"justification" validate:"required,notblank,max=5000"`
}

// criterionParam loads the criterion named by :id.
func (s *Server) criterionParam(c *fiber.Ctx) (criteria.Criterion, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return criteria.Criterion{}, err
	}
	return s.criteria.Criterion(c.UserContext(), id)
}
