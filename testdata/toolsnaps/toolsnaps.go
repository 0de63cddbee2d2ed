// Package toolsnaps holds the golden snapshots of tools/list: every tool
// exactly as the server publishes it (name, title, description,
// annotations, input and output schema), <tool>.json in English and
// zh/<tool>.json in Chinese, written by go generate ./... from the tool
// declarations (see package tools, which reads them).
//
// The server embeds and serves these files, so what a reviewer reads in a
// diff is what clients get. That is why this is the one Go package under
// testdata/: the snapshots stay where the project keeps its golden files,
// and go:embed reaches only into its own package's directory.
package toolsnaps

import "embed"

// Files holds every tool's file: <tool>.json, and zh/<tool>.json.
//
//go:embed *.json zh/*.json
var Files embed.FS
