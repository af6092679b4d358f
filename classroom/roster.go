package classroom

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	gossh "golang.org/x/crypto/ssh"
)

// RosterHeader is the header line a roster file must start with.
const RosterHeader = "name,student_id,public_key"

// Student is one row of a roster.
type Student struct {
	Name        string
	StudentID   string
	Key         gossh.PublicKey
	Fingerprint string // SHA256:..., as ssh-keygen -l prints it
	Line        int    // line in the roster file
}

// LearnerKey is the store key of the learner this student logs in as.
func (s Student) LearnerKey() string { return LearnerKey(s.Fingerprint) }

// Roster is the set of students allowed on a class server, by key fingerprint.
type Roster struct {
	Students []Student
	byFP     map[string]int
}

// Fingerprint is the identity of an SSH public key: its SHA-256 fingerprint.
func Fingerprint(k gossh.PublicKey) string { return gossh.FingerprintSHA256(k) }

// LearnerKey is the store key of the learner behind an SSH key fingerprint.
func LearnerKey(fingerprint string) string { return "ssh:" + fingerprint }

// Lookup finds the student whose key has this fingerprint.
func (r *Roster) Lookup(fingerprint string) (Student, bool) {
	if r == nil {
		return Student{}, false
	}
	i, ok := r.byFP[fingerprint]
	if !ok {
		return Student{}, false
	}
	return r.Students[i], true
}

// Len is the number of students.
func (r *Roster) Len() int {
	if r == nil {
		return 0
	}
	return len(r.Students)
}

// RosterError lists every problem found in a roster file.
type RosterError struct {
	File     string
	Problems []string // "line N: what is wrong"
}

func (e *RosterError) Error() string {
	return fmt.Sprintf("roster %s has %d problem(s):\n  %s", e.File, len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// LoadRoster reads a roster file.
func LoadRoster(path string) (*Roster, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read roster: %w", err)
	}
	return ParseRoster(bytes.NewReader(b), path)
}

// ParseRoster reads a roster: CSV with the header name,student_id,public_key and one student
// a row, the key in OpenSSH authorized_keys form ("ssh-ed25519 AAAA... comment"). Every
// problem is reported, with its line, and a roster with any problem is refused as a whole.
func ParseRoster(r io.Reader, file string) (*Roster, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	rerr := &RosterError{File: file}
	ro := &Roster{byFP: map[string]int{}}
	header := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				rerr.Problems = append(rerr.Problems, fmt.Sprintf("line %d: %v", pe.Line, pe.Err))
				if header {
					return nil, rerr
				}
				continue
			}
			rerr.Problems = append(rerr.Problems, err.Error())
			break
		}
		line, _ := cr.FieldPos(0)
		if header {
			header = false
			got := make([]string, len(rec))
			for i, f := range rec {
				got[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(f, "\ufeff")))
			}
			if strings.Join(got, ",") != RosterHeader {
				rerr.Problems = append(rerr.Problems, fmt.Sprintf("line %d: the header must be %q, got %q", line, RosterHeader, strings.Join(rec, ",")))
				return nil, rerr
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != 3 {
			rerr.Problems = append(rerr.Problems, fmt.Sprintf("line %d: want 3 fields (name, student_id, public_key), got %d; quote a name that has a comma", line, len(rec)))
			continue
		}
		st := Student{Name: strings.TrimSpace(rec[0]), StudentID: strings.TrimSpace(rec[1]), Line: line}
		if st.Name == "" {
			rerr.Problems = append(rerr.Problems, fmt.Sprintf("line %d: the name is empty", line))
		}
		keyText := strings.TrimSpace(rec[2])
		if keyText == "" {
			rerr.Problems = append(rerr.Problems, fmt.Sprintf("line %d: the public key is empty", line))
			continue
		}
		k, _, options, rest, err := gossh.ParseAuthorizedKey([]byte(keyText))
		switch {
		case err != nil:
			rerr.Problems = append(rerr.Problems, fmt.Sprintf("line %d: the public key is not in authorized_keys form (like \"ssh-ed25519 AAAA... ada@laptop\"): %v", line, err))
			continue
		case len(options) > 0:
			rerr.Problems = append(rerr.Problems, fmt.Sprintf("line %d: key options (%s) are not supported; give the bare key", line, strings.Join(options, ",")))
			continue
		case len(bytes.TrimSpace(rest)) > 0:
			rerr.Problems = append(rerr.Problems, fmt.Sprintf("line %d: one key per row", line))
			continue
		}
		if _, isCert := k.(*gossh.Certificate); isCert {
			rerr.Problems = append(rerr.Problems, fmt.Sprintf("line %d: give the student's public key, not a certificate", line))
			continue
		}
		st.Key, st.Fingerprint = k, Fingerprint(k)
		if prev, dup := ro.byFP[st.Fingerprint]; dup {
			rerr.Problems = append(rerr.Problems, fmt.Sprintf("line %d: the same key as line %d (%s)", line, ro.Students[prev].Line, ro.Students[prev].Name))
			continue
		}
		ro.byFP[st.Fingerprint] = len(ro.Students)
		ro.Students = append(ro.Students, st)
	}
	if header {
		rerr.Problems = append(rerr.Problems, fmt.Sprintf("the file is empty: it needs the header %q and one student a row", RosterHeader))
	}
	if len(rerr.Problems) > 0 {
		return nil, rerr
	}
	return ro, nil
}
