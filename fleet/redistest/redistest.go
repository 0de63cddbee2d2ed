// Package redistest runs a real redis-server for tests and benchmarks: its
// own process on a free loopback port, gone when the test ends.
package redistest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"
)

// Server is one redis-server process.
type Server struct {
	port int
	args []string
	cmd  *exec.Cmd
}

// Start runs redis-server for t with extra arguments, e.g.
// "--requirepass", "pw", and stops it when t ends. Without the binary the
// test is skipped, unless DINGTALK_MCP_REQUIRE_REDIS is set (as CI sets
// it), where that fails it.
func Start(t testing.TB, extraArgs ...string) *Server {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("DINGTALK_MCP_REQUIRE_REDIS") != "" {
			t.Fatal("redis-server is not installed (apt-get install redis-server)")
		}
		t.Skip("redis-server is not installed; CI runs this test")
	}
	s, err := Launch(extraArgs...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// Launch runs redis-server on a free loopback port with extra arguments,
// without persistence unless they ask for it, and returns once it accepts
// connections. The caller stops it.
func Launch(extraArgs ...string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{port: ln.Addr().(*net.TCPAddr).Port}
	ln.Close()
	s.args = append([]string{"--bind", "127.0.0.1", "--port", fmt.Sprint(s.port), "--save", "", "--appendonly", "no"}, extraArgs...)
	if err := s.start(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Server) start() error {
	s.cmd = exec.Command("redis-server", s.args...)
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start redis-server (apt-get install redis-server): %w", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", s.Addr()); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.Stop()
	return fmt.Errorf("redis-server did not listen on %s", s.Addr())
}

// Stop kills the server at once, as a crash would.
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		s.cmd = nil
	}
}

// Restart kills the server and starts it again on the same port with the
// same arguments: empty, unless they keep its data on disk.
func (s *Server) Restart() error {
	s.Stop()
	return s.start()
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return fmt.Sprintf("127.0.0.1:%d", s.port) }

// URL is the server's redis:// URL.
func (s *Server) URL() string { return "redis://" + s.Addr() }
