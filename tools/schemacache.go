package tools

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// Every tool's input and output schemas are reflected from its Go types
// with invopop/jsonschema ahead of time, not at start-up: reflecting all of
// them took longer than the rest of the server's start, which a client
// waits for at every launch. schemas_gen.go holds them; the test
// TestToolSnapshotsSchemaCache fails when it is out of date with the types,
// and
//
//	UPDATE_GOLDEN=1 go test ./tools -run TestToolSnapshots
//
// rewrites it together with the golden snapshots. The server itself never
// reflects a schema, so the reflector is not even linked into it.

// cachedSchema is one tool's entry in schemas_gen.go.
type cachedSchema struct {
	in, out string
}

// schemasOf returns the input and output schemas the tool name publishes;
// in and out are its types. Tests replace it to publish schemas reflected
// afresh while the table is being regenerated.
var schemasOf = func(name string, in, out reflect.Type) (json.RawMessage, json.RawMessage) {
	c, ok := schemaCache[name]
	if !ok {
		panic(fmt.Sprintf("tools: %s has no schemas in schemas_gen.go; run UPDATE_GOLDEN=1 go test ./tools -run TestToolSnapshots", name))
	}
	return json.RawMessage(c.in), json.RawMessage(c.out)
}
