package tools

import (
	"encoding/json"
	"reflect"
	"sync"

	"github.com/invopop/jsonschema"
)

// Reflecting a tool's input and output schemas costs a few hundred
// microseconds, which for every tool was most of the server's start-up: a
// client waits for it at each launch. schemas_gen.go holds the schemas as
// reflection made them, each entry with a fingerprint of the Go types it
// came from. A tool whose types have changed since falls back to reflection,
// so a stale entry costs start-up time rather than a wrong schema, and
// TestToolSnapshotsSchemaCache fails until the file is regenerated with
//
//	UPDATE_GOLDEN=1 go test ./tools -run TestToolSnapshots
//
// which rewrites the golden snapshots in the same run. A change to the
// reflector itself (its options or Mapper in schema.go) changes no type, so
// the fingerprints cannot see it: that test is what catches it.

// cachedSchema is one tool's entry in schemas_gen.go.
type cachedSchema struct {
	fingerprint uint64
	in, out     string
}

// schemasFor returns the cached input and output schemas of the tool name
// with types in and out, if the cache holds them for exactly these types.
func schemasFor(name string, in, out reflect.Type) (json.RawMessage, json.RawMessage, bool) {
	c, ok := schemaCache[name]
	if !ok || c.fingerprint != typesFingerprint(in, out) {
		return nil, nil, false
	}
	return json.RawMessage(c.in), json.RawMessage(c.out), true
}

// typesFingerprint hashes everything of in and out that reflection reads:
// every type's package, name and kind, field names, tags and embedding,
// down through pointers, slices, maps and nested structs, and whether a type
// shapes its own schema through one of invopop's hook methods. It runs at
// every start, so each type is hashed once per process: the types that all
// tools share (Envelope, Operator, DingTalk's structs) cost nothing after
// the first tool.
func typesFingerprint(in, out reflect.Type) uint64 {
	fingerprints.Lock()
	defer fingerprints.Unlock()
	w := typeWalker{active: map[reflect.Type]bool{}}
	a, _ := w.hash(in)
	b, _ := w.hash(out)
	h := newFNV()
	h.addUint(a)
	h.addUint(b)
	return uint64(h)
}

// fingerprints memoizes the hash of every type whose hash does not depend
// on where the walk entered it (see typeWalker.hash).
var fingerprints = struct {
	sync.Mutex
	m map[reflect.Type]uint64
}{m: map[reflect.Type]uint64{}}

type typeWalker struct {
	active map[reflect.Type]bool // types being hashed, to stop at a cycle
}

// hash returns t's hash and whether it is complete: a type that refers back
// to one being hashed contributes only its name there, which makes the
// result depend on the entry point, so such hashes are not memoized.
func (w *typeWalker) hash(t reflect.Type) (uint64, bool) {
	if v, ok := fingerprints.m[t]; ok {
		return v, true
	}
	h := newFNV()
	h.add(t.PkgPath())
	h.add(t.Name())
	h.add(t.Kind().String())
	if w.active[t] {
		return uint64(h), false
	}
	w.active[t] = true
	defer delete(w.active, t)
	complete := true
	sub := func(u reflect.Type) {
		v, ok := w.hash(u)
		h.addUint(v)
		complete = complete && ok
	}
	for _, hook := range schemaHooks {
		if t.Implements(hook) || reflect.PointerTo(t).Implements(hook) {
			h.add(hook.String())
		}
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		sub(t.Elem())
	case reflect.Map:
		sub(t.Key())
		sub(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			h.add(f.Name)
			h.add(string(f.Tag))
			if f.Anonymous {
				h.add("embedded")
			}
			sub(f.Type)
		}
	}
	if complete {
		fingerprints.m[t] = uint64(h)
	}
	return uint64(h), complete
}

// schemaHooks are the methods through which a type makes or changes its own
// schema in invopop/jsonschema.
var schemaHooks = []reflect.Type{
	reflect.TypeFor[interface{ JSONSchema() *jsonschema.Schema }](),
	reflect.TypeFor[interface{ JSONSchemaExtend(*jsonschema.Schema) }](),
	reflect.TypeFor[interface{ JSONSchemaAlias() any }](),
	reflect.TypeFor[interface{ JSONSchemaProperty(string) any }](),
	reflect.TypeFor[interface{ GetFieldDocString(string) string }](),
}

// fnv is FNV-1a widened to eight bytes a step (with a shift so that high
// bits reach low ones), fed strings without converting them to byte
// slices: the tags it hashes are most of the tools' text, and byte-wise
// FNV took a third of a millisecond at each start.
type fnv uint64

const fnvPrime = 1099511628211

func newFNV() fnv { return 14695981039346656037 }

func (h *fnv) add(s string) {
	x := uint64(*h)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		x = (x ^ w) * fnvPrime
		x ^= x >> 32
	}
	for ; i < len(s); i++ {
		x = (x ^ uint64(s[i])) * fnvPrime
	}
	// The length ends the string, so "ab"+"c" and "a"+"bc" differ.
	*h = fnv((x ^ uint64(len(s))) * fnvPrime)
}

func (h *fnv) addUint(v uint64) {
	x := (uint64(*h) ^ v) * fnvPrime
	*h = fnv(x ^ x>>32)
}
