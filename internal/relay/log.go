package relay

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pion/logging"
)

// slogFactory hands pion's components loggers that write warnings and
// errors to slog; pion's debug and info output is noise in production.
type slogFactory struct{ log *slog.Logger }

func (f slogFactory) NewLogger(scope string) logging.LeveledLogger {
	return slogLogger{log: f.log.With("pion", scope)}
}

type slogLogger struct{ log *slog.Logger }

func (l slogLogger) Trace(string)                  {}
func (l slogLogger) Tracef(string, ...interface{}) {}
func (l slogLogger) Debug(string)                  {}
func (l slogLogger) Debugf(string, ...interface{}) {}
func (l slogLogger) Info(string)                   {}
func (l slogLogger) Infof(string, ...interface{})  {}
func (l slogLogger) Warn(msg string)               { l.log.Log(context.Background(), slog.LevelDebug, msg) }
func (l slogLogger) Warnf(f string, a ...interface{}) {
	l.log.Log(context.Background(), slog.LevelDebug, fmt.Sprintf(f, a...))
}
func (l slogLogger) Error(msg string) { l.log.Warn(msg) }
func (l slogLogger) Errorf(f string, a ...interface{}) {
	l.log.Warn(fmt.Sprintf(f, a...))
}
