package metrics

import (
	"context"
	"sync"

	"go.mongodb.org/mongo-driver/event"
)

// StoreMonitor returns a command monitor for the store's driver that times
// every command by its name (find, insert, update, ...) and collection. A
// nil *Metrics returns nil: no monitor.
func (m *Metrics) StoreMonitor() *event.CommandMonitor {
	if m == nil {
		return nil
	}
	// The finished events carry no collection: remember it from the
	// started one, by the request's id on its connection.
	type key struct {
		conn string
		id   int64
	}
	var mu sync.Mutex
	pending := map[key]string{}
	finish := func(conn string, id int64, command string, took float64, failed bool) {
		mu.Lock()
		coll, ok := pending[key{conn, id}]
		delete(pending, key{conn, id})
		mu.Unlock()
		if !ok {
			return // a command we did not see start (handshakes): not the stores'
		}
		m.storeDuration.WithLabelValues(command, coll).Observe(took)
		if failed {
			m.storeErrors.WithLabelValues(command, coll).Inc()
		}
	}
	return &event.CommandMonitor{
		Started: func(_ context.Context, e *event.CommandStartedEvent) {
			coll := ""
			if v, err := e.Command.LookupErr(e.CommandName); err == nil {
				coll, _ = v.StringValueOK()
			}
			if coll == "" {
				coll = "-" // database commands: ping, endSessions, ...
			}
			mu.Lock()
			pending[key{e.ConnectionID, e.RequestID}] = coll
			mu.Unlock()
		},
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) {
			finish(e.ConnectionID, e.RequestID, e.CommandName, e.Duration.Seconds(), false)
		},
		Failed: func(_ context.Context, e *event.CommandFailedEvent) {
			finish(e.ConnectionID, e.RequestID, e.CommandName, e.Duration.Seconds(), true)
		},
	}
}
