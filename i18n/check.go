package i18n

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// englishRun finds a run of two or more English words in a translated
// text, which may end a sentence (but not be part of a name such as
// file.md): words that are not identifiers (tool and parameter names, ids,
// enum values such as WORKBOOK, A1 ranges, URLs, flags), which are the
// same in every language.
var englishRun = regexp.MustCompile(`(?:^|[^\w.:/@!#=+\-$%'])([a-z][a-z']+(?:[ ]+[a-z][a-z']+)+)(?:$|\.(?:\s|$)|[^\w.:/@!#=+\-$%'(])`)

// identifierLike is a word that is the same in every language: it has a
// capital after its first letter (userId, OperatorId, WORKBOOK), an
// underscore, a digit, a dot or a dash. A word that starts with a capital
// (Markdown, Confirm, Summary) is taken for a name too: a lower-case word
// next to it still makes a run.
var identifierLike = regexp.MustCompile(`^[A-Za-z]+[A-Z_0-9.\-][\w.\-]*$`)

// word is a Latin word, with what identifiers and URLs carry inside; a
// dot after it ends a sentence, not the word.
var word = regexp.MustCompile(`[A-Za-z](?:[\w.\-]*[\w\-])?`)

// NotChinese returns what makes text not Chinese: no CJK character at
// all, or a run of English words. Punctuation alone (a separator, a pair
// of brackets around a format verb) is no language.
func NotChinese(text string) []string {
	var problems []string
	letters := strings.ContainsFunc(verb.ReplaceAllString(text, ""), unicode.IsLetter)
	if letters && !strings.ContainsFunc(text, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		problems = append(problems, "has no Chinese character")
	}
	if run := EnglishWords(text); run != "" {
		problems = append(problems, "has the English words "+strconv.Quote(run))
	}
	return problems
}

// EnglishWords returns the first run of two or more English words in
// text that are not identifiers, or "" if it has none.
func EnglishWords(text string) string {
	// Identifiers join no run: blank them out first.
	words := word.ReplaceAllStringFunc(text, func(w string) string {
		if identifierLike.MatchString(w) || w == strings.ToUpper(w) || strings.ToUpper(w[:1]) == w[:1] {
			return "·"
		}
		return w
	})
	if m := englishRun.FindStringSubmatch(words); m != nil {
		return m[1]
	}
	return ""
}

// verb is a fmt verb with its flags, width and precision, and the
// argument index it formats when the format names one.
var verb = regexp.MustCompile(`%(?:%|[-+# 0]*(?:\[(\d+)\])?[0-9*]*(?:\.[0-9*]*)?([a-zA-Z]))`)
