package ui

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/criteria"
)

// apiListCriteria answers a relocation's criteria grid.
func (s *Server) apiListCriteria(c *fiber.Ctx) error {
	r, err := s.relocationParam(c)
	if err != nil {
		return err
	}
	cs, err := s.criteria.Criteria(c.UserContext(), r.ID)
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
	cr, err := s.criteria.UpdateCriterion(c.UserContext(), s.actor(c), id, ifMatch(c), jsonEdit(s, c, newCriterionInput))
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

// apiSetScore enters a manual value: 201 when new, 200 when changed; If-Match honoured.
func (s *Server) apiSetScore(c *fiber.Ctx) error {
	siteID, err := pathID(c, "sid")
	if err != nil {
		return err
	}
	criterionID, err := pathID(c, "cid")
	if err != nil {
		return err
	}
	sc, created, err := s.criteria.SetScore(c.UserContext(), s.actor(c), siteID, criterionID, ifMatch(c),
		func() (float64, string, error) {
			var in scoreInput
			if err := s.decodeValid(c, &in); err != nil {
				return 0, "", err
			}
			return *in.Value, *in.Justification, nil
		})
	if err != nil {
		return err
	}
	setETag(c, sc.Version)
	if created {
		c.Location(fmt.Sprintf("/api/v1/sites/%d/scores/%d", siteID, criterionID))
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(sc)
}

// apiGetScore answers a manual value with its ETag (where PUT's Location points).
func (s *Server) apiGetScore(c *fiber.Ctx) error {
	site, err := s.siteParam(c, "sid")
	if err != nil {
		return err
	}
	criterionID, err := pathID(c, "cid")
	if err != nil {
		return err
	}
	sc, err := s.criteria.Score(c.UserContext(), site.ID, criterionID)
	if err != nil {
		return err
	}
	setETag(c, sc.Version)
	return c.JSON(sc)
}

// criterionParam loads the criterion named by :id.
func (s *Server) criterionParam(c *fiber.Ctx) (criteria.Criterion, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return criteria.Criterion{}, err
	}
	return s.criteria.Criterion(c.UserContext(), id)
}
