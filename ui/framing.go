package ui

import (
	"bytes"

	"github.com/gofiber/fiber/v2"
)

// badFraming returns why raw request headers do not frame the body one single way, or
// "" when they do. Refused (RFC 9112 § 6): two different Content-Length values; a
// Content-Length beside a Transfer-Encoding; a Transfer-Encoding other than exactly
// « chunked » (« xchunked », « gzip, chunked », « chunked, identity »…) or given twice;
// a bare CR or a NUL inside a header (fasthttp reads the line, a proxy may split it); a
// body announced on a request fasthttp reads none of (GET, HEAD: bodyless), which it would
// read as the next request.
func badFraming(raw []byte, bodyless bool) string {
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		return "Un en-tête de la requête contient un octet nul."
	}
	var length []byte
	lengths, encodings := 0, 0
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if bytes.IndexByte(line, '\r') >= 0 {
			return "Un en-tête de la requête contient un retour chariot isolé."
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(bytes.TrimSpace(name), []byte(fiber.HeaderContentLength)):
			if lengths > 0 && !bytes.Equal(value, length) {
				return ambiguousBody
			}
			lengths, length = lengths+1, value
		case bytes.EqualFold(bytes.TrimSpace(name), []byte(fiber.HeaderTransferEncoding)):
			encodings++
			if encodings > 1 {
				return "La requête porte plusieurs en-têtes Transfer-Encoding : un seul est permis, « chunked »."
			}
			if !bytes.EqualFold(value, []byte("chunked")) {
				return "Transfer-Encoding non pris en charge : seul « chunked » est accepté."
			}
		}
	}
	if lengths > 0 && encodings > 0 {
		return ambiguousBody
	}
	if bodyless && (encodings > 0 || lengths > 0 && !bytes.Equal(length, []byte("0"))) {
		return "Une requête GET ou HEAD ne porte pas de corps."
	}
	return ""
}

const ambiguousBody = "La longueur du corps est ambiguë (plusieurs Content-Length différents, ou Content-Length avec Transfer-Encoding)."
