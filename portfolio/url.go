package portfolio

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// MaxURLLength is the longest link accepted.
const MaxURLLength = 2048

// URLError says why a link was refused, in words a learner can act on.
type URLError struct {
	URL    string
	Reason string
}

func (e *URLError) Error() string { return fmt.Sprintf("link %q: %s", e.URL, e.Reason) }

// ValidateURL checks a link to a repository or a video and returns it normalised (scheme and
// host in lower case). It accepts only https URLs with a public-looking host name (two or more
// labels, no IP address, no "localhost"), an optional port, and no spaces, control characters
// or credentials. Surrounding spaces (from pasting) are trimmed; an empty link is an error:
// callers treat "" as "no link" before calling.
func ValidateURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	bad := func(reason string) (string, error) { return "", &URLError{URL: raw, Reason: reason} }
	switch {
	case s == "":
		return bad("it is empty")
	case len(s) > MaxURLLength:
		return bad(fmt.Sprintf("it is longer than %d characters", MaxURLLength))
	case strings.ContainsFunc(s, unicode.IsSpace):
		return bad("it contains spaces")
	case strings.ContainsFunc(s, unicode.IsControl):
		return bad("it contains control characters")
	case strings.Contains(s, `\`):
		return bad(`it contains a backslash`)
	}
	u, err := url.Parse(s)
	if err != nil {
		return bad("it is not a well-formed URL")
	}
	if !strings.EqualFold(u.Scheme, "https") {
		if u.Scheme == "" {
			return bad("it must start with https://")
		}
		return bad(fmt.Sprintf("only https links are accepted, not %s", u.Scheme))
	}
	if u.Opaque != "" || !strings.HasPrefix(strings.ToLower(s), "https://") {
		return bad("it must start with https://")
	}
	if u.User != nil {
		return bad("it must not contain a user name or password")
	}
	host := u.Hostname()
	if port := u.Port(); port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return bad("its port is not a number from 1 to 65535")
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return bad("its port is empty")
	}
	if reason := hostProblem(host); reason != "" {
		return bad(reason)
	}
	u.Scheme = "https"
	u.Host = strings.ToLower(u.Host)
	return u.String(), nil
}

// hostProblem says what is wrong with a host name, "" when it is fine.
func hostProblem(host string) string {
	switch {
	case host == "":
		return "it has no host name"
	case net.ParseIP(host) != nil || strings.HasPrefix(host, "["):
		return "use a host name, not an IP address"
	case len(host) > 253:
		return "its host name is too long"
	case strings.HasSuffix(host, "."):
		return "its host name ends with a dot"
	}
	labels := strings.Split(strings.ToLower(host), ".")
	if len(labels) < 2 {
		return fmt.Sprintf("%q is not a public host name (like github.com)", host)
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return "its host name has an empty or too long part"
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return "a part of its host name starts or ends with a dash"
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return "its host name may hold only letters, digits, dashes and dots (use the xn-- form for other letters)"
			}
		}
	}
	tld := labels[len(labels)-1]
	if strings.Trim(tld, "0123456789") == "" {
		return "its host name ends with a number"
	}
	return ""
}

// ValidateLinks checks a repository and a video link; an empty one means "no link".
func ValidateLinks(repo, video string) (Links, error) {
	var l Links
	var err error
	if strings.TrimSpace(repo) != "" {
		if l.Repo, err = ValidateURL(repo); err != nil {
			return Links{}, fmt.Errorf("repository %w", err)
		}
	}
	if strings.TrimSpace(video) != "" {
		if l.Video, err = ValidateURL(video); err != nil {
			return Links{}, fmt.Errorf("video %w", err)
		}
	}
	return l, nil
}

// safeLink returns u when it still validates (links come from an event log that an import
// may have filled), else "".
func safeLink(u string) string {
	if u == "" {
		return ""
	}
	v, err := ValidateURL(u)
	if err != nil {
		return ""
	}
	return v
}
