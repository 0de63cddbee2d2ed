package tools

import (
	"context"
	"testing"
)

func TestPersonFromContext(t *testing.T) {
	t.Parallel()
	if p := PersonFrom(context.Background()); p != nil {
		t.Fatalf("PersonFrom(empty context) = %+v, want nil", p)
	}
	want := &Person{UnionID: "u1", UserID: "manager4220", Name: "Boss"}
	if got := PersonFrom(WithPerson(context.Background(), want)); got != want {
		t.Fatalf("PersonFrom = %+v, want %+v", got, want)
	}
	for _, tc := range []struct {
		p    *Person
		want string
	}{
		{nil, "app"},
		{&Person{UserID: "u7"}, "u7"},
		{want, "Boss (manager4220)"},
	} {
		if got := tc.p.Label(); got != tc.want {
			t.Errorf("Label(%+v) = %q, want %q", tc.p, got, tc.want)
		}
	}
}
