// Package packaging holds the checks of the files that ship the server
// outside Go: the container image, the release archives, the desktop
// extension, the npm packages and the MCP registry entry. .ci/packaging
// builds and runs each of them.
package packaging

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/yosida95/uritemplate/v3"
)

// serverJSON names one more server.json to validate, such as the one
// .ci/packaging writes with the desktop extension's sha256 filled in:
//
//	go test ./packaging -run TestServerJSONSchema -args -server-json=dist/server.json
var serverJSON = flag.String("server-json", "", "also validate this server.json against the schema")

const (
	schemaFile   = "testdata/server.schema.json"
	schemaURL    = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"
	schemaSHA256 = "b482eb1ff78a30d9a2df3bfbd549637e61cd60db23aef95a2c3c9ec498003ab3"
	serverName   = "io.github.dingtalk-mcp/dingtalk-mcp"
	npmPackage   = "@dingtalk-mcp/dingtalk-mcp"
)

// npmPlatforms are the per-platform npm packages, by directory under npm/.
var npmPlatforms = []string{"darwin-arm64", "darwin-x64", "linux-arm64", "linux-x64", "win32-arm64", "win32-x64"}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	if err := json.Unmarshal(read(t, path), v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// compileSchema compiles the registry's schema from testdata, asserting
// its formats (uri, uri-template).
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	raw := read(t, schemaFile)
	if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != schemaSHA256 {
		t.Fatalf("%s changed: sha256 %x, want %s (see testdata/README.md)", schemaFile, sum, schemaSHA256)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	// The library's own uri-template check allows variables in the path
	// only; RFC 6570, and the schema's own examples of remotes, put them in
	// the host too ("https://{tenant_id}.api.example.com/mcp").
	c.RegisterFormat(&jsonschema.Format{Name: "uri-template", Validate: func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		_, err := uritemplate.New(s)
		return err
	}})
	if err := c.AddResource(schemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestServerJSONSchema(t *testing.T) {
	t.Parallel()
	sch := compileSchema(t)
	files := []string{"../server.json"}
	if *serverJSON != "" {
		files = append(files, *serverJSON)
	}
	for _, f := range files {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(read(t, f)))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s does not match the 2025-12-11 schema:\n%v", f, err)
		}
	}
}

// TestServerJSONSchemaRejects proves the validator is awake: each change
// breaks a rule of the schema and must be refused.
func TestServerJSONSchemaRejects(t *testing.T) {
	t.Parallel()
	sch := compileSchema(t)
	tests := []struct {
		name   string
		change func(m map[string]any)
	}{
		{"description over 100 characters", func(m map[string]any) { m["description"] = strings.Repeat("x", 101) }},
		{"name without a slash", func(m map[string]any) { m["name"] = "io.github.dingtalk-mcp" }},
		{"no version", func(m map[string]any) { delete(m, "version") }},
		{"package without transport", func(m map[string]any) { delete(pkg(m, 1), "transport") }},
		{"package version latest", func(m map[string]any) { pkg(m, 1)["version"] = "latest" }},
		{"isSecret not a boolean", func(m map[string]any) { env(pkg(m, 1), 1)["isSecret"] = "yes" }},
		{"fileSha256 not hex", func(m map[string]any) { pkg(m, 2)["fileSha256"] = "not-a-sha" }},
		{"remote of an unknown transport", func(m map[string]any) { m["remotes"].([]any)[0].(map[string]any)["type"] = "websocket" }},
		{"remote URL not a template", func(m map[string]any) { m["remotes"].([]any)[0].(map[string]any)["url"] = "https://{host/mcp" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var m map[string]any
			readJSON(t, "../server.json", &m)
			tt.change(m)
			b, _ := json.Marshal(m)
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err == nil {
				t.Error("the schema accepted it")
			}
		})
	}
}

func pkg(m map[string]any, i int) map[string]any { return m["packages"].([]any)[i].(map[string]any) }
func env(p map[string]any, i int) map[string]any {
	return p["environmentVariables"].([]any)[i].(map[string]any)
}

// registryEntry is the part of server.json these tests read.
type registryEntry struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Version     string `json:"version"`
	Packages    []struct {
		RegistryType         string `json:"registryType"`
		Identifier           string `json:"identifier"`
		Version              string `json:"version"`
		EnvironmentVariables []struct {
			Name     string `json:"name"`
			IsSecret bool   `json:"isSecret"`
		} `json:"environmentVariables"`
	} `json:"packages"`
	Remotes []struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	} `json:"remotes"`
}

type npmManifest struct {
	Name                 string            `json:"name"`
	Version              string            `json:"version"`
	MCPName              string            `json:"mcpName"`
	Bin                  map[string]string `json:"bin"`
	OptionalDependencies map[string]string `json:"optionalDependencies"`
	OS                   []string          `json:"os"`
	CPU                  []string          `json:"cpu"`
}

type mcpbManifest struct {
	ManifestVersion string `json:"manifest_version"`
	Name            string `json:"name"`
	Version         string `json:"version"`
	Server          struct {
		Type      string `json:"type"`
		MCPConfig struct {
			Command           string                       `json:"command"`
			Args              []string                     `json:"args"`
			Env               map[string]string            `json:"env"`
			PlatformOverrides map[string]map[string]string `json:"platform_overrides"`
		} `json:"mcp_config"`
	} `json:"server"`
	Compatibility struct {
		Platforms []string `json:"platforms"`
	} `json:"compatibility"`
	UserConfig map[string]struct {
		Type      string `json:"type"`
		Sensitive bool   `json:"sensitive"`
	} `json:"user_config"`
}

// TestOneVersion: VERSION is the version; every file that states one
// states the same.
func TestOneVersion(t *testing.T) {
	t.Parallel()
	want := strings.TrimSpace(string(read(t, "../VERSION")))
	if !regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`).MatchString(want) {
		t.Fatalf("VERSION %q is not a semantic version", want)
	}
	got := map[string]string{}

	var entry registryEntry
	readJSON(t, "../server.json", &entry)
	got["server.json version"] = entry.Version
	for _, p := range entry.Packages {
		switch p.RegistryType {
		case "oci":
			got["server.json oci image tag"] = p.Identifier[strings.LastIndexByte(p.Identifier, ':')+1:]
		case "npm":
			got["server.json npm version"] = p.Version
		case "mcpb":
			got["server.json mcpb version"] = p.Version
			m := regexp.MustCompile(`/releases/download/v([^/]+)/dingtalk-mcp-([^/]+)\.mcpb$`).FindStringSubmatch(p.Identifier)
			if m == nil {
				t.Errorf("server.json mcpb identifier %q is not .../releases/download/v<version>/dingtalk-mcp-<version>.mcpb", p.Identifier)
				continue
			}
			got["server.json mcpb release tag"], got["server.json mcpb file name"] = m[1], m[2]
		}
	}

	var ext mcpbManifest
	readJSON(t, "mcpb/manifest.json", &ext)
	got["mcpb/manifest.json version"] = ext.Version

	var main npmManifest
	readJSON(t, "npm/dingtalk-mcp/package.json", &main)
	got["npm/dingtalk-mcp version"] = main.Version
	for _, p := range npmPlatforms {
		var m npmManifest
		readJSON(t, "npm/dingtalk-mcp-"+p+"/package.json", &m)
		got["npm/dingtalk-mcp-"+p+" version"] = m.Version
		got["npm/dingtalk-mcp optionalDependencies "+m.Name] = main.OptionalDependencies[m.Name]
	}

	label := regexp.MustCompile(`org\.opencontainers\.image\.version="([^"]*)"`).FindSubmatch(read(t, "../Containerfile"))
	if label == nil {
		t.Error("Containerfile has no org.opencontainers.image.version label")
	} else {
		got["Containerfile label org.opencontainers.image.version"] = string(label[1])
	}

	// The README's install commands name the release.
	readme := read(t, "../README.md")
	for i, m := range regexp.MustCompile(`dingtalk-mcp:(\d[^\s"]*)|releases/download/v([^/\s]+)/|dingtalk-mcp_([0-9][^_\s]*)_|dingtalk-mcp-(\d[^\s]*)\.mcpb`).FindAllSubmatch(readme, -1) {
		got[fmt.Sprintf("README.md mention %d: %s", i+1, m[0])] = string(bytes.Join(m[1:], nil))
	}

	wantAll := map[string]string{}
	for k := range got {
		wantAll[k] = want
	}
	if diff := cmp.Diff(wantAll, got); diff != "" {
		t.Errorf("files disagree with VERSION %s (-want +got):\n%s", want, diff)
	}

	// GoReleaser takes the version from the tag, or from VERSION for a
	// snapshot, and links it in under the names version.go declares.
	gr := string(read(t, "../.goreleaser.yaml"))
	for _, s := range []string{`readFile "VERSION"`, "-X main.linkedVersion={{ .Version }}", "-X main.linkedCommit="} {
		if !strings.Contains(gr, s) {
			t.Errorf(".goreleaser.yaml lacks %s", s)
		}
	}
}

// TestOneName: the registry name, the npm package's mcpName, the image
// label and the module path name the same server.
func TestOneName(t *testing.T) {
	t.Parallel()
	module := regexp.MustCompile(`(?m)^module github\.com/([^/\s]+)/([^/\s]+)$`).FindSubmatch(read(t, "../go.mod"))
	if module == nil {
		t.Fatal("go.mod: no github.com module path")
	}
	if want := "io.github." + string(module[1]) + "/" + string(module[2]); want != serverName {
		t.Fatalf("the module path gives %s, the tests expect %s", want, serverName)
	}
	var entry registryEntry
	readJSON(t, "../server.json", &entry)
	var main npmManifest
	readJSON(t, "npm/dingtalk-mcp/package.json", &main)
	label := regexp.MustCompile(`io\.modelcontextprotocol\.server\.name="([^"]*)"`).FindSubmatch(read(t, "../Containerfile"))
	got := map[string]string{"server.json name": entry.Name, "npm mcpName": main.MCPName}
	if label != nil {
		got["Containerfile label"] = string(label[1])
	}
	want := map[string]string{"server.json name": serverName, "npm mcpName": serverName, "Containerfile label": serverName}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("names disagree (-want +got):\n%s", diff)
	}
	if main.Name != npmPackage || main.Bin["dingtalk-mcp"] == "" {
		t.Errorf("npm package %q with bin %v, want %s with a dingtalk-mcp command", main.Name, main.Bin, npmPackage)
	}
}

// TestRegistryEntry checks what the schema cannot: which packages are
// listed and that the secret is marked secret everywhere.
func TestRegistryEntry(t *testing.T) {
	t.Parallel()
	var entry registryEntry
	readJSON(t, "../server.json", &entry)
	if n := len([]rune(entry.Description)); n > 100 {
		t.Errorf("description has %d characters, at most 100", n)
	}
	var types []string
	for _, p := range entry.Packages {
		types = append(types, p.RegistryType)
		if p.RegistryType == "npm" && p.Identifier != npmPackage {
			t.Errorf("npm package %q, want %s", p.Identifier, npmPackage)
		}
		env := map[string]bool{}
		for _, e := range p.EnvironmentVariables {
			env[e.Name] = e.IsSecret
		}
		want := map[string]bool{"DINGTALK_APP_KEY": false, "DINGTALK_APP_SECRET": true, "DINGTALK_AGENT_ID": false, "DINGTALK_OPERATOR_ID": false}
		if diff := cmp.Diff(want, env); diff != "" {
			t.Errorf("%s package environment variables (name: isSecret) (-want +got):\n%s", p.RegistryType, diff)
		}
	}
	if diff := cmp.Diff([]string{"oci", "npm", "mcpb"}, types); diff != "" {
		t.Errorf("package types (-want +got):\n%s", diff)
	}
	if len(entry.Remotes) != 1 || entry.Remotes[0].Type != "streamable-http" {
		t.Fatalf("remotes %+v, want one streamable-http remote", entry.Remotes)
	}
	tmpl, err := uritemplate.New(entry.Remotes[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	expanded, err := tmpl.Expand(uritemplate.Values{"host": uritemplate.String("mcp.example.com")})
	if u, perr := url.Parse(expanded); err != nil || perr != nil || u.Scheme != "https" || u.Path != "/mcp" {
		t.Errorf("remote URL %s expands to %q (%v, %v), want https://<host>/mcp", entry.Remotes[0].URL, expanded, err, perr)
	}
}

// TestExtensionManifest checks the desktop extension's manifest against
// the server's flags and the binaries the bundle carries.
func TestExtensionManifest(t *testing.T) {
	t.Parallel()
	var m mcpbManifest
	readJSON(t, "mcpb/manifest.json", &m)
	if m.ManifestVersion != "0.3" || m.Server.Type != "binary" {
		t.Errorf("manifest_version %q, server.type %q; want 0.3, binary", m.ManifestVersion, m.Server.Type)
	}
	cfg := m.Server.MCPConfig
	if diff := cmp.Diff([]string{"--sandbox=${user_config.demo_organisation}"}, cfg.Args); diff != "" {
		t.Errorf("args (-want +got):\n%s", diff)
	}
	if c := m.UserConfig["demo_organisation"]; c.Type != "boolean" {
		t.Errorf("user_config.demo_organisation is %q, want boolean", c.Type)
	}
	wantEnv := map[string]string{
		"DINGTALK_APP_KEY":     "${user_config.app_key}",
		"DINGTALK_APP_SECRET":  "${user_config.app_secret}",
		"DINGTALK_AGENT_ID":    "${user_config.agent_id}",
		"DINGTALK_OPERATOR_ID": "${user_config.operator_id}",
	}
	if diff := cmp.Diff(wantEnv, cfg.Env); diff != "" {
		t.Errorf("env (-want +got):\n%s", diff)
	}
	sensitive := map[string]bool{}
	for k, c := range m.UserConfig {
		sensitive[k] = c.Sensitive
	}
	if diff := cmp.Diff(map[string]bool{"app_key": false, "app_secret": true, "agent_id": false, "operator_id": false, "demo_organisation": false}, sensitive); diff != "" {
		t.Errorf("user_config (key: sensitive) (-want +got):\n%s", diff)
	}
	// Every platform the manifest claims has its own binary path.
	commands := map[string]string{"linux": cfg.Command}
	for p, o := range cfg.PlatformOverrides {
		commands[p] = o["command"]
	}
	want := map[string]string{
		"linux":  "${__dirname}/server/linux/dingtalk-mcp",
		"darwin": "${__dirname}/server/darwin/dingtalk-mcp",
		"win32":  "${__dirname}/server/win32/dingtalk-mcp.exe",
	}
	if diff := cmp.Diff(want, commands); diff != "" {
		t.Errorf("commands by platform (-want +got):\n%s", diff)
	}
	var platforms []string
	for p := range want {
		platforms = append(platforms, p)
	}
	if diff := cmp.Diff(platforms, m.Compatibility.Platforms, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("compatibility.platforms (-want +got):\n%s", diff)
	}
}

// TestNPMPlatformPackages: each platform package installs only where its
// binary runs.
func TestNPMPlatformPackages(t *testing.T) {
	t.Parallel()
	for _, p := range npmPlatforms {
		var m npmManifest
		readJSON(t, filepath.Join("npm", "dingtalk-mcp-"+p, "package.json"), &m)
		osName, cpu, _ := strings.Cut(p, "-")
		if diff := cmp.Diff([]string{osName, cpu}, append(m.OS, m.CPU...)); diff != "" || m.Name != npmPackage+"-"+p {
			t.Errorf("%s: os/cpu (-want +got):\n%s", m.Name, diff)
		}
	}
}
