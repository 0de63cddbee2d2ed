package mcpserver

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/audit"
	"github.com/dingtalk-mcp/dingtalk-mcp/ledger"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

// StateFile is the file under Config.StateDir that holds the ledger and
// the recent writes.
const StateFile = "state.db"

// auditFlushTimeout bounds how long Close waits for queued audit lines.
const auditFlushTimeout = 2 * time.Second

// openState opens what outlives a call: the store (st if given; else the
// file under StateDir, which is opened only then; else memory), the ledger
// of writes in it, and the audit log. close flushes and closes them.
func openState(cfg Config, st store.Store, logger *slog.Logger) (*ledger.Ledger, *audit.Log, func(), error) {
	closeStore := func() {}
	switch {
	case st != nil:
	case cfg.StateDir != "":
		f, err := store.OpenFile(filepath.Join(cfg.StateDir, StateFile))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("--state-dir: %w", err)
		}
		st, closeStore = f, func() {
			if err := f.Close(); err != nil {
				logger.Error("state: closing the file", "err", err)
			}
		}
	default:
		st = store.NewMemory()
	}
	var sink *audit.Sink
	if cfg.AuditLog != "" {
		stderr := cfg.Stderr
		if stderr == nil {
			stderr = os.Stderr
		}
		var err error
		if sink, err = audit.Open(cfg.AuditLog, stderr, logger); err != nil {
			closeStore()
			return nil, nil, nil, err
		}
	}
	log := audit.New(sink, st, logger)
	closeAll := func() {
		if err := log.Close(auditFlushTimeout); err != nil {
			logger.Error("audit log: closing", "err", err)
		}
		closeStore()
	}
	window := cfg.DedupeWindow
	switch {
	case window == 0:
		window = ledger.DefaultWindow
	case window < 0:
		window = 0
	}
	return ledger.New(st, ledger.WithWindow(window)), log, closeAll, nil
}
