package main

import (
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/dingtalk-mcp/dingtalk-mcp/audit"
	"github.com/dingtalk-mcp/dingtalk-mcp/ledger"
	"github.com/dingtalk-mcp/dingtalk-mcp/store"
)

// stateFile is the file under --state-dir that holds the ledger and the
// recent writes.
const stateFile = "state.db"

// auditFlushTimeout bounds how long shutdown waits for queued audit lines.
const auditFlushTimeout = 2 * time.Second

// openState opens what outlives a call: the store (in memory, or the file
// under --state-dir, which is opened only then), the ledger of writes in
// it, and the audit log. close flushes and closes them.
func openState(cfg *config, stderr io.Writer, logger *slog.Logger) (*ledger.Ledger, *audit.Log, func(), error) {
	var st store.Store = store.NewMemory()
	closeStore := func() {}
	if cfg.StateDir != "" {
		f, err := store.OpenFile(filepath.Join(cfg.StateDir, stateFile))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("--state-dir: %w", err)
		}
		st, closeStore = f, func() {
			if err := f.Close(); err != nil {
				logger.Error("state: closing the file", "err", err)
			}
		}
	}
	var sink *audit.Sink
	if cfg.AuditLog != "" {
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
	return ledger.New(st, ledger.WithWindow(cfg.DedupeWindow)), log, closeAll, nil
}
