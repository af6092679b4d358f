package tui

import "testing"

func TestListKeysMove(t *testing.T) {
	k := NewListKeys()
	cases := []struct {
		key         string
		cursor, n   int
		want        int
		wantHandled bool
	}{
		{"j", 0, 3, 1, true}, {"down", 2, 3, 2, true}, {"k", 0, 3, 0, true}, {"up", 2, 3, 1, true},
		{"G", 0, 3, 2, true}, {"end", 1, 3, 2, true}, {"g", 2, 3, 0, true}, {"home", 2, 3, 0, true},
		{"G", 0, 0, 0, true}, {"j", 0, 0, 0, true}, // an empty list keeps the cursor at 0
		{"enter", 1, 3, 1, false}, {"x", 1, 3, 1, false},
	}
	for _, tc := range cases {
		got, handled := k.Move(keyPress(tc.key), tc.cursor, tc.n)
		if got != tc.want || handled != tc.wantHandled {
			t.Errorf("Move(%q, %d, %d) = %d %v, want %d %v", tc.key, tc.cursor, tc.n, got, handled, tc.want, tc.wantHandled)
		}
	}
}
