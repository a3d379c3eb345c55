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

// The tables that pages export (portfolio_export.go, milestone_export.go), as an Excel
// workbook (export_xlsx.go) or in the ranking CSV's French Excel form (export_csv.go): UTF-8
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

// yesNo writes a boolean for a spreadsheet: « oui » or « non ».
func yesNo(b bool) string {
	if b {
		return "oui"
	}
	return "non"
}
