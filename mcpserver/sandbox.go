package mcpserver

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/dingtalk/sandbox"
)

// startSandbox serves the DingTalk emulator with its demo organisation on
// a free loopback port, and returns its base URL (of both API families)
// and how to stop it.
func startSandbox(logger *slog.Logger) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("start the sandbox: %w", err)
	}
	// Seeding the emulator takes about half a millisecond: it happens on
	// another core while the server is built, and its first request waits
	// for it if need be.
	emulator := sync.OnceValue(func() *sandbox.Server { return sandbox.New() })
	go emulator()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { emulator().ServeHTTP(w, r) })
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) // returns http.ErrServerClosed once stop closes it
	url = "http://" + ln.Addr().String()
	logger.Info("sandbox: serving the DingTalk emulator", "url", url)
	return url, func() { srv.Close() }, nil
}
