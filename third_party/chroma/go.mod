// A small stand-in for github.com/alecthomas/chroma/v2, providing only the part of its API
// that glamour uses. The real module registers about 250 lexers and 70 styles in package
// init functions, which costs ~14 ms before main() runs on every start of kaizen; this
// stand-in does no work at init and highlights the languages the course uses with a small
// hand-written scanner. See docs/PERFORMANCE.md.
module github.com/alecthomas/chroma/v2

go 1.26
