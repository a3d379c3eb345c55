package ui_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
)

// readExcelCSV checks the French Excel form of a CSV answer and returns its records.
func readExcelCSV(t *testing.T, what string, r apiResp) [][]string {
	t.Helper()
	expect(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	if !strings.HasPrefix(r.raw, "\xEF\xBB\xBF") || !strings.Contains(r.raw, "\r\n") {
		t.Fatalf("%s: no BOM or no CRLF:\n%q", what, r.raw)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.raw, "\xEF\xBB\xBF")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return recs
}
