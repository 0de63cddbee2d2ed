package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/dingtalk-mcp/dingtalk-mcp/i18n"
)

// printDefaults writes fs's flags as flag.PrintDefaults lays them out, with
// each default in l's words. A flag's usage is already in l; its name, its
// value's placeholder and its default are the same in every language.
func printDefaults(w io.Writer, l i18n.Lang, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		placeholder, usage := flag.UnquoteUsage(f)
		line := "  -" + f.Name
		if placeholder != "" {
			line += " " + placeholder
		}
		// As PrintDefaults: a zero default is not shown, a string's is quoted.
		switch def := f.DefValue; def {
		case "", "false", "0", "0s":
		default:
			if placeholder == "string" {
				def = fmt.Sprintf("%q", def)
			}
			usage += l.Textf(" (default %s)", def)
		}
		fmt.Fprintf(w, "%s\n    \t%s\n", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
	})
}

// flagErrors are the errors of flag.FlagSet.Parse (flag.go's failf), each
// with the catalog text that says it; the flag package gives them as
// strings only. The flag and the value they quote stay as they are.
var flagErrors = []struct {
	re   *regexp.Regexp
	text string
}{
	{regexp.MustCompile(`^flag provided but not defined: (-\S*)$`), "unknown flag %s"},
	{regexp.MustCompile(`^flag needs an argument: (-\S*)$`), "flag %s needs a value"},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "bad flag syntax: %s"},
	// The reason that follows is the value parser's (strconv's, time's),
	// in English only: it is left out.
	{regexp.MustCompile(`^invalid value ("(?:[^"\\]|\\.)*") for flag (-\S+): `), "invalid value %s for flag %s"},
	{regexp.MustCompile(`^invalid boolean value ("(?:[^"\\]|\\.)*") for (-\S+): `), "invalid value %s for flag %s"},
}

// flagError is err, an error of flag.FlagSet.Parse other than
// flag.ErrHelp, in l; an error the table does not know stays as it is.
func flagError(l i18n.Lang, err error) error {
	for _, fe := range flagErrors {
		if m := fe.re.FindStringSubmatch(err.Error()); m != nil {
			args := make([]any, len(m)-1)
			for i, s := range m[1:] {
				args[i] = s
			}
			return errors.New(l.Textf(fe.text, args...))
		}
	}
	return err
}
