package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/ministere/tracker/relocation"
)

// decodeJSON reads the request body into dst, which may hold current values (a PATCH):
// fields present in the body replace them, null clears them. It refuses a body that is
// not JSON (415), malformed or with an unknown field (400), and a value
// of the wrong type (422, naming the field).
func decodeJSON(c *fiber.Ctx, dst any) error {
	mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || (mt != fiber.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
		return relocation.Errorf(relocation.EMEDIATYPE, "Le corps doit être du JSON (Content-Type: application/json).")
	}
	body := c.Body() // within its route's limit: fasthttp refused more (limits.go)
	if hasEscapedNUL(body) {
		return relocation.Errorf(relocation.EINVALID, "Le caractère nul (\\u0000) n’est permis dans aucun champ.")
	}
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] != '{' {
		return relocation.Errorf(relocation.EBADREQUEST, "JSON mal formé : un objet {…} est attendu.")
	}
	if err := checkKeys(body, dst); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return relocation.Errorf(relocation.EBADREQUEST, "JSON mal formé : un seul objet est attendu.")
	}
	return nil
}

// jsonError says in French what is wrong with a JSON body.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return relocation.Errorf(relocation.EBADREQUEST, "JSON mal formé : le corps est vide ou incomplet.")
	case errors.As(err, &syntax):
		return relocation.Errorf(relocation.EBADREQUEST, "JSON mal formé (position %d).", syntax.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return relocation.Invalid(relocation.FieldError{Field: typ.Field, Message: "type invalide : " + frenchType(typ.Type.String())})
	case errors.As(err, &typ):
		return relocation.Errorf(relocation.EBADREQUEST, "JSON mal formé : un objet est attendu.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return relocation.Errorf(relocation.EBADREQUEST, "Champ inconnu ou non modifiable : %q.", name)
	}
	return relocation.Errorf(relocation.EBADREQUEST, "JSON illisible.")
}

// frenchType names a Go type as a French reader expects it.
func frenchType(t string) string {
	t = strings.TrimLeft(t, "*")
	switch {
	case strings.HasPrefix(t, "int"):
		return "nombre entier attendu"
	case strings.HasPrefix(t, "float"):
		return "nombre attendu"
	case t == "string":
		return "texte attendu"
	case t == "bool":
		return "true ou false attendu"
	}
	return fmt.Sprintf("valeur de type %s attendue", t)
}

// pathID reads a positive integer route parameter; anything else is an unknown id (404).
func pathID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, relocation.Errorf(relocation.ENOTFOUND, "Aucune fiche ne porte cet identifiant.")
	}
	return id, nil
}

// setETag sends the version of the resource being answered.
func setETag(c *fiber.Ctx, version int) {
	c.Set(fiber.HeaderETag, `"`+strconv.Itoa(version)+`"`)
}

// jsonMarshal encodes without escaping <, > and & (the API is not HTML).
func jsonMarshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// queryInt reads an integer query parameter, def when absent; ok is false when it is
// present but not a plain integer (« abc », « 1e3 », one too large), so that the caller
// refuses it instead of silently using the default.
func queryInt(c *fiber.Ctx, name string, def int) (int, bool) {
	raw := c.Query(name)
	if raw == "" {
		return def, true
	}
	n, err := strconv.Atoi(raw)
	return n, err == nil
}

// hasEscapedNUL reports whether a JSON text holds the escape \u0000 (a NUL character),
// as opposed to an escaped backslash followed by « u0000 » (C:\\u0000dir).
func hasEscapedNUL(body []byte) bool {
	for i := bytes.Index(body, []byte(`\u0000`)); i >= 0; {
		backslashes := 0
		for j := i - 1; j >= 0 && body[j] == '\\'; j-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return true
		}
		next := bytes.Index(body[i+1:], []byte(`\u0000`))
		if next < 0 {
			return false
		}
		i += 1 + next
	}
	return false
}

// checkKeys refuses (400) a JSON object, at any depth, whose keys repeat, or that names
// a field of the struct it decodes into with another case (encoding/json would take
// « HEADCOUNT » or « ſlug » for the field, and keep the last of two equal keys).
// Malformed JSON is left to the decoder.
func checkKeys(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	err := walkKeys(dec, reflect.TypeOf(dst), "")
	var e *relocation.Error
	if errors.As(err, &e) {
		return err
	}
	return nil // malformed: the decoder says so
}

// walkKeys reads one JSON value from dec, checking the keys of every object in it
// against t (the Go type it decodes into, nil when unknown); at names where it is.
func walkKeys(dec *json.Decoder, t reflect.Type, at string) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := walkKeys(dec, elem, fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	case json.Delim('{'):
	default:
		return nil
	}
	fields := jsonFields(t)
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		name := key
		if at != "" {
			name = at + "." + key
		}
		if seen[key] {
			return relocation.Errorf(relocation.EBADREQUEST, "Champ en double : %q.", name)
		}
		seen[key] = true
		var inner reflect.Type
		if fields != nil {
			f, known := fields[key]
			if !known {
				for k := range fields {
					if strings.EqualFold(k, key) {
						return relocation.Errorf(relocation.EBADREQUEST, "Champ inconnu : %q (les noms de champs respectent la casse : %q).", name, k)
					}
				}
			}
			inner = f
		} else if t != nil && t.Kind() == reflect.Map {
			inner = t.Elem()
		}
		if err := walkKeys(dec, inner, name); err != nil {
			return err
		}
	}
	_, err = dec.Token()
	return err
}

// fieldsOfType keeps jsonFields' answer per struct type: a body's every object asks.
var fieldsOfType sync.Map // reflect.Type → map[string]reflect.Type

// jsonFields returns the JSON names of the fields of struct type t (through pointers),
// with their types; nil when t is not a struct. The map is shared: read it only.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	if out, ok := fieldsOfType.Load(t); ok {
		return out.(map[string]reflect.Type)
	}
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = t.Field(i).Type
		}
	}
	fieldsOfType.Store(t, out)
	return out
}
