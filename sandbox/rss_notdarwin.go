//go:build unix && !darwin

package sandbox

// rssUnit converts ru_maxrss to bytes: Linux and the BSDs report kilobytes.
const rssUnit = 1024
