package classroom

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

func newKey(t *testing.T) (gossh.PublicKey, string) {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k)))
}

func TestParseRoster(t *testing.T) {
	k1, a1 := newKey(t)
	_, a2 := newKey(t)
	good := "name,student_id,public_key\n" +
		"Ada Lovelace,42," + a1 + " ada@laptop\n" +
		"# a comment line\n" +
		"\"Hopper, Grace\",7," + a2 + "\n"
	r, err := ParseRoster(strings.NewReader(good), "roster.csv")
	if err != nil {
		t.Fatal(err)
	}
	if r.Len() != 2 {
		t.Fatalf("len = %d", r.Len())
	}
	st, ok := r.Lookup(Fingerprint(k1))
	if !ok || st.Name != "Ada Lovelace" || st.StudentID != "42" || st.Line != 2 || st.LearnerKey() != "ssh:"+gossh.FingerprintSHA256(k1) {
		t.Fatalf("lookup = %+v %v", st, ok)
	}
	if _, ok := r.Lookup("SHA256:nobody"); ok {
		t.Fatal("unknown fingerprint found")
	}
	var nilRoster *Roster
	if _, ok := nilRoster.Lookup("x"); ok || nilRoster.Len() != 0 {
		t.Fatal("nil roster")
	}

	bad := []struct {
		name, text, want string
	}{
		{"empty", "", "empty"},
		{"header", "name,id,key\n", "the header must be"},
		{"fields", "name,student_id,public_key\nAda,42\n", "line 2: want 3 fields"},
		{"no name", "name,student_id,public_key\n,42," + a1 + "\n", "line 2: the name is empty"},
		{"no key", "name,student_id,public_key\nAda,42,\n", "line 2: the public key is empty"},
		{"bad key", "name,student_id,public_key\nAda,42,ssh-ed25519 notbase64\n", "line 2: the public key is not in authorized_keys form"},
		{"options", "name,student_id,public_key\nAda,42,no-pty " + a1 + "\n", "key options"},
		{"duplicate", "name,student_id,public_key\nAda,42," + a1 + "\nBob,43," + a1 + "\n", "line 3: the same key as line 2 (Ada)"},
		{"quote", "name,student_id,public_key\n\"Ada,42," + a1 + "\n", "extraneous or missing"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRoster(strings.NewReader(tc.text), "r.csv")
			var re *RosterError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want a RosterError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to say %q", err, tc.want)
			}
		})
	}
	// Every problem is reported, not just the first.
	_, err = ParseRoster(strings.NewReader("name,student_id,public_key\n,1,"+a1+"\nBob,2,\n"), "r.csv")
	var re *RosterError
	if !errors.As(err, &re) || len(re.Problems) != 2 {
		t.Fatalf("want 2 problems, got %v", err)
	}
}
