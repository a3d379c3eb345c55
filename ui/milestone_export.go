package ui

import "github.com/gofiber/fiber/v2"

// exportMilestones answers a relocation's milestones in planned order as a table:
// GET /projets/{id}/jalons.csv. Whoever may read the relocation's page may export them.
func (s *Server) exportMilestones(ext string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, _, err := s.relocationRevision(c) // unknown, or not readable by this account
		if err != nil {
			return err
		}
		r, ms, err := s.relocationMilestones(c, id)
		if err != nil {
			return err
		}
		today := s.today()
		t := exportTable{Sheet: "Jalons", Header: []string{"Jalon", "Nature", "Prévu", "Début de la période", "Fin de la période",
			"Réalisé le", "Date initiale", "Glissement (jours)", "Statut", "Source", "Lien de la source", "Public", "Notes"}}
		for _, m := range ms {
			link := ""
			if m.SourceURL != nil {
				link = *m.SourceURL
			}
			t.Rows = append(t.Rows, []any{m.Title, milestoneKindLabels[m.Kind], m.Planned.Label(), m.Planned.Start(), m.Planned.End(),
				m.Actual, m.Baseline.Label(), m.SlipDays(), milestoneStatusLabels[m.Status(today)], m.Source, link,
				yesNo(m.Public), m.Notes})
		}
		return sendExport(c, t, "jalons-"+fileSafe(r.Slug), ext)
	}
}
