package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// portfolioExportAll is the most relocations an export lists (all of them, in practice).
const portfolioExportAll = 100_000

// exportPortfolio answers the relocations the portfolio's filter selects (every page)
// as a table: GET /portefeuille.csv?q=…&statut=…&retard=1&mes=1.
func (s *Server) exportPortfolio(ext string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f := readPortfolioFilter(c)
		today := s.today()
		rows, err := s.store.Portfolio(c.UserContext(), f.store(c, today), portfolioExportAll, 0)
		if err != nil {
			return err
		}
		t := exportTable{Sheet: "Portefeuille", Header: []string{"Projet", "Organisme", "Nom de l’organisme", "Origine", "Destination",
			"Statut", "Déménagement visé", "Début de la période", "Fin de la période", "Déménagé le", "Prochain jalon", "Prévu", "En retard",
			"Glissement (jours)", "Agents", "Visibilité", "Page publique"}}
		for _, r := range rows {
			late := r.NextOverdue(today)
			next, planned := any(nil), any(nil)
			if r.NextTitle != "" {
				next, planned = r.NextTitle, r.NextPlanned.Label()
			}
			moved := relocation.Date{}
			if r.MovedOn != nil {
				moved = *r.MovedOn
			}
			public := ""
			if r.IsPublic() {
				public = "/r/" + r.Slug
			}
			t.Rows = append(t.Rows, []any{r.Name, r.Body, r.BodyName, r.Origin, r.Destination,
				relocationStatusLabels[r.Status], r.TargetMove.Label(), r.TargetMove.Start(), r.TargetMove.End(), moved,
				next, planned, yesNo(late), r.Slip, r.Headcount, visibilityLabels[r.Visibility], public})
		}
		return sendExport(c, t, "portefeuille-"+today.String(), ext)
	}
}
