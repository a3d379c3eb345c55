package ui

import (
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/ministere/tracker/relocation"
)

// excelWorkbook writes t as an Excel workbook (.xlsx) of one sheet: the header in bold,
// frozen and filterable; texts as texts (a text starting with = stays a text: a
// workbook's cell holds a formula only when written as one), numbers as numbers, dates
// as dates shown dd/mm/yyyy; columns as wide as their longest cell (within reason).
func excelWorkbook(t exportTable) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.Sheet
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	dateFormat := "dd/mm/yyyy"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat})
	if err != nil {
		return nil, err
	}
	widths := make([]int, len(t.Header))
	cell := func(col, row int) string { name, _ := excelize.CoordinatesToCellName(col+1, row+1); return name }
	for i, h := range t.Header {
		if err := f.SetCellStr(sheet, cell(i, 0), h); err != nil {
			return nil, err
		}
		widths[i] = utf8.RuneCountInString(h)
	}
	if err := f.SetCellStyle(sheet, cell(0, 0), cell(len(t.Header)-1, 0), bold); err != nil {
		return nil, err
	}
	for r, row := range t.Rows {
		for i, v := range row {
			name := cell(i, r+1)
			var err error
			switch x := v.(type) {
			case string:
				err = f.SetCellStr(sheet, name, x)
				widths[i] = max(widths[i], utf8.RuneCountInString(x))
			case int:
				err = f.SetCellInt(sheet, name, int64(x))
			case float64:
				if !math.IsNaN(x) && !math.IsInf(x, 0) {
					err = f.SetCellFloat(sheet, name, x, -1, 64)
				}
			case relocation.Date:
				if !x.IsZero() {
					if err = f.SetCellValue(sheet, name, x.Time()); err == nil {
						err = f.SetCellStyle(sheet, name, name, date)
					}
					widths[i] = max(widths[i], 10)
				}
			case nil:
			default:
				err = fmt.Errorf("ui: workbook cell of %T", v)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, float64(min(max(w, 8), 60)+2)); err != nil {
			return nil, err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if len(t.Rows) > 0 {
		if err := f.AutoFilter(sheet, cell(0, 0)+":"+cell(len(t.Header)-1, len(t.Rows)), nil); err != nil {
			return nil, err
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
