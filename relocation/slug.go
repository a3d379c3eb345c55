package relocation

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// SlugMaxLength is the longest slug, in bytes (the API refuses longer ones).
const SlugMaxLength = 80

// slugPattern is what a slug is made of: lower-case ASCII letters and digits in runs
// joined by single hyphens. The CHECK on relocations.slug says the same, with the length
// (TestSlugRuleMatchesDatabase compares them).
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// IsSlug reports whether s may be a relocation's slug: the one rule, for the API, the
// forms and SlugFrom's proposals.
func IsSlug(s string) bool { return len(s) <= SlugMaxLength && slugPattern.MatchString(s) }

// SlugFrom proposes a slug for a relocation named name: lower-case ASCII letters and
// digits, accents removed (« Évry-Courcouronnes » → evry-courcouronnes), every other
// run of characters one hyphen, none at either end, at most SlugMaxLength bytes cut at
// a hyphen. "" when the name has no letter or digit to keep.
func SlugFrom(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(name) {
		ascii := foldLatin(r)
		if ascii == "" {
			hyphen = b.Len() > 0
			continue
		}
		if hyphen {
			b.WriteByte('-')
			hyphen = false
		}
		b.WriteString(ascii)
	}
	slug := b.String()
	if len(slug) > SlugMaxLength {
		slug = slug[:SlugMaxLength]
		if i := strings.LastIndexByte(slug, '-'); i > 0 {
			slug = slug[:i]
		}
		slug = strings.TrimRight(slug, "-")
	}
	return slug
}

// latinFolds are the lower-case letters of French (and neighbouring languages) that
// are not ASCII, by the ASCII letters a slug writes for them.
var latinFolds = map[string]string{
	"a": "àâäáãå", "c": "çć", "e": "éèêëę", "i": "îïíì", "n": "ñń", "o": "ôöóòõø", "u": "ùûüú", "y": "ÿý",
	"oe": "œ", "ae": "æ", "ss": "ß", "l": "ł", "s": "śš", "z": "źżž",
}

var foldTable = func() map[rune]string {
	m := map[rune]string{}
	for ascii, letters := range latinFolds {
		for _, r := range letters {
			m[r] = ascii
		}
	}
	return m
}()

// foldLatin returns what a slug writes for the lower-case rune r: itself when an ASCII
// letter or digit, its ASCII letters when an accented Latin letter, "" otherwise.
func foldLatin(r rune) string {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return string(r)
	case r < utf8.RuneSelf:
		return ""
	}
	return foldTable[r]
}
