package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// rankingPage is the body of the ranking page.
type rankingPage struct {
	rankingView
	CanEdit       bool
	Acceptability acceptabilityView
}

// pageRanking shows the ranking of a relocation's sites: scores, ranks, why a site is
// eliminated or incomplete, the contribution chart with its table, and the sensitivity
// of each weight in words. It takes a fixed number of queries (the relocation, the
// grid's three, the write check), whatever the number of sites.
func (s *Server) pageRanking(c *fiber.Ctx) error {
	return s.drawnPage(c, "ranking", "relocations", "", func(id, _ int64, st relocation.Stamp) (string, any, error) {
		g, err := s.gridOf(c, id)
		if err != nil {
			return "", nil, err
		}
		return "Classement des sites — " + g.Relocation.Name,
			rankingPage{rankingView: newRankingView(&g), CanEdit: st.Writes, Acceptability: newAcceptabilityView(&g)}, nil
	})
}
