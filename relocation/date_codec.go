package relocation

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Date and FuzzyDate as they travel: JSON (the API) and SQL values (the store). The
// zero value is null both ways.

// MarshalJSON encodes d as "2021-06-15", or null for the zero value.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON decodes a strict ISO date string; null gives the zero value.
func (d *Date) UnmarshalJSON(b []byte) error {
	if strings.TrimSpace(string(b)) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errDate
	}
	return parsed(d, s, ParseDate)
}

// Value implements driver.Valuer: midnight UTC as a time.Time, nil when zero.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.Time(), nil
}

// Scan implements sql.Scanner from a time.Time (its calendar date), an ISO
// string or []byte (a time part after the date is ignored), or nil (zero).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = DateOf(v)
		return nil
	case []byte:
		return d.scanString(string(v))
	case string:
		return d.scanString(v)
	}
	return fmt.Errorf("relocation.Date: cannot scan %T", src)
}

func (d *Date) scanString(s string) error {
	if s == "" {
		*d = Date{}
		return nil
	}
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10]
	}
	return parsed(d, s, ParseDate)
}

// MarshalJSON encodes d as {"value","label","start","end"}, or null when zero.
func (d FuzzyDate) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	if !d.valid() {
		return nil, fmt.Errorf("relocation.FuzzyDate: invalid value %+v", d)
	}
	return json.Marshal(struct {
		Value string `json:"value"`
		Label string `json:"label"`
		Start string `json:"start"`
		End   string `json:"end"`
	}{d.String(), d.Label(), d.Start().String(), d.End().String()})
}

// UnmarshalJSON decodes a canonical string such as "2022-early"; null gives
// the zero value. The object MarshalJSON writes is accepted too (its value).
func (d *FuzzyDate) UnmarshalJSON(b []byte) error {
	if strings.TrimSpace(string(b)) == "null" {
		*d = FuzzyDate{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var obj struct {
			Value *string `json:"value"`
		}
		if json.Unmarshal(b, &obj) != nil || obj.Value == nil {
			return errFuzzy
		}
		s = *obj.Value
	}
	return parsed(d, s, ParseFuzzyDate)
}

// Value implements driver.Valuer: the canonical string, nil when zero.
func (d FuzzyDate) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	if !d.valid() {
		return nil, fmt.Errorf("relocation.FuzzyDate: invalid value %+v", d)
	}
	return d.String(), nil
}

// Scan implements sql.Scanner from a canonical string or []byte; nil or "" gives zero.
func (d *FuzzyDate) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("relocation.FuzzyDate: cannot scan %T", src)
	}
	if s == "" {
		*d = FuzzyDate{}
		return nil
	}
	return parsed(d, s, ParseFuzzyDate)
}

// found returns what a parser found, or the zero value and err when it found nothing
// (ok false): the parsers of dates report why in one error of their own.
func found[T any](v T, ok bool, err error) (T, error) {
	if !ok {
		var zero T
		return zero, err
	}
	return v, nil
}

// parsed sets *dst to what parse reads from s, and leaves it as it was on error.
func parsed[T any](dst *T, s string, parse func(string) (T, error)) error {
	v, err := parse(s)
	if err == nil {
		*dst = v
	}
	return err
}
