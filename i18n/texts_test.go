package i18n

import (
	"fmt"
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

// keyArgs are the functions that take a text of the catalog, by the
// place of the argument that is its key: the methods Lang.Text and Textf,
// i18n.Msg and i18n.Errorf, the tools' invalid(field, format, args...),
// and the dingtalk package's phrasef, whose Phrases the tools translate.
var keyArgs = map[string]int{".Text": 0, ".Textf": 0, "i18n.Msg": 0, "i18n.Errorf": 0, "invalid": 1, "phrasef": 0}

// codeTexts returns every text the module's code (tests excepted) passes as
// a constant to a function of keyArgs: a string literal, a sum of them, a
// constant of the same file, or each such argument of a call that picks
// one of them (rows or columns).
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
			if !ok {
				return true
			}
			var name string // invalid, i18n.Msg, or .Text for a method
			switch fun := call.Fun.(type) {
			case *ast.Ident:
				name = fun.Name
			case *ast.SelectorExpr:
				name = "." + fun.Sel.Name
				if id, ok := fun.X.(*ast.Ident); ok && imports[id.Name] {
					name = id.Name + name
				}
			}
			at, ok := keyArgs[name]
			if !ok || len(call.Args) <= at {
				return true
			}
			for _, key := range constStrings(call.Args[at]) {
				if key != "" {
					texts = append(texts, codeText{key: key, pos: fset.Position(call.Pos()).String()})
				}
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

// constStrings returns e if it is a constant string, or else the constant
// string arguments of e if it is a call.
func constStrings(e ast.Expr) []string {
	if s, ok := constString(e); ok {
		return []string{s}
	}
	var out []string
	if call, ok := e.(*ast.CallExpr); ok {
		for _, a := range call.Args {
			if s, ok := constString(a); ok {
				out = append(out, s)
			}
		}
	}
	return out
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

// proseDirs are the packages whose every text is for a person or a model.
var proseDirs = []string{"..", "../tools", "../mcpserver", "../prompts"}

// operatorCalls take texts for the server's operator or for Go code, which
// stay English: log lines, panics, and errors that a caller wraps or
// that start-up reports through its own catalog text.
var operatorCalls = map[string]bool{
	"Debug": true, "Info": true, "Warn": true, "Error": true,
	"DebugContext": true, "InfoContext": true, "WarnContext": true, "ErrorContext": true,
	"Log": true, "LogAttrs": true, "panic": true, "Errorf": true, "New": true,
	"persist":  true, // the tools' ledger updates, whose words go to the log
	"shutdown": true, // the drain's reason, which goes to the log
	// Texts the code matches rather than writes.
	"HasPrefix": true, "CutPrefix": true, "Contains": true, "MustCompile": true,
}

// TestNoProseOutsideTheCatalog: every English phrase in the code of
// proseDirs is a key of the catalog, so that no text reaches a person or a
// model in English under another language because it was written past the
// catalog (a Summary built with fmt.Sprintf). Struct tags (the schema
// descriptions, which the generator translates), log lines and Go errors
// are left out.
func TestNoProseOutsideTheCatalog(t *testing.T) {
	t.Parallel()
	table := Translations(Zh)
	var found []string
	fset := token.NewFileSet()
	for _, dir := range proseDirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.ImportSpec, *ast.Field:
					return false // import paths; struct tags
				case *ast.CallExpr:
					name := ""
					switch fun := n.Fun.(type) {
					case *ast.Ident:
						name = fun.Name
					case *ast.SelectorExpr:
						name = fun.Sel.Name
					}
					return !operatorCalls[name]
				case *ast.BinaryExpr, *ast.BasicLit:
					s, ok := constString(n.(ast.Expr))
					if !ok {
						return true
					}
					if _, key := table[s]; !key && EnglishWords(s) != "" {
						found = append(found, fmt.Sprintf("%s: %q", fset.Position(n.Pos()), s))
					}
					return false
				}
				return true
			})
		}
	}
	if len(found) > 0 {
		t.Errorf("%d English texts are not in the catalog: pass them through Lang.Text, Textf or Msg and translate them, or, if they are for the server's operator, log them:\n%s",
			len(found), strings.Join(found, "\n"))
	}
}
