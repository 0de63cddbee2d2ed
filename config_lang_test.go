package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// TestLang: --lang and DINGTALK_MCP_LANG pick the language, the flag
// first; anything else stops the server naming the languages; and the
// configuration's own errors are in the language asked for.
func TestLang(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    i18n.Lang
		wantErr string
	}{
		{"default", []string{"--sandbox"}, nil, i18n.En, ""},
		{"flag", []string{"--sandbox", "--lang", "zh"}, nil, i18n.Zh, ""},
		{"environment", []string{"--sandbox"}, map[string]string{"DINGTALK_MCP_LANG": "zh"}, i18n.Zh, ""},
		{"the flag wins", []string{"--sandbox", "--lang", "en"}, map[string]string{"DINGTALK_MCP_LANG": "zh"}, i18n.En, ""},
		{"unknown flag value", []string{"--sandbox", "--lang", "fr"}, nil, "", `--lang must be one of en, zh, got "fr"`},
		{"unknown environment value", []string{"--sandbox"}, map[string]string{"DINGTALK_MCP_LANG": "zh-TW"}, "", `DINGTALK_MCP_LANG must be one of en, zh, got "zh-TW"`},
		{"errors in Chinese", []string{"--lang", "zh"}, nil, "", "未配置钉钉凭证"},
		{"errors in English", []string{"--lang", "en"}, nil, "", "no DingTalk credentials"},
		{"a Chinese error keeps its names", []string{"--sandbox", "--lang", "zh", "--transport", "grpc"}, nil, "", `--transport 须为 stdio 或 http，实际为 "grpc"`},
		{"sign-in errors in Chinese", []string{"--sandbox", "--lang=zh", "--auth", "dingtalk"}, nil, "", "--auth dingtalk 需要 --transport http"},
		{"duration errors in Chinese", []string{"--sandbox", "--shutdown-grace", "soon"}, map[string]string{"DINGTALK_MCP_LANG": "zh"}, "", `--shutdown-grace 须为不小于 0 的时长`},
		{"an unknown flag in Chinese", []string{"--lang", "zh", "--sandbx"}, nil, "", "未知的参数 -sandbx"},
		{"a stray argument in Chinese", []string{"--lang", "zh", "--sandbox", "serve"}, nil, "", `多余的参数 "serve"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("parseConfig(%q) = %v, want an error containing %q", tt.args, err, tt.wantErr)
				}
			case err != nil:
				t.Errorf("parseConfig(%q): %v", tt.args, err)
			case c.Lang != tt.want || c.serverConfig("1", nil, io.Discard).Lang != tt.want:
				t.Errorf("parseConfig(%q): Lang %q, server's %q; want %q", tt.args, c.Lang, c.serverConfig("1", nil, io.Discard).Lang, tt.want)
			}
		})
	}
}

// TestHelpInEachLanguage: --help, and the help after a flag that does not
// parse, are in the language of --lang (anywhere on the command line) or
// DINGTALK_MCP_LANG: every flag in both, each line of the Chinese help
// Chinese but for the flags' names, types and defaults.
func TestHelpInEachLanguage(t *testing.T) {
	t.Parallel()
	flagLine := regexp.MustCompile(`^  -([a-z-]+)`)
	help := func(t *testing.T, args []string, env map[string]string) (string, error) {
		t.Helper()
		var stderr bytes.Buffer
		err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, &stderr)
		return stderr.String(), err
	}
	flagsOf := func(text string) []string {
		var names []string
		for _, line := range strings.Split(text, "\n") {
			if m := flagLine.FindStringSubmatch(line); m != nil {
				names = append(names, m[1])
			}
		}
		return names
	}
	for _, cmd := range [][]string{nil, {"sandbox"}} {
		en, err := help(t, append(slices.Clone(cmd), "--help"), nil)
		if !errors.Is(err, errHelp) {
			t.Fatalf("%q --help: %v", cmd, err)
		}
		if len(flagsOf(en)) < 2 {
			t.Fatalf("%q --help lists no flags:\n%s", cmd, en)
		}
		for _, tc := range []struct {
			name string
			args []string
			env  map[string]string
		}{
			{"--lang zh", append(slices.Clone(cmd), "--lang", "zh", "--help"), nil},
			{"--lang=zh after --help", append(slices.Clone(cmd), "-h", "--lang=zh"), nil},
			{"DINGTALK_MCP_LANG", append(slices.Clone(cmd), "--help"), map[string]string{"DINGTALK_MCP_LANG": "zh"}},
			{"an unknown flag", append(slices.Clone(cmd), "--lang", "zh", "--no-such-flag"), nil},
		} {
			t.Run(strings.Join(append(cmd, tc.name), " "), func(t *testing.T) {
				zh, _ := help(t, tc.args, tc.env)
				if diff := cmp.Diff(flagsOf(en), flagsOf(zh)); diff != "" {
					t.Errorf("the Chinese help lists other flags than the English (-en +zh):\n%s", diff)
				}
				for _, line := range strings.Split(zh, "\n") {
					if flagLine.MatchString(line) {
						continue // a flag's name and type
					}
					line = regexp.MustCompile(`"[^"]*"`).ReplaceAllString(line, "") // a default's value
					if problems := i18n.NotChinese(line); len(problems) > 0 {
						t.Errorf("help line %q %s", line, strings.Join(problems, ", "))
					}
				}
			})
		}
	}
}

// TestListToolsInEachLanguage: --list-tools gives the titles in the
// language of the server, and the names as they are.
func TestListToolsInEachLanguage(t *testing.T) {
	t.Parallel()
	list := func(l string) string {
		var stdout bytes.Buffer
		if err := run(context.Background(), []string{"--sandbox", "--list-tools", "--tools", "get_user", "--lang", l}, func(string) string { return "" }, strings.NewReader(""), &stdout, io.Discard); err != nil {
			t.Fatal(err)
		}
		return stdout.String()
	}
	if en, zh := list("en"), list("zh"); !strings.Contains(en, "get_user") || !strings.Contains(en, "Get user") || !strings.Contains(zh, "get_user") || !strings.Contains(zh, "获取员工") {
		t.Errorf("--list-tools: en %q, zh %q", en, zh)
	}
}
