package ui

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// exportRankingCSV answers the score matrix and the ranking as a CSV file French Excel
// opens as is: UTF-8 with BOM, semicolons, CRLF, decimal commas. One row per site, in
// the ranking's order: Site; Statut; Rang; Score; for each criterion its value and its
// contribution; the criteria that eliminate it; those it misses.
// The file is kept between changes of the relocation (drawn.go); its name follows the
// slug, which a change of the relocation raises the revision of, like any other.
func (s *Server) exportRankingCSV(c *fiber.Ctx) error {
	id, revision, err := s.relocationRevision(c)
	if err != nil {
		return err
	}
	d, err := s.drawings.get(drawnKey{Page: "csv:ranking", ID: id}, revision, func() (drawing, error) {
		g, err := s.gridOf(c, id)
		if err != nil {
			return drawing{}, err
		}
		b, err := rankingCSV(newRankingView(&g))
		return drawing{title: g.Relocation.Slug, parts: [][]byte{b}}, err
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="classement-`+fileSafe(d.title)+`.csv"`)
	return c.Send(d.parts[0])
}

// rankingCSV writes the view as CSV.
func rankingCSV(v rankingView) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	w := csv.NewWriter(&buf)
	w.Comma, w.UseCRLF = ';', true
	header := []string{"Site", "Statut", "Rang", "Score"}
	for _, c := range v.Criteria {
		header = append(header, csvText(c.Name+" (valeur)"), csvText(c.Name+" (contribution)"))
	}
	header = append(header, "Écarté par", "Manque")
	if err := w.Write(header); err != nil {
		return nil, err
	}
	for _, row := range v.Rows {
		rec := []string{csvText(row.Name), row.Outcome, "", ""}
		if row.rank != nil {
			rec[2] = strconv.Itoa(*row.rank)
		}
		if row.score != nil {
			rec[3] = csvNumber(*row.score)
		}
		for _, cell := range row.Cells {
			value, weighted := "", ""
			if cell.value != nil {
				value, weighted = csvNumber(*cell.value), csvNumber(*cell.weighted)
			}
			rec = append(rec, value, weighted)
		}
		rec = append(rec, csvText(strings.Join(row.EliminBy, ", ")), csvText(strings.Join(row.MissingFor, ", ")))
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
