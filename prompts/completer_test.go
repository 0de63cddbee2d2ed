package prompts

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"
)

// complete asks a completer of every prompt, looking names up in dir, for
// values of one argument.
func complete(dir Directory, promptName, arg, value string) ([]string, error) {
	c := &completer{prompts: map[string]*prompt{}, dir: dir, logger: slog.New(slog.DiscardHandler)}
	for _, p := range all {
		c.prompts[p.Name] = p
	}
	res, err := c.CompletePromptArgument(context.Background(), promptName, mcp.CompleteArgument{Name: arg, Value: value}, mcp.CompleteContext{})
	if err != nil {
		return nil, err
	}
	return res.Values, nil
}

// failingDirectory fails every lookup.
type failingDirectory struct{}

func (failingDirectory) DepartmentNames(context.Context, string) ([]string, error) {
	return nil, errors.New("directory down")
}

func (failingDirectory) UserNames(context.Context, string) ([]string, error) {
	return nil, errors.New("directory down")
}

// fixedDirectory answers every lookup with the same names.
type fixedDirectory []string

func (d fixedDirectory) DepartmentNames(context.Context, string) ([]string, error) { return d, nil }
func (d fixedDirectory) UserNames(context.Context, string) ([]string, error)       { return d, nil }

func TestCompletionRanksAndLimits(t *testing.T) {
	t.Parallel()
	many := make(fixedDirectory, 0, 130)
	for i := range 130 {
		many = append(many, "Team "+string(rune('A'+i%26))+string(rune('a'+i/26)))
	}
	for _, tc := range []struct {
		name  string
		dir   fixedDirectory
		value string
		want  []string
	}{
		{"prefix matches first, repeats once", fixedDirectory{"East China Sales", "Sales", "Sales", ""}, "sal", []string{"Sales", "East China Sales"}},
		{"at most 100", many, "", []string(many[:100])},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := complete(tc.dir, "notify_department", "department", tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
		})
	}
	if got, err := complete(failingDirectory{}, "find_colleague", "name", "李"); err != nil || len(got) != 0 {
		t.Errorf("a failing directory: got %v, %v; want no values and no error", got, err)
	}
}
