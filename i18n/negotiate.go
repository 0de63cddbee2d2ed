package i18n

import (
	"fmt"

	"golang.org/x/text/language"
)

// matcher picks, from a client's Accept-Language, the nearest language the
// server speaks: zh-CN, zh-Hans, zh-SG and plain zh all get zh.
var matcher = language.NewMatcher(tags)

// Negotiate returns the language of one HTTP request: the lang query
// parameter when given (an unknown one is an error listing the languages),
// then the nearest of Accept-Language's languages that the server speaks,
// then def. A header that names none of them ("fr", "*") gives def.
func Negotiate(query, acceptLanguage string, def Lang) (Lang, error) {
	if query != "" {
		l, err := Parse(query)
		if err != nil {
			return "", fmt.Errorf("the lang parameter must be one of %s, got %q", List(), query)
		}
		return l, nil
	}
	wanted, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(wanted) == 0 {
		return def, nil
	}
	_, i, conf := matcher.Match(wanted...)
	if conf == language.No {
		return def, nil
	}
	return Langs[i], nil
}
