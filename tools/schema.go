package tools

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/invopop/jsonschema"
)

// reflector makes the flat schemas every MCP client accepts: no $ref or
// $defs (many clients cannot resolve them), a root of type object, and
// additionalProperties false on every object.
var reflector = &jsonschema.Reflector{Anonymous: true, DoNotReference: true, ExpandedStruct: true, Mapper: mapType}

// mapType gives DingTalk's untyped values (a spreadsheet cell: text, a
// number or a boolean) a schema: invopop would write the bare schema true,
// which strict clients reject.
func mapType(t reflect.Type) *jsonschema.Schema {
	if t.Kind() == reflect.Interface && t.NumMethod() == 0 {
		return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Type: "string"}, {Type: "number"}, {Type: "boolean"}, {Type: "object"}}}
	}
	return nil
}

func reflectSchema(t reflect.Type) *jsonschema.Schema {
	s := reflector.ReflectFromType(t)
	s.Version = "" // some model APIs reject "$schema"; 2020-12 is MCP's default
	return s
}

func schemaOf(t reflect.Type) json.RawMessage {
	b, err := json.Marshal(reflectSchema(t))
	if err != nil {
		panic(fmt.Sprintf("tools: schema of %v: %v", t, err))
	}
	return b
}

// inputSchema is a tool's input schema together with what decoding needs:
// where each property lives in the Go struct.
type inputSchema struct {
	raw      json.RawMessage
	props    map[string]*jsonschema.Schema
	order    []string
	required map[string]bool
	fields   map[string][]int // property → field index path
}

func newInputSchema(t reflect.Type) *inputSchema {
	s := reflectSchema(t)
	raw, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("tools: schema of %v: %v", t, err))
	}
	is := &inputSchema{raw: raw, props: map[string]*jsonschema.Schema{}, required: map[string]bool{}, fields: map[string][]int{}}
	for p := s.Properties.Oldest(); p != nil; p = p.Next() {
		is.props[p.Key] = p.Value
		is.order = append(is.order, p.Key)
	}
	for _, r := range s.Required {
		is.required[r] = true
	}
	for _, f := range reflect.VisibleFields(t) {
		if f.Anonymous || !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		if name != "-" {
			is.fields[name] = f.Index
		}
	}
	return is
}

// decode fills v (an In struct) from args: unknown parameters, missing
// required ones, wrong types and broken bounds are InputErrors that name
// the parameter and what it allows.
func (is *inputSchema) decode(args map[string]json.RawMessage, v reflect.Value) error {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, ok := is.props[k]; !ok {
			return is.unknown(k)
		}
	}
	for _, name := range is.order {
		raw, present := args[name]
		if present && bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			present = false
		}
		prop := is.props[name]
		if !present {
			if is.required[name] {
				return &InputError{Field: name, Message: fmt.Sprintf("%s is required: %s", name, prop.Description)}
			}
			if prop.Default == nil {
				continue
			}
			raw, _ = json.Marshal(prop.Default)
		}
		field := v.FieldByIndex(is.fields[name])
		if err := json.Unmarshal(raw, field.Addr().Interface()); err != nil {
			return typeError(name, prop, raw, err)
		}
		if err := checkBounds(name, prop, field); err != nil {
			return err
		}
	}
	return nil
}

func (is *inputSchema) unknown(k string) error {
	for _, p := range is.order {
		if strings.EqualFold(p, k) || strings.EqualFold(strings.ReplaceAll(p, "_", ""), strings.ReplaceAll(k, "_", "")) {
			return &InputError{Field: k, Message: fmt.Sprintf("unknown parameter %q: did you mean %s? Parameter names are case-sensitive.", k, p)}
		}
	}
	return &InputError{Field: k, Message: fmt.Sprintf("unknown parameter %q; this tool accepts: %s", k, strings.Join(is.order, ", "))}
}

// typeError explains a value of the wrong JSON type in the schema's words.
func typeError(name string, prop *jsonschema.Schema, raw json.RawMessage, err error) error {
	var custom *InputError
	if errors.As(err, &custom) {
		custom.Field = name
		if !strings.HasPrefix(custom.Message, name) {
			custom.Message = name + ": " + custom.Message
		}
		return custom
	}
	return &InputError{Field: name, Message: fmt.Sprintf("%s must be %s, got %s", name, describeType(prop), jsonKind(raw))}
}

func describeType(p *jsonschema.Schema) string {
	switch p.Type {
	case "string":
		return "a string"
	case "integer":
		return "a whole number"
	case "number":
		return "a number"
	case "boolean":
		return "true or false"
	case "array":
		if p.Items != nil && p.Items.Type == "array" {
			return "an array of rows, each an array of strings"
		}
		return "an array of strings"
	case "object":
		return "an object"
	}
	return "a " + p.Type
}

func jsonKind(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	}
	return "the number " + truncate(string(t), 40)
}

// checkBounds enforces the schema's enum, length, range and item count on
// the decoded value.
func checkBounds(name string, p *jsonschema.Schema, v reflect.Value) error {
	switch v.Kind() {
	case reflect.String:
		return checkString(name, p, v.String())
	case reflect.Int, reflect.Int64, reflect.Int32:
		n := v.Int()
		if p.Minimum != "" {
			if lo, _ := strconv.ParseInt(string(p.Minimum), 10, 64); n < lo {
				return invalid(name, "%s must be at least %d%s (got %d)", name, lo, upTo(p), n)
			}
		}
		if p.Maximum != "" {
			if hi, _ := strconv.ParseInt(string(p.Maximum), 10, 64); n > hi {
				return invalid(name, "%s must be at most %d (got %d)", name, hi, n)
			}
		}
		if len(p.Enum) > 0 && !slices.ContainsFunc(p.Enum, func(e any) bool { return fmt.Sprint(e) == strconv.FormatInt(n, 10) }) {
			return invalid(name, "%s must be one of %s (got %d)", name, enumList(p.Enum), n)
		}
	case reflect.Slice:
		n := v.Len()
		if p.MinItems != nil && uint64(n) < *p.MinItems {
			return invalid(name, "%s must have at least %d item(s) (got %d)", name, *p.MinItems, n)
		}
		if p.MaxItems != nil && uint64(n) > *p.MaxItems {
			return invalid(name, "%s must have at most %d items (got %d)", name, *p.MaxItems, n)
		}
		if p.Items != nil && v.Type().Elem().Kind() == reflect.String {
			for i := range n {
				if err := checkString(fmt.Sprintf("%s[%d]", name, i), p.Items, v.Index(i).String()); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func upTo(p *jsonschema.Schema) string {
	if p.Maximum != "" {
		return " and at most " + string(p.Maximum)
	}
	return ""
}

var patterns sync.Map // pattern → *regexp.Regexp

func checkString(name string, p *jsonschema.Schema, s string) error {
	n := utf8.RuneCountInString(s)
	if p.MinLength != nil && uint64(n) < *p.MinLength {
		if *p.MinLength == 1 {
			return invalid(name, "%s must not be empty", name)
		}
		return invalid(name, "%s must be at least %d characters (got %d)", name, *p.MinLength, n)
	}
	if p.MaxLength != nil && uint64(n) > *p.MaxLength {
		return invalid(name, "%s must be at most %d characters (got %d)", name, *p.MaxLength, n)
	}
	if len(p.Enum) > 0 && !slices.ContainsFunc(p.Enum, func(e any) bool { return fmt.Sprint(e) == s }) {
		return invalid(name, "%s must be one of %s (got %q)", name, enumList(p.Enum), truncate(s, 40))
	}
	if p.Pattern != "" {
		re, ok := patterns.Load(p.Pattern)
		if !ok {
			re, _ = patterns.LoadOrStore(p.Pattern, regexp.MustCompile(p.Pattern))
		}
		if !re.(*regexp.Regexp).MatchString(s) {
			return invalid(name, "%s has an invalid format (got %q): %s", name, truncate(s, 40), p.Description)
		}
	}
	return nil
}

func enumList(e []any) string {
	parts := make([]string, len(e))
	for i, v := range e {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ", ")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// fillNilSlices replaces nil slices in v with empty ones: a nil slice
// marshals to null, which breaks an output schema of type array.
func fillNilSlices(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			fillNilSlices(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				fillNilSlices(f)
			}
		}
	case reflect.Slice:
		if v.IsNil() && v.CanSet() {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		}
		for i := range v.Len() {
			fillNilSlices(v.Index(i))
		}
	}
}
