package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// HostKeyFile is the name of the server's private host key inside the data directory.
const HostKeyFile = "ssh_host_ed25519_key"

// LoadOrCreateHostKey returns the server's host key from dir, generating an Ed25519 key
// (mode 0600, with its .pub beside it) on first start so students see the same host key
// every time. A key file that others can read is refused, as OpenSSH refuses it.
func LoadOrCreateHostKey(dir string) (signer gossh.Signer, created bool, err error) {
	path := filepath.Join(dir, HostKeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createHostKey(dir, path)
	}
	if err != nil {
		return nil, false, fmt.Errorf("read host key: %w", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, false, err
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, false, fmt.Errorf("host key %s is readable by others (mode %04o): run chmod 600 %s", path, st.Mode().Perm(), path)
	}
	signer, err = gossh.ParsePrivateKey(b)
	if err != nil {
		return nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, false, nil
}

func createHostKey(dir, path string) (gossh.Signer, bool, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("create data directory: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, false, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "kaizen class server")
	if err != nil {
		return nil, false, err
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return nil, false, err
	}
	// Write a temporary file, then link it to the final name: a crash never leaves half a
	// key, and two servers starting at once never overwrite each other's.
	tmp, err := os.CreateTemp(dir, ".host-key-*")
	if err != nil {
		return nil, false, fmt.Errorf("write host key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if err := pem.Encode(tmp, block); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if err := tmp.Close(); err != nil {
		return nil, false, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		// Another server started at the same moment: use its key.
		if errors.Is(err, fs.ErrExist) {
			s, _, err := LoadOrCreateHostKey(dir)
			return s, false, err
		}
		return nil, false, fmt.Errorf("write host key: %w", err)
	}
	pub := gossh.MarshalAuthorizedKey(signer.PublicKey())
	_ = os.WriteFile(path+".pub", pub, 0o644)
	return signer, true, nil
}
