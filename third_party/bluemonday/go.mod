// A small stand-in for github.com/microcosm-cc/bluemonday, providing only the part of its
// API that glamour uses: StrictPolicy().Sanitize, which strips every HTML element from
// inline or block HTML in Markdown. The real module builds its CSS and URL validators in
// package init (about 1.8 ms and 0.8 MB of allocation before main() on every start of
// kaizen, see docs/PERFORMANCE.md); this one does nothing at init.
module github.com/microcosm-cc/bluemonday

go 1.26.0

require golang.org/x/net v0.62.0
