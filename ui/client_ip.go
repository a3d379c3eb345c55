package ui

import (
	"net"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// clientIP is the address a request comes from, as login throttling counts it. Directly,
// the connection's. Through a trusted proxy (Config.TrustedProxies), the last valid
// address of X-Forwarded-For: the one that proxy appended, the client it saw. The
// entries before it are whatever the client sent, so Fiber's c.IP() — which returns the
// header as sent — would let a guesser choose the address its failures are counted
// under. Behind a chain of proxies, the last is the one before the trusted proxy: trust
// the chain's last hop only (operations guide).
func clientIP(c *fiber.Ctx) string {
	remote := c.Context().RemoteIP().String()
	if !c.IsProxyTrusted() || c.App().Config().ProxyHeader == "" {
		return remote
	}
	entries := strings.Split(c.Get(c.App().Config().ProxyHeader), ",")
	for i := len(entries) - 1; i >= 0; i-- {
		if ip := net.ParseIP(strings.TrimSpace(entries[i])); ip != nil {
			return ip.String()
		}
	}
	return remote
}
