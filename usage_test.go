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

// stderrOf runs args with the environment env and returns what it wrote
// to stderr, and its error.
func stderrOf(t *testing.T, args []string, env map[string]string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	if stdout.Len() > 0 {
		t.Errorf("run(%q) wrote %q to stdout; its help and errors belong on stderr", args, stdout.String())
	}
	return stderr.String(), err
}

// TestHelpKeepsNamesAndValues: each flag's usage in the Chinese help keeps
// the environment variable, addresses, numbers and quoted defaults of the
// English one, and says "default" in Chinese.
func TestHelpKeepsNamesAndValues(t *testing.T) {
	t.Parallel()
	flagLine := regexp.MustCompile(`^  -([a-z][a-z-]*)`)
	kept := regexp.MustCompile(`DINGTALK_[A-Z_]+|https?://[\w.:/<>-]+|"[^"]*"|\d[\w.:]*`)
	usages := func(help string) map[string][]string {
		out := map[string][]string{}
		flag := ""
		for _, line := range strings.Split(help, "\n") {
			if m := flagLine.FindStringSubmatch(line); m != nil {
				flag = m[1]
				out[flag] = nil
			} else if flag != "" && strings.TrimSpace(line) != "" {
				out[flag] = append(out[flag], kept.FindAllString(line, -1)...)
			}
		}
		for k := range out {
			slices.Sort(out[k])
		}
		return out
	}
	for _, cmd := range [][]string{{"-h"}, {"sandbox", "-h"}} {
		en, _ := stderrOf(t, cmd, nil)
		zh, _ := stderrOf(t, append(slices.Clone(cmd), "--lang", "zh"), nil)
		want, got := usages(en), usages(zh)
		if len(want) < 3 || want["lang"] == nil {
			t.Fatalf("%q: the English help has %d flags, -lang with %q:\n%s", cmd, len(want), want["lang"], en)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q: each flag's names and values, English (-) and Chinese (+):\n%s", cmd, diff)
		}
		if !strings.Contains(en, "(default ") || strings.Contains(zh, "(default ") || !strings.Contains(zh, "（默认 ") {
			t.Errorf("%q: want the defaults as (default …) in English and （默认 …） in Chinese:\n%s\n%s", cmd, en, zh)
		}
	}
}

// TestCommandLineErrorsInEachLanguage: every error of a command line that
// does not parse, the flag package's included, is in the language of the
// command line, and its help follows in the same language.
func TestCommandLineErrorsInEachLanguage(t *testing.T) {
	t.Parallel()
	zhEnv := map[string]string{"DINGTALK_MCP_LANG": "zh"}
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		want   string
		inHelp bool // the help follows the error
	}{
		{"an unknown flag", []string{"--nope"}, nil, "unknown flag -nope", true},
		{"an unknown flag in Chinese", []string{"--nope", "--lang", "zh"}, nil, "未知的参数 -nope", true},
		{"a flag without its value", []string{"--addr"}, nil, "flag -addr needs a value", true},
		{"a flag without its value in Chinese", []string{"--lang=zh", "--addr"}, nil, "参数 -addr 缺少值", true},
		{"--lang without its value keeps the environment's", []string{"--lang"}, zhEnv, "参数 -lang 缺少值", true},
		{"a bad duration", []string{"--dedupe-window", "soon"}, nil, `invalid value "soon" for flag -dedupe-window`, true},
		{"a bad duration in Chinese", []string{"--dedupe-window", "soon"}, zhEnv, `参数 -dedupe-window 的值 "soon" 无效`, true},
		{"a bad boolean in Chinese", []string{"--sandbox=maybe"}, zhEnv, `参数 -sandbox 的值 "maybe" 无效`, true},
		{"bad flag syntax in Chinese", []string{"-=x"}, zhEnv, "参数格式错误：-=x", true},
		{"an unknown language, in the environment's", []string{"--sandbox", "--lang", "fr"}, zhEnv, `--lang 须为 en, zh 之一，实际为 "fr"`, false},
		{"the sandbox's unknown flag in Chinese", []string{"sandbox", "--nope", "--lang", "zh"}, nil, "未知的参数 -nope", true},
		{"the sandbox's unknown language", []string{"sandbox", "--lang", "fr"}, nil, `--lang must be one of en, zh, got "fr"`, false},
		{"the sandbox's bad number in Chinese", []string{"sandbox", "--qps", "many"}, zhEnv, `参数 -qps 的值 "many" 无效`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			help, err := stderrOf(t, tt.args, tt.env)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("run(%q) = %v, want %q", tt.args, err, tt.want)
			}
			zh := strings.ContainsFunc(tt.want, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff })
			if zh {
				if problems := i18n.NotChinese(err.Error()); len(problems) > 0 {
					t.Errorf("run(%q): %q %s", tt.args, err, strings.Join(problems, ", "))
				}
			}
			if got := strings.HasPrefix(help, tt.want+"\n\n"); got != tt.inHelp {
				t.Errorf("run(%q): the help starts with the error: %v, want %v:\n%s", tt.args, got, tt.inHelp, help)
			}
			if tt.inHelp && strings.Contains(help, "用法：") != zh {
				t.Errorf("run(%q): the help is not in the error's language:\n%s", tt.args, help)
			}
		})
	}
}

// TestHelpLang reads --lang as the flag package will, before it does.
func TestHelpLang(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		env  string
		want i18n.Lang
	}{
		{nil, "", i18n.En},
		{nil, "zh", i18n.Zh},
		{[]string{"--lang", "zh"}, "", i18n.Zh},
		{[]string{"-lang=zh"}, "", i18n.Zh},
		{[]string{"--lang=en"}, "zh", i18n.En},
		{[]string{"--lang", "zh", "--lang", "en"}, "", i18n.En},
		{[]string{"--lang"}, "zh", i18n.Zh},                      // no value: refused by the parse, in the environment's
		{[]string{"--", "--lang", "zh"}, "", i18n.En},            // after "--" flags end
		{[]string{"--app-key", "lang", "zh"}, "", i18n.En},       // a value, not a flag
		{[]string{"--language", "zh"}, "", i18n.En},              // another flag
		{[]string{"sandbox", "-h", "--lang", "zh"}, "", i18n.Zh}, // anywhere
	}
	for _, tt := range tests {
		if got := helpLang(tt.args, func(string) string { return tt.env }); got != tt.want {
			t.Errorf("helpLang(%q) with DINGTALK_MCP_LANG=%q = %q, want %q", tt.args, tt.env, got, tt.want)
		}
	}
}

// TestAFlagErrorIsSaidOnce: the error of a flag that does not parse is
// written once, above the help, not again when the program exits; other
// errors are written at the exit; --help is no error.
func TestAFlagErrorIsSaidOnce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--nope"}, 1},
		{[]string{"--sandbox", "--transport", "grpc"}, 1},
		{[]string{"--help"}, 0},
	} {
		var stderr bytes.Buffer
		err := run(context.Background(), tc.args, func(string) string { return "" }, strings.NewReader(""), io.Discard, &stderr)
		if code := exitCode(err, &stderr); code != tc.code {
			t.Errorf("%q: exit status %d, want %d", tc.args, code, tc.code)
		}
		if err != nil && !errors.Is(err, errHelp) {
			if n := strings.Count(stderr.String(), err.Error()); n != 1 {
				t.Errorf("%q: stderr says %q %d times, want once:\n%s", tc.args, err, n, stderr.String())
			}
		}
	}
}
