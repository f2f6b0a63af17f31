package embedded_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/roadshow/roadshow/internal/mongodb/embedded"
)

// dialEnv names the socket a re-run of this test binary dials as another
// user (see TestMain): it exits 0 when it got a connection, 3 when refused.
const dialEnv = "ROADSHOW_TEST_DIAL_SOCKET"

func TestMain(m *testing.M) {
	if sock := os.Getenv(dialEnv); sock != "" {
		c, err := net.DialTimeout("unix", sock, 5*time.Second)
		if err == nil {
			c.Close()
			os.Exit(0)
		}
		if errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM) {
			os.Exit(3)
		}
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(4)
	}
	os.Exit(m.Run())
}

// TestStoreRefusesOtherClients: the embedded store listens on no TCP port,
// only on a socket of mode 0600 in a data directory of mode 0700, and a
// process of another user cannot connect to it; this process can.
func TestStoreRefusesOtherClients(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	s, err := embedded.Start(context.Background(), embedded.Options{Dir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if strings.Contains(s.URI(), "127.0.0.1") || strings.Contains(s.URI(), "localhost") {
		t.Fatalf("URI %q: want a Unix socket, no TCP address", s.URI())
	}
	sock := filepath.Join(dir, embedded.SocketName)
	for path, want := range map[string]os.FileMode{sock: 0o600, dir: 0o700} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: got mode %v, want %v", path, got, want)
		}
	}
	if info, _ := os.Stat(sock); info.Mode()&os.ModeSocket == 0 {
		t.Fatalf("%s is not a socket", sock)
	}
	// No TCP listener of this process serves the store: every TCP port the
	// kernel lists as listening belongs to something else than FerretDB's
	// (it would show as an inode of this process).
	if own := listeningTCPInodes(t); len(own) > 0 {
		t.Errorf("this process listens on TCP (socket inodes %v); the embedded store must not", own)
	}
	c, err := s.Dialer().DialContext(context.Background(), "unix", "")
	if err != nil {
		t.Fatalf("this process: %v", err)
	}
	c.Close()

	if os.Geteuid() != 0 {
		t.Log("not root: the check as another user (uid 65534) needs to switch users; CI runs it as root")
		return
	}
	// Another user: this test binary, copied where that user may run it,
	// dials the socket as uid 65534 (nobody).
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	binDir, err := os.MkdirTemp("", "dialer-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(binDir)
	if err := os.Chmod(binDir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(binDir, "dialer.test")
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, env := range map[string]string{"socket": sock} {
		cmd := exec.Command(bin, "-test.run=^$")
		cmd.Env = append(os.Environ(), dialEnv+"="+env)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		switch {
		case err == nil:
			t.Errorf("%s: another user connected to the store, want refused", name)
		case errors.As(err, &ee) && ee.ExitCode() == 3:
			// refused: permission denied
		default:
			t.Errorf("%s: the other user's dial: %v %s", name, err, out)
		}
	}
}

// listeningTCPInodes returns the inodes of this process's sockets that the
// kernel lists as listening TCP sockets (/proc/net/tcp, tcp6).
func listeningTCPInodes(t *testing.T) []string {
	t.Helper()
	own := map[string]bool{}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, fd := range fds {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && strings.HasPrefix(target, "socket:[") {
			own[strings.TrimSuffix(strings.TrimPrefix(target, "socket:["), "]")] = true
		}
	}
	var out []string
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			fields := strings.Fields(line)
			// st 0A is LISTEN; the inode is the tenth field.
			if len(fields) > 9 && fields[3] == "0A" && own[fields[9]] {
				out = append(out, fields[9])
			}
		}
	}
	return out
}
