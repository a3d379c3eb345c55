package ui

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// cleanValues applies the domain's rules of values to every text and number of the input
// struct in points to (through nested structs and slices, as the API's AHP items): texts
// become NFC or are refused (relocation.CleanText), numbers must pass
// relocation.CheckNumber. It rewrites the texts in place and returns the refused fields,
// named as the validator names them (comparisons[0].value). Both the API (JSON) and the
// forms reach it through Server.validate, so one rule holds for both.
func cleanValues(in any) []relocation.FieldError {
	var out []relocation.FieldError
	cleanValue(reflect.ValueOf(in), "", &out)
	return out
}

// checkCoordinates applies the coordinates' rule (sites.Reach, with no origin to measure
// from: the store measures distances under lock) to the fields of the input struct in
// points to tagged `coordinate:"lat"` and `coordinate:"lon"`: a pair is checked together
// (so that swapped values are said to be swapped), a lone value for its own range (the
// input's check asks for its pair).
func checkCoordinates(in any) []relocation.FieldError {
	v := reflect.Indirect(reflect.ValueOf(in))
	if v.Kind() != reflect.Struct {
		return nil
	}
	var lat, lon *float64
	f := coordinateFieldsOf(v.Type())
	if f.lat >= 0 {
		lat = v.Field(f.lat).Interface().(*float64)
	}
	if f.lon >= 0 {
		lon = v.Field(f.lon).Interface().(*float64)
	}
	latName, lonName := f.latName, f.lonName
	switch {
	case lat != nil && lon != nil:
		return sites.Reach{}.CheckFields(lat, lon, latName, lonName)
	case lat != nil && sites.CheckLatitude(*lat) != "":
		return []relocation.FieldError{{Field: latName, Message: sites.CheckLatitude(*lat)}}
	case lon != nil && sites.CheckLongitude(*lon) != "":
		return []relocation.FieldError{{Field: lonName, Message: sites.CheckLongitude(*lon)}}
	}
	return nil
}

// coordinateFields are where an input type holds its coordinates: the indexes of its
// *float64 fields tagged `coordinate:"lat"` and `coordinate:"lon"` (-1: none) and their
// JSON names.
type coordinateFields struct {
	lat, lon         int
	latName, lonName string
}

// coordinateFieldsByType keeps coordinateFieldsOf's answer per input type.
var coordinateFieldsByType sync.Map // reflect.Type → coordinateFields

// coordinateFieldsOf finds the coordinate fields of struct type t, once per type.
func coordinateFieldsOf(t reflect.Type) coordinateFields {
	if f, ok := coordinateFieldsByType.Load(t); ok {
		return f.(coordinateFields)
	}
	f := coordinateFields{lat: -1, lon: -1}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if sf.Type != reflect.TypeFor[*float64]() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		switch sf.Tag.Get("coordinate") {
		case "lat":
			f.lat, f.latName = i, name
		case "lon":
			f.lon, f.lonName = i, name
		}
	}
	coordinateFieldsByType.Store(t, f)
	return f
}

func cleanValue(v reflect.Value, name string, out *[]relocation.FieldError) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			field, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if field == "" || field == "-" || !t.Field(i).IsExported() {
				continue
			}
			if name != "" {
				field = name + "." + field
			}
			cleanValue(v.Field(i), field, out)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			cleanValue(v.Index(i), fmt.Sprintf("%s[%d]", name, i), out)
		}
	case reflect.String:
		s, err := relocation.CleanText(v.String())
		if err != nil {
			*out = append(*out, relocation.FieldError{Field: name, Message: err.Error()})
			return
		}
		if v.CanSet() {
			v.SetString(s)
		}
	case reflect.Float32, reflect.Float64:
		if err := relocation.CheckNumber(v.Float()); err != nil {
			*out = append(*out, relocation.FieldError{Field: name, Message: err.Error()})
		}
	}
}
