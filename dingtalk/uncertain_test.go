package dingtalk_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk"
	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

func TestUncertainWritesAreRecorded(t *testing.T) {
	t.Parallel()
	notice := dingtalk.UncertainWrite{Endpoint: noticeSendAPI}
	tests := []struct {
		name   string
		fault  sandbox.Fault
		cancel time.Duration // cancel the caller's context after this long; 0: never
		call   func(context.Context, *dingtalk.Client) error
		want   []dingtalk.UncertainWrite
	}{
		{"a write cancelled while DingTalk works on it", sandbox.Fault{API: noticeSendAPI, Delay: 5 * time.Second}, 100 * time.Millisecond, sendNoticeCtx, []dingtalk.UncertainWrite{notice}},
		{"a write answered by system busy", sandbox.Fault{API: noticeSendAPI, Errcode: -1}, 0, sendNoticeCtx, []dingtalk.UncertainWrite{{Endpoint: noticeSendAPI, RequestID: "(DingTalk's)"}}},
		{"a write answered", sandbox.Fault{}, 0, sendNoticeCtx, nil},
		{"a write refused by the throttle", sandbox.Fault{API: noticeSendAPI, Errcode: 90018, Times: 10}, 0, sendNoticeCtx, nil},
		{"a write cancelled before it was sent", sandbox.Fault{}, -1, sendNoticeCtx, nil},
		{"a read cancelled while DingTalk works on it", sandbox.Fault{API: userGetAPI, Delay: 5 * time.Second}, 100 * time.Millisecond,
			func(ctx context.Context, c *dingtalk.Client) error {
				_, err := c.Users.Get(ctx, "zhangwei", "")
				return err
			}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, sb := newClient(t, dingtalk.WithCallTimeout(10*time.Second))
			if tt.fault != (sandbox.Fault{}) {
				sb.Inject(tt.fault)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			switch {
			case tt.cancel < 0:
				cancel()
			case tt.cancel > 0:
				time.AfterFunc(tt.cancel, cancel)
			}
			ctx, writes := dingtalk.WithUncertainWrites(ctx)
			tt.call(ctx, c)
			got := writes.List()
			for i := range got {
				if got[i].RequestID != "" {
					got[i].RequestID = "(DingTalk's)" // random, but it must be there
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("uncertain writes (-want +got):\n%s", diff)
			}
		})
	}
}

func sendNoticeCtx(ctx context.Context, c *dingtalk.Client) error {
	_, err := c.Messages.Send(ctx, dingtalk.WorkNotice{
		AgentID: sandbox.AgentID, UserIDs: []string{"zhangwei"},
		Msg: dingtalk.Msg{MsgType: "text", Text: &dingtalk.TextMsg{Content: "Meeting moved to 3pm"}},
	})
	return err
}
