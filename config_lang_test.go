package main

import (
	"io"
	"strings"
	"testing"

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
