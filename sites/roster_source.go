package sites

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// rowSource yields a roster's records one at a time, whatever the file's format, so that
// a file is never held twice in memory: next returns a record and its line (as a
// spreadsheet numbers them, the first = 1), io.EOF at the end, errFieldCount (with the
// record) when a line has another number of fields than the header, or a *lineError for
// a line that cannot be read at all.
type rowSource interface {
	next() (rec []string, line int, err error)
	// header tells the source the header's width, once found.
	header(width int)
	// separator is the field separator, for messages ("" when the format has none).
	separator() string
	// close frees what the source holds.
	close()
}

// lineError is a line that cannot be read.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return e.msg }

var errFieldCount = errors.New("field count")

// csvSource reads a CSV file through encoding/csv, decoding Windows-1252 and normalising
// line ends on the fly.
type csvSource struct {
	r        *csv.Reader
	comma    rune
	embedded int // line breaks inside the quoted fields read so far: a spreadsheet shows none
}

// newCSVSource returns a source over a roster CSV file, or why it is not a text file this
// parser reads.
func newCSVSource(data []byte) (*csvSource, string) {
	switch {
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")):
		return nil, "Le fichier est un classeur Excel 97-2003 (.xls) : dans Excel, « Enregistrer sous » puis « Classeur Excel (.xlsx) » ou « CSV UTF-8 »."
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		return nil, "Le fichier est encodé en UTF-16 : enregistrez-le au format « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »."
	case bytes.IndexByte(data, 0) >= 0:
		return nil, "Le fichier n’est pas un fichier texte CSV (il contient des octets nuls)."
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, "Le fichier est vide."
	}
	var text io.Reader = bytes.NewReader(data)
	if !utf8.Valid(data) {
		// Not UTF-8: Windows-1252, the encoding of French Excel's « CSV (séparateur : point-virgule) ».
		text = charmap.Windows1252.NewDecoder().Reader(text)
	}
	s := &csvSource{r: csv.NewReader(&lineEnds{r: text}), comma: separatorOf(data)}
	s.r.Comma = s.comma
	s.r.FieldsPerRecord = -1
	s.r.TrimLeadingSpace = true
	return s, ""
}

func (s *csvSource) header(width int) {
	s.r.FieldsPerRecord = width
	s.r.ReuseRecord = true
}

func (s *csvSource) separator() string { return string(s.comma) }

func (s *csvSource) close() {}

func (s *csvSource) next() ([]string, int, error) {
	rec, err := s.r.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	var pe *csv.ParseError
	if err != nil && !errors.As(err, &pe) {
		return nil, 0, &lineError{msg: "Fichier illisible : " + err.Error() + "."} // a decoding failure
	}
	if err != nil && !errors.Is(err, csv.ErrFieldCount) {
		return nil, pe.StartLine - s.embedded, &lineError{line: pe.StartLine - s.embedded, msg: quoteMessage(pe.Err)}
	}
	line, _ := s.r.FieldPos(0)
	line -= s.embedded
	s.embedded += breaks(rec)
	if err != nil {
		return rec, line, errFieldCount
	}
	return rec, line, nil
}

// separatorOf is ';' when the first non-blank line holds one, else ','.
func separatorOf(data []byte) rune {
	for len(data) > 0 {
		line := data
		if i := bytes.IndexAny(data, "\r\n"); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(bytes.TrimSpace(line)) > 0 {
			if bytes.IndexByte(line, ';') >= 0 {
				return ';'
			}
			break
		}
	}
	return ','
}

// lineEnds reads r with every line end (CRLF, or a lone CR as old Mac files have) made LF.
type lineEnds struct {
	r       io.Reader
	afterCR bool
}

func (l *lineEnds) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := l.r.Read(p)
		out := 0
		for _, b := range p[:n] {
			switch {
			case b == '\n' && l.afterCR:
				l.afterCR = false
				continue
			case b == '\r':
				b, l.afterCR = '\n', true
			default:
				l.afterCR = false
			}
			p[out] = b
			out++
		}
		if out > 0 || err != nil {
			return out, err
		}
	}
}
