package ui

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/criteria"
)

// apiRanking answers the ranking of a relocation's sites with the sensitivity of
// each weight.
// The answer is kept between changes of the relocation (keptJSON).
func (s *Server) apiRanking(c *fiber.Ctx) error {
	id, revision, err := s.relocationRevision(c)
	if err != nil {
		return err
	}
	return s.keptJSON(c, drawnKey{Page: "api:ranking", ID: id}, revision, s.fromGrid(c, id, func(g criteria.Grid) (any, error) {
		return g.Rank(), nil
	}))
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
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	out, err := s.criteria.ApplyAHP(c.UserContext(), s.actor(c), id, func([]criteria.Criterion) ([]criteria.Comparison, error) {
		var in ahpInput
		if err := s.decodeValid(c, &in); err != nil {
			return nil, err
		}
		return in.comparisons(), nil
	})
	if err != nil {
		return err
	}
	return c.JSON(toAHPJSON(out))
}

// comparisons turns the validated input into the engine's.
func (in ahpInput) comparisons() []criteria.Comparison {
	comps := make([]criteria.Comparison, len(in.Comparisons))
	for i, cmp := range in.Comparisons {
		comps[i] = criteria.Comparison{A: *cmp.A, B: *cmp.B, Value: *cmp.Value}
	}
	return comps
}

// toAHPJSON writes an AHP outcome as the API answers it.
func toAHPJSON(o criteria.AHPOutcome) ahpJSON {
	out := ahpJSON{Weights: map[string]float64{}, ConsistencyRatio: o.ConsistencyRatio, Applied: o.Applied}
	for id, w := range o.Weights {
		out.Weights[strconv.FormatInt(id, 10)] = w
	}
	if !o.Applied && o.Worst != nil {
		out.Worst = &worstJSON{A: o.Worst[0], B: o.Worst[1]}
	}
	return out
}
