package classroom

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameLen is the longest display name a learner may choose, in characters.
const MaxNameLen = 60

// CleanName trims and checks a display name a learner gives (a class server's new student,
// an export): inner runs of spaces become one, and it must be 1 to MaxNameLen printable
// characters.
func CleanName(raw string) (string, error) {
	name := strings.Join(strings.Fields(raw), " ")
	switch {
	case name == "":
		return "", errors.New("please type a name")
	case utf8.RuneCountInString(name) > MaxNameLen:
		return "", errors.New("that name is too long")
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return "", errors.New("a name is letters, digits, spaces and punctuation only")
		}
	}
	return name, nil
}
