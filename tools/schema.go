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

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// property is what decoding enforces of one parameter's schema. It is read
// from the very schema tools/list publishes, so what a model is told and
// what the server checks cannot drift apart.
type property struct {
	Type        string          `json:"type"`
	Description string          `json:"description"`
	Default     json.RawMessage `json:"default"`
	Enum        []any           `json:"enum"` // json.Number for numbers
	Minimum     json.Number     `json:"minimum"`
	Maximum     json.Number     `json:"maximum"`
	MinLength   *uint64         `json:"minLength"`
	MaxLength   *uint64         `json:"maxLength"`
	MinItems    *uint64         `json:"minItems"`
	MaxItems    *uint64         `json:"maxItems"`
	Pattern     string          `json:"pattern"`
	Items       *property       `json:"items"`
}

// inputSchema is a tool's published input schema together with what
// decoding needs: where each property lives in the Go struct.
type inputSchema struct {
	props    map[string]*property
	order    []string // as published
	required map[string]bool
	fields   map[string][]int // property → field index path
}

// parseInputSchema reads the input schema raw, published for the struct
// type t. A property t has no field for means the schema table is stale.
func parseInputSchema(raw json.RawMessage, t reflect.Type) (*inputSchema, error) {
	var s struct {
		Properties json.RawMessage `json:"properties"`
		Required   []string        `json:"required"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	is := &inputSchema{props: map[string]*property{}, required: map[string]bool{}, fields: map[string][]int{}}
	for _, r := range s.Required {
		is.required[r] = true
	}
	// The properties are read one by one to keep their published order,
	// which error messages list.
	dec := json.NewDecoder(bytes.NewReader(s.Properties))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("properties is not an object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		p := new(property)
		if err := dec.Decode(p); err != nil {
			return nil, fmt.Errorf("property %s: %w", name, err)
		}
		is.props[name] = p
		is.order = append(is.order, name)
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
	for _, name := range is.order {
		if _, ok := is.fields[name]; !ok {
			return nil, fmt.Errorf("property %s has no field in %v", name, t)
		}
	}
	return is, nil
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
				return invalid(name, "%s is required: %s", name, i18n.Msg(prop.Description))
			}
			if prop.Default == nil {
				continue
			}
			raw = prop.Default
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
			return invalid(k, "unknown parameter %q: did you mean %s? Parameter names are case-sensitive.", k, p)
		}
	}
	return invalid(k, "unknown parameter %q; this tool accepts: %s", k, strings.Join(is.order, ", "))
}

// typeError explains a value of the wrong JSON type in the schema's words.
func typeError(name string, prop *property, raw json.RawMessage, err error) error {
	var custom *InputError
	if errors.As(err, &custom) {
		// The types' own checks do not know the parameter's name.
		return &InputError{Field: name, Message: i18n.Msg("%s: %s", name, custom.Message), Hint: custom.Hint}
	}
	return invalid(name, "%s must be %s, got %s", name, describeType(prop), jsonKind(raw))
}

func describeType(p *property) i18n.Message {
	switch p.Type {
	case "string":
		return i18n.Msg("a string")
	case "integer":
		return i18n.Msg("a whole number")
	case "number":
		return i18n.Msg("a number")
	case "boolean":
		return i18n.Msg("true or false")
	case "array":
		if p.Items != nil && p.Items.Type == "array" {
			return i18n.Msg("an array of rows, each an array of strings")
		}
		return i18n.Msg("an array of strings")
	case "object":
		return i18n.Msg("an object")
	}
	return i18n.Msg("a %s", p.Type)
}

func jsonKind(raw json.RawMessage) i18n.Message {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return i18n.Msg("nothing")
	}
	switch t[0] {
	case '"':
		return i18n.Msg("a string")
	case '{':
		return i18n.Msg("an object")
	case '[':
		return i18n.Msg("an array")
	case 't', 'f':
		return i18n.Msg("a boolean")
	}
	return i18n.Msg("the number %s", truncate(string(t), 40))
}

// checkBounds enforces the schema's enum, length, range and item count on
// the decoded value.
func checkBounds(name string, p *property, v reflect.Value) error {
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

func upTo(p *property) i18n.Message {
	if p.Maximum != "" {
		return i18n.Msg(" and at most %s", string(p.Maximum))
	}
	return i18n.Msg("")
}

var patterns sync.Map // pattern → *regexp.Regexp

func checkString(name string, p *property, s string) error {
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
			return invalid(name, "%s has an invalid format (got %q): %s", name, truncate(s, 40), i18n.Msg(p.Description))
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
