package tools_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
)

// lostLimiter is a fleet's shared limiter whose Redis went away.
type lostLimiter struct{}

func (lostLimiter) Wait(context.Context, string) error {
	return errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")
}

// TestSharedStateUnavailable: when the fleet's shared state cannot be
// reached, a read and a confirmed write both fail as 503, retryable,
// with nothing sent to DingTalk, and the server keeps serving.
func TestSharedStateUnavailable(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withClientOptions(dingtalk.WithLimiter(lostLimiter{})))
	for _, tc := range []struct{ tool, args, api string }{
		{"get_user", `{"UserId":"manager4220"}`, "POST /topapi/v2/user/get"},
		{"send_work_notice", `{"UserIds":"zhangwei","MsgType":"text","Content":"x","Confirm":true}`, "POST /topapi/message/corpconversation/asyncsend_v2"},
	} {
		out, isError := h.call(tc.tool, tc.args)
		if !isError || out["StatusCode"] != float64(503) || out["Retryable"] != true {
			t.Errorf("%s: %v; want isError, StatusCode 503, Retryable", tc.tool, out)
		}
		if hint, _ := out["Hint"].(string); !strings.Contains(hint, "shared state") || !strings.Contains(hint, tc.tool) {
			t.Errorf("%s: Hint %q should say the shared state is unavailable and name the tool", tc.tool, hint)
		}
		if n := h.upstreamCalls(tc.api); n != 0 {
			t.Errorf("%s reached DingTalk %d times", tc.tool, n)
		}
	}
}
