package ui

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
)

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
