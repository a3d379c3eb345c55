package ui

import "testing"

// TestLocalPath keeps login redirects on this site, whatever browsers make of the
// characters they ignore.
func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/projets/1":            "/projets/1",
		"/projets/1?journal=2":  "/projets/1?journal=2",
		"":                      "/",
		"projets":               "/",
		"//evil.example":        "/",
		"/\\evil.example":       "/",
		"/\t/evil.example":      "/",
		"/\n/evil.example":      "/",
		"/\r/evil.example":      "/",
		"https://evil.example/": "/",
		"/%09/evil.example":     "/%09/evil.example", // stays an encoded path on this site
		"javascript:alert(1)":   "/",
		"/\x7f/evil.example":    "/",
		"///evil.example":       "/",
		"/a//b":                 "/a//b",
		"http:/\\evil.example":  "/",
		"/ok#frag":              "/ok",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
