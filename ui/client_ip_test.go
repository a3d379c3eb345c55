package ui

import (
	"io"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestClientIPBehindTrustedProxy: behind a trusted proxy, the address counted is the
// last of X-Forwarded-For (the one the proxy appended), never what the client wrote
// before it; from an untrusted peer the header is ignored.
func TestClientIPBehindTrustedProxy(t *testing.T) {
	t.Parallel()
	serve := func(trusted []string) *fiber.App {
		app := fiber.New(fiber.Config{EnableTrustedProxyCheck: true, TrustedProxies: trusted,
			ProxyHeader: proxyHeader(trusted)})
		app.Get("/", func(c *fiber.Ctx) error { return c.SendString(clientIP(c)) })
		return app
	}
	cases := []struct {
		name    string
		trusted []string
		header  string
		want    string
	}{
		{"no proxy", nil, "203.0.113.9", "0.0.0.0"},
		{"untrusted peer", []string{"192.0.2.1"}, "203.0.113.9", "0.0.0.0"},
		{"trusted, one entry", []string{"0.0.0.0"}, "203.0.113.9", "203.0.113.9"},
		{"trusted, client-written entries first", []string{"0.0.0.0"}, "1.1.1.1, 2.2.2.2, 203.0.113.9", "203.0.113.9"},
		{"trusted, garbage last", []string{"0.0.0.0"}, "203.0.113.9, pirate", "203.0.113.9"},
		{"trusted, no header", []string{"0.0.0.0"}, "", "0.0.0.0"},
		{"trusted, IPv6", []string{"0.0.0.0"}, "10.0.0.1, 2001:db8::1", "2001:db8::1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			if tc.header != "" {
				req.Header.Set("X-Forwarded-For", tc.header)
			}
			resp, err := serve(tc.trusted).Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if string(body) != tc.want {
				t.Errorf("client IP = %q, want %q", body, tc.want)
			}
		})
	}
}
