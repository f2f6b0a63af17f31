package embedded

import (
	"context"
	"log/slog"
	"strings"
)

// quietHandler is the slog.Handler given to FerretDB: it passes warnings and errors to the
// application's handler and drops everything else, including FerretDB's dumps of whole wire
// messages. FerretDB logs requests at debug level, but logs the full response (header and
// body, with the documents in it) at warning level whenever a command fails (ok: 0), and at
// error level when it closes a connection; those are dropped too, since a failed command is
// already reported to the client that sent it.
type quietHandler struct {
	h slog.Handler
}

func newQuietHandler(h slog.Handler) *quietHandler {
	return &quietHandler{h: h}
}

// Enabled implements slog.Handler.
func (q *quietHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= slog.LevelWarn && q.h.Enabled(ctx, level)
}

// Handle implements slog.Handler.
func (q *quietHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn || isMessageDump(r.Message) {
		return nil
	}

	return q.h.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (q *quietHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &quietHandler{h: q.h.WithAttrs(attrs)}
}

// WithGroup implements slog.Handler.
func (q *quietHandler) WithGroup(name string) slog.Handler {
	return &quietHandler{h: q.h.WithGroup(name)}
}

// isMessageDump reports whether msg is one of FerretDB's wire message dumps
// (internal/clientconn/conn.go: "Request header: ", "Response message:\n", "Proxy Response ...",
// "Header diff:\n").
func isMessageDump(msg string) bool {
	for _, p := range []string{
		"Request header:", "Request message:",
		"Response header:", "Response message:",
		"Proxy Response header:", "Proxy Response message:",
		"Header diff:",
	} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}

	return false
}
