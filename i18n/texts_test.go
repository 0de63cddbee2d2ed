package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// codeText is a literal text the code passes to Lang.Text or Lang.Textf.
type codeText struct {
	key string
	pos string
}

// codeTexts returns every text the module's code (tests excepted) passes as
// a constant to a Text or Textf method: a string literal, a sum of them, or
// a constant of the same file.
func codeTexts(t *testing.T, root string) []codeText {
	t.Helper()
	var texts []codeText
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		imports := map[string]bool{}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			name := p[strings.LastIndex(p, "/")+1:]
			if im.Name != nil {
				name = im.Name.Name
			}
			imports[name] = true
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Text" && sel.Sel.Name != "Textf") {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && imports[id.Name] {
				return true // a package's function, not Lang's method
			}
			if key, ok := constString(call.Args[0]); ok {
				texts = append(texts, codeText{key: key, pos: fset.Position(call.Pos()).String()})
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return texts
}

// constString evaluates e when it is a constant string expression.
func constString(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(e.X)
		b, ok2 := constString(e.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constString(e.X)
	case *ast.Ident:
		if e.Obj == nil || e.Obj.Kind != ast.Con {
			return "", false
		}
		spec, ok := e.Obj.Decl.(*ast.ValueSpec)
		if !ok {
			return "", false
		}
		for i, name := range spec.Names {
			if name.Name == e.Name && i < len(spec.Values) {
				return constString(spec.Values[i])
			}
		}
	}
	return "", false
}

// TestEveryCodeTextIsTranslated: every text the code writes through the
// catalog has a translation in every language, which keeps its format
// verbs, its meaning in DingTalk's terms, and no English.
func TestEveryCodeTextIsTranslated(t *testing.T) {
	t.Parallel()
	texts := codeTexts(t, "..")
	if len(texts) < 20 {
		t.Fatalf("found only %d texts passed to Text or Textf in the module; the scan is broken", len(texts))
	}
	for _, l := range Langs[1:] {
		table := Translations(l)
		var missing []string
		for _, ct := range texts {
			if _, ok := table[ct.key]; !ok {
				missing = append(missing, ct.pos+":\n\t"+strconv.Quote(ct.key)+": \"…\",")
			}
		}
		slices.Sort(missing)
		missing = slices.Compact(missing)
		if len(missing) > 0 {
			t.Errorf("%d texts of the code have no %s translation; add each to the table of the i18n/%s_*.go file of its area, in the words of i18n/glossary.go:\n%s",
				len(missing), l, l, strings.Join(missing, "\n"))
		}
	}
}
