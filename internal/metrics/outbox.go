package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/roadshow/roadshow/roadshow"
)

// scrapeTimeout bounds the store read of a scrape.
const scrapeTimeout = 2 * time.Second

// Outbox is what the outbox collector reads (mail.Outbox).
type Outbox interface {
	Status(ctx context.Context) (roadshow.MailStatus, error)
	Counts() (sent, failures uint64)
}

type outboxCollector struct {
	o                                    Outbox
	pending, givenUp, sent, failures, up *prometheus.Desc
}

// NewOutboxCollector collects the outbox's queue (read from the store at
// scrape time) and the sender's attempts.
func NewOutboxCollector(o Outbox) prometheus.Collector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(namespace, "mail", name), help, nil, nil)
	}
	return &outboxCollector{o: o,
		pending:  d("outbox_pending", "Messages waiting in the outbox to be sent."),
		givenUp:  d("outbox_failed", "Messages in the outbox given up after every retry (organizers see them)."),
		sent:     d("sent_total", "Messages this process handed to the SMTP server."),
		failures: d("send_failures_total", "Failed sending attempts of this process (each retry counts)."),
		up:       d("outbox_readable", "1 when the outbox could be read from the store at this scrape, else 0."),
	}
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.pending, c.givenUp, c.sent, c.failures, c.up} {
		ch <- d
	}
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	sent, failures := c.o.Counts()
	ch <- prometheus.MustNewConstMetric(c.sent, prometheus.CounterValue, float64(sent))
	ch <- prometheus.MustNewConstMetric(c.failures, prometheus.CounterValue, float64(failures))
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	st, err := c.o.Status(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(st.Pending))
	ch <- prometheus.MustNewConstMetric(c.givenUp, prometheus.GaugeValue, float64(st.Failed))
}
