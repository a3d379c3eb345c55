package sites

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits of reading a workbook: what its parts may unzip to (a small file may unzip to
// gigabytes), and what is kept in memory (the rest goes through a temporary file).
const (
	workbookUnzipLimit    = 256 << 20
	workbookInMemoryLimit = 16 << 20
)

// isWorkbook reports whether data is a zip file, as an .xlsx workbook is.
func isWorkbook(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// xlsxSource reads the first sheet of a workbook, a row at a time, cells as stored
// (numbers unformatted: 48.8566, never « 48,86 »).
type xlsxSource struct {
	f     *excelize.File
	rows  *excelize.Rows
	line  int
	width int // the header's, once known: a row is padded to it
}

// newXLSXSource opens a workbook's first sheet, or says why it cannot.
func newXLSXSource(data []byte) (*xlsxSource, string) {
	const unreadable = "Le classeur Excel est illisible : enregistrez-le de nouveau au format .xlsx, ou au format « CSV UTF-8 »."
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: workbookUnzipLimit, UnzipXMLSizeLimit: workbookInMemoryLimit})
	if err != nil {
		return nil, unreadable
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, "Le classeur Excel n’a aucune feuille."
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, unreadable
	}
	return &xlsxSource{f: f, rows: rows}, ""
}

func (s *xlsxSource) header(width int) { s.width = width }

func (s *xlsxSource) separator() string { return "" }

func (s *xlsxSource) next() ([]string, int, error) {
	if s.rows == nil {
		return nil, 0, io.EOF
	}
	if !s.rows.Next() {
		err := s.rows.Error()
		s.close()
		if err != nil {
			return nil, 0, &lineError{line: 0, msg: "La feuille du classeur Excel est illisible au-delà de la ligne " + strconv.Itoa(s.line) + "."}
		}
		return nil, 0, io.EOF
	}
	s.line++
	rec, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, s.line, &lineError{line: s.line, msg: "cellules illisibles."}
	}
	if s.width > 0 {
		for len(rec) > s.width && strings.TrimSpace(rec[len(rec)-1]) == "" {
			rec = rec[:len(rec)-1]
		}
		if len(rec) > s.width {
			return nil, s.line, &lineError{line: s.line, msg: "une valeur dans la colonne " + columnLetter(len(rec)-1) +
				", qui n’a pas de nom dans la ligne d’en-tête : nommez la colonne ou videz-la."}
		}
		for len(rec) < s.width {
			rec = append(rec, "")
		}
	}
	return rec, s.line, nil
}

// close frees the workbook (and its temporary files).
func (s *xlsxSource) close() {
	if s.rows != nil {
		s.rows.Close()
		s.f.Close()
		s.rows = nil
	}
}
