package portfolio

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateURL(t *testing.T) {
	cases := []struct {
		in     string
		want   string // normalised; "" means refused
		reason string // part of the refusal
	}{
		{"https://github.com/ada/mlops-makefile", "https://github.com/ada/mlops-makefile", ""},
		{"  https://github.com/ada/repo  ", "https://github.com/ada/repo", ""},
		{"HTTPS://GitHub.COM/Ada/Repo", "https://github.com/Ada/Repo", ""},
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s", ""},
		{"https://git.example.co.uk:8443/team/repo#readme", "https://git.example.co.uk:8443/team/repo#readme", ""},
		{"https://loom.com/share/abc-123", "https://loom.com/share/abc-123", ""},
		{"https://xn--bcher-kva.example/repo", "https://xn--bcher-kva.example/repo", ""},
		{"", "", "empty"},
		{"   ", "", "empty"},
		{"http://github.com/ada/repo", "", "only https"},
		{"ftp://example.com/x", "", "only https"},
		{"javascript:alert(1)", "", "only https"},
		{"github.com/ada/repo", "", "https://"},
		{"//github.com/ada/repo", "", "https://"},
		{"https:github.com/ada", "", "https://"},
		{"https://github.com/ada/my repo", "", "spaces"},
		{"https://github.com/ada/\trepo", "", "spaces"},
		{"https://github.com/ada\x00/repo", "", "control"},
		{"https://ada:hunter2@github.com/ada/repo", "", "user name or password"},
		{"https://token@github.com/ada/repo", "", "user name or password"},
		{"https://localhost/repo", "", "public host name"},
		{"https://github/repo", "", "public host name"},
		{"https://127.0.0.1/repo", "", "IP address"},
		{"https://[::1]/repo", "", "IP address"},
		{"https://10.0.0.1:8080/x", "", "IP address"},
		{"https:///repo", "", "no host"},
		{"https://github.com:99999/x", "", "port"},
		{"https://github.com:/x", "", "port"},
		{"https://-bad-.com/x", "", "dash"},
		{"https://a..com/x", "", "empty or too long"},
		{"https://github.com./x", "", "ends with a dot"},
		{"https://bücher.example/x", "", "xn--"},
		{"https://exa_mple.com/x", "", "letters, digits"},
		{`https://github.com\@evil.com/x`, "", "backslash"},
		{"https://example.123/x", "", "number"},
		{"https://github.com/" + strings.Repeat("a", MaxURLLength), "", "longer than"},
	}
	for _, tc := range cases {
		got, err := ValidateURL(tc.in)
		if tc.want != "" {
			if err != nil || got != tc.want {
				t.Errorf("ValidateURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		var ue *URLError
		if err == nil || !errors.As(err, &ue) {
			t.Errorf("ValidateURL(%q) = %q, %v; want a URLError", tc.in, got, err)
			continue
		}
		if !strings.Contains(ue.Reason, tc.reason) {
			t.Errorf("ValidateURL(%q) reason %q lacks %q", tc.in, ue.Reason, tc.reason)
		}
	}
}

func TestValidateLinks(t *testing.T) {
	l, err := ValidateLinks(" https://github.com/a/b ", "")
	if err != nil || l.Repo != "https://github.com/a/b" || l.Video != "" {
		t.Fatalf("%+v %v", l, err)
	}
	if _, err := ValidateLinks("https://github.com/a/b", "http://youtu.be/x"); err == nil || !strings.HasPrefix(err.Error(), "video link") {
		t.Fatalf("video error = %v", err)
	}
	if l, err := ValidateLinks("", ""); err != nil || !l.Empty() {
		t.Fatal("empty links are no links")
	}
	if safeLink("javascript:alert(1)") != "" || safeLink("https://github.com/x/y") == "" {
		t.Fatal("safeLink")
	}
}
