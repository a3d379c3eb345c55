package ui

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
)

// apiRanking answers the ranking of a relocation's sites with the sensitivity of
// each weight.
func (s *Server) apiRanking(c *fiber.Ctx) error {
	r, err := s.relocationParam(c)
	if err != nil {
		return err
	}
	g, err := s.criteria.Grid(c.UserContext(), r)
	if err != nil {
		return err
	}
	return c.JSON(g.Rank())
}

// ahpInput is the body of POST /relocations/{id}/ahp.
type ahpInput struct {
	Comparisons []comparisonInput `json:"comparisons" validate:"required,min=1,dive"`
}

type comparisonInput struct {
	A     *int64   `json:"a" validate:"gt=0"`
	B     *int64   `json:"b" validate:"gt=0"`
	Value *float64 `json:"value" validate:"gt=0"`
}

// ahpJSON is the answer of POST /relocations/{id}/ahp.
type ahpJSON struct {
	Weights          map[string]float64 `json:"weights"`
	ConsistencyRatio float64            `json:"consistency_ratio"`
	Applied          bool               `json:"applied"`
	Worst            *worstJSON         `json:"worst,omitempty"`
}

type worstJSON struct {
	A int64 `json:"a"`
	B int64 `json:"b"`
}

// apiAHP derives weights from pairwise comparisons of all the relocation's criteria;
// they replace the weights when the consistency ratio is at most 0.10. Otherwise
// nothing changes and the answer names the comparison that departs most.
func (s *Server) apiAHP(c *fiber.Ctx) error {
	r, err := s.relocationParam(c)
	if err != nil {
		return err
	}
	var in ahpInput
	if err := s.readyToWrite(c, r.ID, &in); err != nil {
		return err
	}
	out, err := s.runAHP(c, r.ID, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// runAHP computes AHP over the relocation's criteria and applies the weights when
// consistent enough; shared by the API and the page.
func (s *Server) runAHP(c *fiber.Ctx, relocationID int64, in ahpInput) (ahpJSON, error) {
	cs, err := s.criteria.Criteria(c.UserContext(), relocationID)
	if err != nil {
		return ahpJSON{}, err
	}
	ids := make([]int64, len(cs))
	for i, cr := range cs {
		ids[i] = cr.ID
	}
	comps := make([]criteria.Comparison, len(in.Comparisons))
	for i, cmp := range in.Comparisons {
		comps[i] = criteria.Comparison{A: *cmp.A, B: *cmp.B, Value: *cmp.Value}
	}
	res, err := criteria.AHP(ids, comps)
	var inputErr *criteria.InputError
	if errors.As(err, &inputErr) {
		return ahpJSON{}, relocation.Invalid(relocation.FieldError{Field: "comparisons", Message: inputErr.Message})
	}
	if err != nil {
		return ahpJSON{}, err
	}
	out := ahpJSON{Weights: map[string]float64{}, ConsistencyRatio: res.ConsistencyRatio}
	weights := map[int64]float64{}
	for id, w := range res.Weights {
		out.Weights[strconv.FormatInt(id, 10)] = w
		weights[id] = w * 100
	}
	if res.ConsistencyRatio > criteria.MaxConsistencyRatio {
		if res.Worst != nil {
			out.Worst = &worstJSON{A: res.Worst[0], B: res.Worst[1]}
		}
		return out, nil
	}
	if err := s.criteria.ApplyAHP(c.UserContext(), s.actor(c), relocationID, weights, res.ConsistencyRatio); err != nil {
		return ahpJSON{}, err
	}
	out.Applied = true
	return out, nil
}
