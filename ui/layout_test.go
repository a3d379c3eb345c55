package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryHandlerFileHasItsTest holds the naming rule of the handlers' tests: each
// ui/X_page.go, X_api.go, X_export.go and X_feeds.go has its X_page_test.go (and so on),
// where the tests of its handlers live, so that from routes.go a handler's test is one
// file name away.
func TestEveryHandlerFileHasItsTest(t *testing.T) {
	var handlers []string
	for _, pattern := range []string{"*_page.go", "*_api.go", "*_export.go", "*_feeds.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		handlers = append(handlers, m...)
	}
	if len(handlers) < 30 {
		t.Fatalf("only %d handler files found (%v): is the test running in ui/?", len(handlers), handlers)
	}
	var missing []string
	for _, f := range handlers {
		test := strings.TrimSuffix(f, ".go") + "_test.go"
		if _, err := os.Stat(test); err != nil {
			missing = append(missing, f+" (no "+test+")")
		}
	}
	if len(missing) > 0 {
		t.Errorf("handler files without their test file:\n  %s", strings.Join(missing, "\n  "))
	}
}
