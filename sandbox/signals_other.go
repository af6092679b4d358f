//go:build !unix

package sandbox

func signalWords(sig int) string { return "signal " + itoa(sig) }
func limitSignal(int) string     { return "" }
func isKill(int) bool            { return false }
