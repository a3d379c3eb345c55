package ui

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// The portfolio's and a relocation's milestones' exports, as an Excel workbook
// (export_xlsx.go) or in the ranking CSV's French Excel form (export_csv.go): UTF-8
// with BOM, semicolons, CRLF, decimal commas, text cells guarded against formulas. Dates are written dd/mm/yyyy, which French Excel reads
// as dates; an approximate date is its label (« début 2022 ») with its first and last day.

// exportTable is a table to export: its header and rows of cells, each a text or a
// number (float64, int) or a date (relocation.Date; zero is an empty cell).
type exportTable struct {
	Sheet  string // the workbook's sheet name
	Header []string
	Rows   [][]any
}

// excelCSV writes t as French Excel CSV.
func excelCSV(t exportTable) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	w := csv.NewWriter(&buf)
	w.Comma, w.UseCRLF = ';', true
	header := make([]string, len(t.Header))
	for i, h := range t.Header {
		header[i] = csvText(h)
	}
	if err := w.Write(header); err != nil {
		return nil, err
	}
	rec := make([]string, len(t.Header))
	for _, row := range t.Rows {
		for i, cell := range row {
			rec[i] = csvCell(cell)
		}
		if err := w.Write(rec[:len(row)]); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// csvCell writes one cell of an exportTable.
func csvCell(v any) string {
	switch x := v.(type) {
	case string:
		return csvText(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		return csvNumber(x)
	case relocation.Date:
		if x.IsZero() {
			return ""
		}
		return fmt.Sprintf("%02d/%02d/%04d", x.Day, int(x.Month), x.Year)
	case nil:
		return ""
	}
	panic(fmt.Sprintf("ui: csvCell of %T", v))
}

// sendExport answers t as a download named name.ext, in format ext: csv (French Excel
// CSV) or xlsx (an Excel workbook).
func sendExport(c *fiber.Ctx, t exportTable, name, ext string) error {
	var (
		b   []byte
		err error
	)
	switch ext {
	case "csv":
		b, err = excelCSV(t)
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	case "xlsx":
		b, err = excelWorkbook(t)
		c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	default:
		return relocation.Errorf(relocation.ENOTFOUND, "Ce format d’export n’existe pas.")
	}
	if err != nil {
		return fmt.Errorf("ui: export %s.%s: %w", name, ext, err)
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.`+ext+`"`)
	return c.Send(b)
}

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
			if r.Visibility == "public" {
				public = "/r/" + r.Slug
			}
			t.Rows = append(t.Rows, []any{r.Name, r.Body, r.BodyName, r.Origin, r.Destination,
				relocationStatusLabels[r.Status], r.TargetMove.Label(), r.TargetMove.Start(), r.TargetMove.End(), moved,
				next, planned, yesNo(late), r.Slip, r.Headcount, visibilityLabels[r.Visibility], public})
		}
		return sendExport(c, t, "portefeuille-"+today.String(), ext)
	}
}

// exportMilestones answers a relocation's milestones in planned order as a table:
// GET /projets/{id}/jalons.csv. Whoever may read the relocation's page may export them.
func (s *Server) exportMilestones(ext string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		if _, err := s.store.Stamp(c.UserContext(), s.actor(c), id); err != nil {
			return err
		}
		var (
			r  relocation.Relocation
			ms []relocation.Milestone
		)
		err = s.snapshot(c, func(rd reader) error {
			var err error
			if r, err = rd.rel.Relocation(c.UserContext(), id); err != nil {
				return err
			}
			ms, err = rd.rel.Milestones(c.UserContext(), id)
			return err
		})
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

// yesNo writes a boolean for a spreadsheet: « oui » or « non ».
func yesNo(b bool) string {
	if b {
		return "oui"
	}
	return "non"
}
