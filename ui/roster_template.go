package ui

import (
	"bytes"
	"encoding/csv"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// rosterTemplate answers an empty roster for relocation :id, CSV or .xlsx by :format:
// the header line in French with the relocation's sites as columns (SPEC), ready to
// fill in a spreadsheet and import as is. The workbook's second sheet explains the
// columns; only the first is read on import.
func (s *Server) rosterTemplate(c *fiber.Ctx) error {
	id, _, err := s.relocationRevision(c) // unknown, or not readable by this account
	if err != nil {
		return err
	}
	r, ss, err := relocationAnd(s, c, id, func(rd reader, _ relocation.Relocation) ([]sites.Site, error) {
		return rd.sites.Sites(c.UserContext(), id)
	})
	if err != nil {
		return err
	}
	named := make(sites.RosterSites, len(ss))
	for _, site := range ss {
		named[site.ID] = site.Name
	}
	cols := sites.TemplateColumns(named)
	name := "agents-" + fileSafe(r.Slug)
	var body []byte
	switch c.Params("format") {
	case "csv":
		body, err = templateCSV(cols)
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		name += ".csv"
	case "xlsx":
		body, err = templateXLSX(cols)
		c.Set(fiber.HeaderContentType, xlsxType)
		name += ".xlsx"
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Send(body)
}

// templateCSV writes the header as French Excel opens it: UTF-8 with BOM, semicolons.
func templateCSV(cols []string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(utf8BOM)
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = ';', true
	safe := make([]string, len(cols))
	for i, col := range cols {
		safe[i] = csvText(col)
	}
	if err := w.Write(safe); err != nil {
		return nil, fmt.Errorf("ui: roster template: %w", err)
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// columnHelp explains each column of the template, on the workbook's second sheet.
var columnHelp = [][2]string{
	{"identifiant", "Obligatoire, unique : identifiant pseudonyme de l’agent (lettres sans accent, chiffres, - ou _), jamais son nom."},
	{"commune", "Facultatif : commune du domicile."},
	{"latitude", "Facultatif, avec la longitude : latitude du domicile en degrés décimaux (par exemple 48,8566)."},
	{"longitude", "Facultatif, avec la latitude : longitude du domicile en degrés décimaux (par exemple 2,3522)."},
	{"minutes actuelles", "Facultatif : temps de trajet actuel en minutes ; estimé depuis les coordonnées s’il manque."},
	{"minutes <site>", "Facultatif : temps de trajet mesuré vers ce site, en minutes ; estimé depuis les coordonnées s’il manque."},
}

// templateXLSX writes the header on the first sheet of a workbook, and the columns'
// help on a second.
func templateXLSX(cols []string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet, help = "Agents", "Mode d’emploi"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("ui: roster template: %w", err)
	}
	for i, col := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(sheet, cell, col); err != nil {
			return nil, fmt.Errorf("ui: roster template: %w", err)
		}
	}
	if _, err := f.NewSheet(help); err != nil {
		return nil, fmt.Errorf("ui: roster template: %w", err)
	}
	f.SetCellStr(help, "A1", "Colonne")
	f.SetCellStr(help, "B1", "Contenu (une ligne par agent ; seule la première feuille est importée)")
	for i, h := range columnHelp {
		f.SetCellStr(help, fmt.Sprintf("A%d", i+2), h[0])
		f.SetCellStr(help, fmt.Sprintf("B%d", i+2), h[1])
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, fmt.Errorf("ui: roster template: %w", err)
	}
	return b.Bytes(), nil
}
