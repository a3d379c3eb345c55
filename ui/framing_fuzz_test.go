package ui

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzBadFraming checks that badFraming never panics and that what it lets through frames
// a body one way: no NUL, no CR but before LF, at most one Transfer-Encoding and then
// exactly chunked and no Content-Length; on a GET or HEAD, no body at all.
func FuzzBadFraming(f *testing.F) {
	for _, s := range []string{
		"Host: t\r\nContent-Length: 2\r\n\r\n",
		"Host: t\r\nTransfer-Encoding: chunked\r\n\r\n",
		"Host: t\r\nTransfer-Encoding: xchunked\r\n\r\n",
		"Host: t\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
		"Host: t\r\nContent-Length: 2\r\nContent-Length: 3\r\n",
		"Host: t\r\nX-A: b\rc\r\n",
		"X-A: \x00\r\n",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, raw []byte, bodyless bool) {
		if badFraming(raw, bodyless) != "" {
			return
		}
		if bytes.IndexByte(raw, 0) >= 0 || bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\r")) &&
			!bytes.HasSuffix(raw, []byte("\r")) {
			t.Fatalf("accepted a NUL or a bare CR: %q", raw)
		}
		encodings, lengths := 0, 0
		for line := range strings.SplitSeq(string(raw), "\n") {
			name, value, ok := strings.Cut(strings.TrimSuffix(line, "\r"), ":")
			if !ok {
				continue
			}
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "transfer-encoding":
				encodings++
				if !strings.EqualFold(strings.TrimSpace(value), "chunked") {
					t.Fatalf("accepted Transfer-Encoding %q", value)
				}
			case "content-length":
				lengths++
				if bodyless && strings.TrimSpace(value) != "0" {
					t.Fatalf("accepted a body of length %q on a bodyless request", value)
				}
			}
		}
		if encodings > 1 || encodings == 1 && (lengths > 0 || bodyless) {
			t.Fatalf("accepted %d Transfer-Encoding and %d Content-Length: %q", encodings, lengths, raw)
		}
	})
}
