package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// formPage is a relocation's page holding a form (its criteria, its partners, the score
// grid, the commute page's roster import): drawn once per state for its GET (drawn.go),
// and for one request alone after a refused form. Both go through data, which reads the
// page of relocation id over the form's state F, for an account that may change the
// relocation (canEdit) or not: its title and body.
type formPage[F any] struct {
	name string // the page's template
	data func(s *Server, c *fiber.Ctx, id int64, canEdit bool, form F) (string, any, error)
}

// drawn answers the page's GET, with blank as the form's state, drawn once per state.
func (p formPage[F]) drawn(s *Server, c *fiber.Ctx, blank F) error {
	return s.drawnPage(c, p.name, "relocations", "", func(id, _ int64, st relocation.Stamp) (string, any, error) {
		return p.data(s, c, id, st.Writes, blank)
	})
}

// redraw answers the page of relocation id with form (refused, say) for this request.
func (p formPage[F]) redraw(s *Server, c *fiber.Ctx, id int64, form F) error {
	return s.renderFor(c, p.name, id, func(canEdit bool) (string, any, error) {
		return p.data(s, c, id, canEdit, form)
	})
}
