package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBuildVersion(t *testing.T) {
	t.Parallel()
	file := strings.TrimSpace(fileVersion)
	checkout := func(modified string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261204085216-f2b9e65abcde+dirty"}, Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "f2b9e65abcdef0123456789abcdef0123456789a"}, {Key: "vcs.modified", Value: modified},
		}}
	}
	tests := []struct {
		name                    string
		linkedVersion           string
		linkedCommit            string
		info                    *debug.BuildInfo // nil: no build info
		wantVersion, wantCommit string
	}{
		{"release build: link-time values win", "1.2.3", "0123abc", checkout("true"), "1.2.3", "0123abc"},
		{"go install of a tag", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.4.0"}}, "0.4.0", ""},
		{"go install of a branch: pseudo-version", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.1.1-0.20261204085216-f2b9e65abcde"}}, "0.1.1-0.20261204085216-f2b9e65abcde", "f2b9e65abcde"},
		{"checkout, clean", "", "", checkout("false"), file, "f2b9e65abcdef0123456789abcdef0123456789a"},
		{"checkout, changed", "", "", checkout("true"), file, "f2b9e65abcdef0123456789abcdef0123456789a-dirty"},
		{"go build without VCS stamping", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, file, ""},
		{"no build info", "", "", nil, file, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			read := func() (*debug.BuildInfo, bool) { return tt.info, tt.info != nil }
			v, c := buildVersion(tt.linkedVersion, tt.linkedCommit, read)
			if diff := cmp.Diff([2]string{tt.wantVersion, tt.wantCommit}, [2]string{v, c}); diff != "" {
				t.Errorf("buildVersion (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIsPseudoVersion(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{
		"v0.0.0-20261204085216-f2b9e65abcde":        true,
		"v0.1.1-0.20261204085216-f2b9e65abcde":      true,
		"v1.2.4-rc.1.0.20261204085216-f2b9e65abcde": true,
		"v1.2.3":                   false,
		"v1.2.3-rc.1":              false,
		"v1.2.3-beta-abcdefabcdef": false,
		"(devel)":                  false,
		"":                         false,
	} {
		if got := isPseudoVersion(v); got != want {
			t.Errorf("isPseudoVersion(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestVersionFlag links a binary the way release builds do and reads what
// --version prints.
func TestVersionFlag(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "dingtalk-mcp")
	cmd := exec.Command("go", "build", "-ldflags", "-X main.linkedVersion=9.8.7 -X main.linkedCommit=abc1234", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	want := fmt.Sprintf("dingtalk-mcp 9.8.7 (commit abc1234, %s %s/%s)\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if err != nil || string(out) != want {
		t.Errorf("--version printed %q (%v), want %q", out, err, want)
	}
}
