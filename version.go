package main

import (
	_ "embed"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Release builds set these at link time (see .goreleaser.yaml):
//
//	-ldflags "-X main.linkedVersion=1.2.3 -X main.linkedCommit=<sha>"
var linkedVersion, linkedCommit string

// fileVersion is the VERSION file, the one place the version is written:
// the release configuration, the container labels, the extension manifest,
// the npm packages and server.json carry the same string (a test checks).
//
//go:embed VERSION
var fileVersion string

// version and commit identify this build; commit is empty when unknown.
var version, commit = buildVersion(linkedVersion, linkedCommit, debug.ReadBuildInfo)

// buildVersion says which version and commit this binary is, from the most
// specific source that knows:
//   - the link-time values of a release build;
//   - for a binary made by "go install module@version", the module version
//     in the build info (a pseudo-version ends in the commit's short hash);
//   - for a build in a checkout, the VERSION file and the build info's
//     vcs.revision, marked "-dirty" when the tree had changes.
func buildVersion(linkedVersion, linkedCommit string, readBuildInfo func() (*debug.BuildInfo, bool)) (string, string) {
	v, c := linkedVersion, linkedCommit
	info, ok := readBuildInfo()
	if !ok {
		info = &debug.BuildInfo{}
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	revision, fromCheckout := settings["vcs.revision"]
	if v == "" {
		v = strings.TrimSpace(fileVersion)
		// A checkout build also gets a Main.Version since Go 1.24, derived
		// from the tags near HEAD: the VERSION file says more.
		if m := info.Main.Version; !fromCheckout && m != "" && m != "(devel)" {
			v = strings.TrimPrefix(m, "v")
		}
	}
	if c == "" {
		switch {
		case fromCheckout:
			c = revision
			if settings["vcs.modified"] == "true" {
				c += "-dirty"
			}
		case isPseudoVersion(info.Main.Version):
			c = info.Main.Version[strings.LastIndexByte(info.Main.Version, '-')+1:]
		}
	}
	return v, c
}

// isPseudoVersion reports whether v is a Go pseudo-version such as
// v0.1.1-0.20261204085216-f2b9e65abcde, whose last part is a commit hash.
func isPseudoVersion(v string) bool {
	parts := strings.Split(strings.TrimSuffix(v, "+incompatible"), "-")
	if len(parts) < 2 {
		return false
	}
	hash, stamp := parts[len(parts)-1], parts[len(parts)-2]
	stamp = stamp[strings.LastIndexByte(stamp, '.')+1:]
	return len(hash) == 12 && isDigits(stamp) && len(stamp) == 14 && strings.Trim(hash, "0123456789abcdef") == ""
}

func isDigits(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }

// versionLine is what --version prints: the version, the commit and the Go
// toolchain that built the binary.
func versionLine() string {
	c := commit
	if c == "" {
		c = "unknown"
	}
	return fmt.Sprintf("dingtalk-mcp %s (commit %s, %s %s/%s)", version, c, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
