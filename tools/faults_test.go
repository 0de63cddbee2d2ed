package tools_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
	"github.com/dingtalk-mcp/dingtalk-mcp/tools"
)

// fault is one way DingTalk fails, with what the envelope must say.
type fault struct {
	name   string
	legacy bool // the fault exists in the legacy family (errcode bodies)
	api    bool // the fault exists in the new family
	inject sandbox.Fault
	status int
	code   string
	// retryable is the Retryable of an idempotent tool; a non-idempotent
	// tool is retryable only if the request certainly had no effect.
	retryable bool
	noEffect  bool // DingTalk certainly did not act on the request
	resent    bool // the client sends the request once more (token refresh)
	// only limits the fault to the APIs whose route contains it: codes
	// that one family of APIs gives.
	only string
	// hint is what the Hint must mention.
	hint string
}

var faults = []fault{
	{name: "legacy -1 system busy", legacy: true, inject: sandbox.Fault{Errcode: -1}, status: 500, code: "-1", retryable: true},
	{name: "legacy 88/40014 invalid token", legacy: true, inject: sandbox.Fault{Errcode: 88, SubCode: "40014"}, status: 401, code: "88/40014", noEffect: true, resent: true},
	{name: "legacy 60011 no permission", legacy: true, inject: sandbox.Fault{Errcode: 60011}, status: 403, code: "60011", noEffect: true},
	{name: "legacy 90018 QPS throttle", legacy: true, inject: sandbox.Fault{Errcode: 90018}, status: 429, code: "90018", retryable: true, noEffect: true},
	{name: "legacy 90002 global throttle", legacy: true, inject: sandbox.Fault{Errcode: 90002}, status: 429, code: "90002", retryable: true, noEffect: true},
	{name: "400 InvalidAuthentication", api: true, inject: sandbox.Fault{Status: 400, Code: "InvalidAuthentication", Message: "不合法的access_token"}, status: 401, code: "InvalidAuthentication", noEffect: true, resent: true},
	{name: "403 AccessTokenPermissionDenied", api: true, inject: sandbox.Fault{Status: 403, Code: "Forbidden.AccessDenied.AccessTokenPermissionDenied", Message: "没有调用该接口的权限"}, status: 403, code: "Forbidden.AccessDenied.AccessTokenPermissionDenied", noEffect: true},
	{name: "403 QpsLimitForAppkeyAndApi", api: true, inject: sandbox.Fault{Status: 403, Code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", Message: "您的企业应用调用钉钉开放平台当前接口的所有请求都被暂时禁用了"}, status: 429, code: "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", retryable: true, noEffect: true},
	{name: "HTML throttle page", legacy: true, api: true, inject: sandbox.Fault{HTML: true}, status: 429, code: "IpThrottled", retryable: true, noEffect: true},
	{name: "HTTP 500", legacy: true, api: true, inject: sandbox.Fault{Status: 500, Body: "<html>500 Internal Server Error</html>"}, status: 500, retryable: true},
	{name: "HTTP 502", legacy: true, api: true, inject: sandbox.Fault{Status: 502, Body: "<html>502 Bad Gateway</html>"}, status: 500, retryable: true},
	{name: "HTTP 503", legacy: true, api: true, inject: sandbox.Fault{Status: 503, Body: "<html>503 Service Unavailable</html>"}, status: 500, retryable: true},
	{name: "malformed JSON", legacy: true, api: true, inject: sandbox.Fault{Body: `{"errcode":0,"result":{`}, status: 500, retryable: true},
	{name: "slower than the timeout", legacy: true, api: true, inject: sandbox.Fault{Delay: time.Second}, status: 504, retryable: true},
	{name: "reset before the request was read", legacy: true, api: true, inject: sandbox.Fault{ResetBeforeRead: true}, status: 500, retryable: true},
	{name: "reset after the request was applied", legacy: true, api: true, inject: sandbox.Fault{ResetAfterApply: true}, status: 500, retryable: true},

	{name: "robot: not in the group or not published", api: true, only: "/v1.0/robot/groupMessages/", inject: robotFault("invalidParameter.robotCode.notExsit"),
		status: 404, code: "invalidParameter.robotCode.notExsit", noEffect: true, hint: "publish"},
	{name: "robot: another app's", api: true, only: "/v1.0/robot/groupMessages/", inject: robotFault("invalidParameter.robotCode.auth"),
		status: 403, code: "invalidParameter.robotCode.auth", noEffect: true, hint: "DINGTALK_APP_KEY"},
	{name: "robot: stopped", api: true, only: "/v1.0/robot/groupMessages/", inject: robotFault("bot.stopped"),
		status: 403, code: "bot.stopped", noEffect: true, hint: "stopped"},
	{name: "robot: sending too fast", api: true, only: "/v1.0/robot/groupMessages/", inject: robotFault("send.too.fast"),
		status: 429, code: "send.too.fast", retryable: true, noEffect: true, hint: "wait"},
	{name: "document: not found", api: true, only: "/v1.0/doc/suites/documents/", inject: sandbox.Fault{Status: 404, Code: "docNotExist", Message: "文档不存在"},
		status: 404, code: "docNotExist", noEffect: true, hint: "get_node_list"},
	{name: "document: operator may not edit", api: true, only: "/v1.0/doc/suites/documents/", inject: sandbox.Fault{Status: 403, Code: "forbidden.accessDenied", Message: "用户无操作权限"},
		status: 403, code: "forbidden.accessDenied", noEffect: true, hint: "OperatorId"},
}

// robotFault is a refusal of the robot APIs in their words.
func robotFault(code string) sandbox.Fault {
	return sandbox.Fault{Status: 400, Code: code, Message: "错误描述: " + code + "；解决方案:请检查机器人是否在群内；"}
}

// faultTargets names, for tools of several writes, the API whose failures
// the matrix injects: the non-idempotent step. (A failure of the later,
// idempotent write of insert_rows_before_with_data leaves inserted rows
// behind, which that tool's own tests cover.)
var faultTargets = map[string]string{
	"insert_rows_before_with_data": "/insertRowsBefore",
	// create_chat reads the new group's robots after creating it, and
	// succeeds whether or not that read does.
	"create_chat": "/im/group/create",
}

// targetAPI runs tool's example on a fresh sandbox and returns the last
// DingTalk API it called (the write, for tools that read first), or the
// one faultTargets names.
func targetAPI(t *testing.T, tool string) string {
	h := newHarness(t)
	for _, p := range prepare[tool] {
		h.callOK(p, examples[p])
	}
	h.sandbox.ResetLog()
	h.callOK(tool, examples[tool])
	var last string
	for _, r := range h.sandbox.Requests() {
		if !strings.Contains(r.API, "accessToken") && strings.Contains(r.API, faultTargets[tool]) {
			last = r.API
		}
	}
	if last == "" {
		t.Fatalf("%s called no DingTalk API", tool)
	}
	return last
}

func isLegacyAPI(api string) bool {
	path := api[strings.Index(api, " ")+1:]
	return !strings.HasPrefix(path, "/v1.0/") && !strings.HasPrefix(path, "/v2.0/")
}

// matrixRow is what one tool answered under one fault.
type matrixRow struct {
	status    int
	retryable bool
	code      string
}

// TestFaultMatrix makes every tool meet every DingTalk failure of its API
// family and checks the envelope, that the server keeps serving, and that
// no non-idempotent write is sent twice. UPDATE_GOLDEN=1 rewrites the
// table in docs/fault-matrix.md.
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	var mu = make(chan struct{}, 1)
	rows := map[string]map[string]matrixRow{} // fault → tool → row
	t.Run("tools", func(t *testing.T) {
		for _, d := range tools.All() {
			spec := d.Spec()
			if _, ok := examples[spec.Name]; !ok {
				continue // TestEveryToolHasAWorkingExample reports it
			}
			t.Run(spec.Name, func(t *testing.T) {
				t.Parallel()
				api := targetAPI(t, spec.Name)
				legacy := isLegacyAPI(api)
				for _, f := range faults {
					if (legacy && !f.legacy) || (!legacy && !f.api) || !strings.Contains(api, f.only) {
						continue
					}
					h := newHarness(t, withClientOptions(dingtalk.WithCallTimeout(400*time.Millisecond), dingtalk.WithRetry(1, 5*time.Millisecond)))
					for _, p := range prepare[spec.Name] {
						h.callOK(p, examples[p])
					}
					inj := f.inject
					inj.API, inj.Times = api, 20
					h.sandbox.Inject(inj)
					out, isErr := h.call(spec.Name, examples[spec.Name])
					got := matrixRow{status: int(out["StatusCode"].(float64)), retryable: out["Retryable"] == true, code: out["ErrorCode"].(string)}
					want := matrixRow{status: f.status, code: f.code, retryable: f.retryable && (spec.Idempotent || f.noEffect)}
					if !isErr || got != want {
						t.Errorf("%s: got %+v, want %+v: %v", f.name, got, want, out)
					}
					if out["Hint"] == "" || out["ErrorMessage"] == "" {
						t.Errorf("%s: no Hint or ErrorMessage: %v", f.name, out)
					}
					if !strings.Contains(fmt.Sprint(out["Hint"]), f.hint) {
						t.Errorf("%s: Hint %q does not mention %q", f.name, out["Hint"], f.hint)
					}
					sent := len(h.sandbox.Calls(api))
					if !spec.Idempotent {
						want := 1
						if f.resent {
							want = 2
						}
						if sent != want {
							t.Errorf("%s: non-idempotent %s sent %d times, want %d", f.name, api, sent, want)
						}
						if !f.noEffect && !strings.Contains(out["Hint"].(string), "again") && !strings.Contains(out["Hint"].(string), "before") {
							t.Errorf("%s: a write that may have happened needs a Hint on checking first: %q", f.name, out["Hint"])
						}
					}
					h.sandbox.ClearFaults()
					if _, isErr := h.call("get_user", `{"UserId":"lina"}`); isErr {
						t.Errorf("%s: the server stopped serving", f.name)
					}
					mu <- struct{}{}
					if rows[f.name] == nil {
						rows[f.name] = map[string]matrixRow{}
					}
					rows[f.name][spec.Name] = got
					<-mu
				}
			})
		}
	})
	writeFaultTable(t, rows)
}

// writeFaultTable renders the observed matrix and compares it with
// docs/fault-matrix.md.
func writeFaultTable(t *testing.T, rows map[string]map[string]matrixRow) {
	if t.Failed() || len(rows) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString("# Fault matrix\n\nGenerated by `UPDATE_GOLDEN=1 go test ./tools -run TestFaultMatrix`: every tool was called against the sandbox while DingTalk failed in each way below, and answered with this envelope. The server kept serving after every case, and no non-idempotent write reached DingTalk twice (a token refused by DingTalk's gateway is the one resend: the gateway refuses before the API runs).\n\n")
	b.WriteString("| DingTalk failure | StatusCode | ErrorCode | Retryable (idempotent tools) | Retryable (non-idempotent tools) | tools |\n|---|---|---|---|---|---|\n")
	for _, f := range faults {
		byTool := rows[f.name]
		var idem, nonIdem []bool
		var names []string
		for _, d := range tools.All() {
			s := d.Spec()
			r, ok := byTool[s.Name]
			if !ok {
				continue
			}
			names = append(names, s.Name)
			if s.Idempotent {
				idem = append(idem, r.retryable)
			} else {
				nonIdem = append(nonIdem, r.retryable)
			}
		}
		if len(names) == 0 {
			continue
		}
		code := f.code
		if code == "" {
			code = "(none)"
		}
		fmt.Fprintf(&b, "| %s | %d | `%s` | %s | %s | %d |\n", f.name, f.status, code, yesNo(idem), yesNo(nonIdem), len(names))
	}
	got := b.String()
	path := filepath.Join("..", "docs", "fault-matrix.md")
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no docs/fault-matrix.md (run with UPDATE_GOLDEN=1): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("docs/fault-matrix.md is out of date (-want +got); run with UPDATE_GOLDEN=1:\n%s", diff)
	}
}

func yesNo(v []bool) string {
	if len(v) == 0 {
		return "n/a"
	}
	if !slices.Contains(v, false) {
		return "yes"
	}
	if !slices.Contains(v, true) {
		return "no"
	}
	return "mixed"
}
