package tools

import (
	"context"
	"slices"
	"strings"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// Policy is what a signed-in person may do. It applies only to calls
// that carry a Person (a server with sign-in); without one, calls act as
// the app with the configured defaults, as before.
type Policy struct {
	// AllowOtherOperators lets a signed-in person pass an OperatorId that
	// names someone else. Off, such a call is refused: a person acts in
	// knowledge bases and spreadsheets only as themselves.
	AllowOtherOperators bool
	// Admins are the userIds that may call the directory writes
	// (create_user).
	Admins []string
	// AdminDepts are departments whose members, and the members of every
	// department below them, may call the directory writes too.
	AdminDepts []int64
}

// DeniedError is a call the server's policy refuses for the person who
// made it, before anything is sent to DingTalk.
type DeniedError struct {
	Message string
	Hint    string
}

func (e *DeniedError) Error() string { return e.Message }

// authorize applies env.Policy to the call of the tool that spec
// describes, made by the person in ctx.
func (env *Env) authorize(ctx context.Context, spec Spec, in any) error {
	p := PersonFrom(ctx)
	if p == nil {
		return nil
	}
	if o, ok := in.(operated); ok && !env.Policy.AllowOtherOperators {
		if id := strings.TrimSpace(o.operator().OperatorId); id != p.UnionID && id != p.UserID {
			return &DeniedError{
				Message: env.Lang.Textf("OperatorId %s names someone else: you are signed in as %s and act as yourself.", id, p.Label()),
				Hint:    env.Lang.Text("Leave OperatorId out (it defaults to you), or ask the server's operator to start it with --allow-other-operators."),
			}
		}
	}
	if spec.Toolset == Contacts && !spec.ReadOnly {
		admin, err := env.isAdmin(ctx, p)
		if err != nil {
			return err
		}
		if !admin {
			return &DeniedError{
				Message: env.Lang.Textf("%s may not change the directory: %s is for the server's admins.", p.Label(), spec.Name),
				Hint:    env.Lang.Textf("Ask one of the admins to do it: %s.", env.Policy.adminsText(env.Lang)),
			}
		}
	}
	return nil
}

// isAdmin reports whether p is one of the admins, by userId or by
// membership of an admin department or of any department below one.
func (env *Env) isAdmin(ctx context.Context, p *Person) (bool, error) {
	if slices.Contains(env.Policy.Admins, p.UserID) {
		return true, nil
	}
	if len(env.Policy.AdminDepts) == 0 {
		return false, nil
	}
	u, err := env.Client.Users.Get(ctx, p.UserID, "")
	if err != nil {
		return false, err
	}
	// Walk up from the person's departments, a department at a time: a
	// directory is a few levels deep, and a directory write is rare.
	seen := map[int64]bool{}
	for next := slices.Clone(u.DeptIDList); len(next) > 0 && len(seen) < maxAdminDeptWalk; {
		d := next[0]
		next = next[1:]
		if seen[d] {
			continue
		}
		seen[d] = true
		if slices.Contains(env.Policy.AdminDepts, d) {
			return true, nil
		}
		if d == rootDept {
			continue
		}
		dept, err := env.Client.Departments.Get(ctx, d, "")
		if err != nil {
			return false, err
		}
		if dept.ParentID != 0 {
			next = append(next, dept.ParentID)
		}
	}
	return false, nil
}

// rootDept is the organisation itself, which has no parent.
const rootDept = 1

// maxAdminDeptWalk bounds the departments an admin check reads, against a
// directory whose parents loop.
const maxAdminDeptWalk = 64

// adminsText names who may call the directory writes, for a Hint in l.
func (pol *Policy) adminsText(l i18n.Lang) string {
	var who []string
	if len(pol.Admins) > 0 {
		who = append(who, l.Textf("userIds %s", strings.Join(pol.Admins, ", ")))
	}
	for _, d := range pol.AdminDepts {
		who = append(who, l.Textf("members of department %d", d))
	}
	if len(who) == 0 {
		return l.Text("none are configured; the server's operator names them with --admins")
	}
	return strings.Join(who, l.Text("; "))
}

// credit names the person in a successful call's Summary and in the log:
// "As" for the tools that act as an operator, "Asked by" for those that
// act as the app (work notices, group chats).
func (env *Env) credit(ctx context.Context, name string, in any, e *Envelope) {
	p := PersonFrom(ctx)
	if p == nil {
		return
	}
	if e.StatusCode == http200 {
		if _, ok := in.(operated); ok {
			e.Summary = env.Lang.Textf("As %s: %s", p.Label(), e.Summary)
		} else {
			e.Summary = env.Lang.Textf("Asked by %s: %s", p.Label(), e.Summary)
		}
	}
	if env.Logger != nil {
		env.Logger.InfoContext(ctx, "tool call", "tool", name, "person", p.Label(), "status", e.StatusCode)
	}
}
