package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/roadshow/roadshow/internal/relay"
	"github.com/roadshow/roadshow/roadshow"
)

// relayCollector reads the relay's counters when Prometheus scrapes: the
// packet path keeps its own atomics and gets no lock or series of ours.
type relayCollector struct {
	stats func() relay.Stats

	rooms, participants, tracks, lossMax, lossMean                                            *prometheus.Desc
	forwarded, forwardedBytes, retransmitted, nacks, keyframes, received, receivedBytes, lost *prometheus.Desc

	mu   sync.Mutex
	last map[*prometheus.Desc]uint64 // the counters as last reported
}

// NewRelayCollector collects the live relay's rooms, participants by role,
// forwarded packets and bytes, NACKs, keyframe requests and the loss seen,
// from stats (relay.Relay.Stats).
func NewRelayCollector(stats func() relay.Stats) prometheus.Collector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(namespace, "relay", name), help, labels, nil)
	}
	return &relayCollector{stats: stats, last: map[*prometheus.Desc]uint64{},
		rooms:          d("rooms", "Live rooms open."),
		participants:   d("participants", "Participants in the live rooms, by their account's role.", "role"),
		tracks:         d("tracks", "Tracks published in the live rooms."),
		lossMax:        d("receiver_loss_ratio_max", "Highest fraction lost that a receiver reported in its latest receiver report, over the tracks sent now."),
		lossMean:       d("receiver_loss_ratio_mean", "Mean fraction lost that receivers reported in their latest receiver reports, over the tracks sent now."),
		forwarded:      d("forwarded_packets_total", "RTP packets written to receivers."),
		forwardedBytes: d("forwarded_bytes_total", "Payload bytes of the RTP packets written to receivers."),
		retransmitted:  d("retransmitted_packets_total", "Packets sent again to receivers that asked (NACK) and were still cached."),
		nacks:          d("nacks_total", "Sequence numbers receivers asked for again (NACK)."),
		keyframes:      d("keyframe_requests_total", "Keyframe requests (PLI) sent to publishers, after coalescing."),
		received:       d("received_packets_total", "RTP packets received from publishers."),
		receivedBytes:  d("received_bytes_total", "Bytes of the RTP packets received from publishers."),
		lost:           d("publisher_packets_lost_total", "Packets publishers sent that never reached the relay (gaps in their sequence numbers not filled later)."),
	}
}

func (c *relayCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.rooms, c.participants, c.tracks, c.lossMax, c.lossMean, c.forwarded, c.forwardedBytes,
		c.retransmitted, c.nacks, c.keyframes, c.received, c.receivedBytes, c.lost} {
		ch <- d
	}
}

func (c *relayCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.stats()
	ch <- prometheus.MustNewConstMetric(c.rooms, prometheus.GaugeValue, float64(st.Rooms))
	ch <- prometheus.MustNewConstMetric(c.tracks, prometheus.GaugeValue, float64(st.Tracks))
	for _, role := range roadshow.Roles() {
		ch <- prometheus.MustNewConstMetric(c.participants, prometheus.GaugeValue, float64(st.ParticipantsByRole[role]), string(role))
	}
	ch <- prometheus.MustNewConstMetric(c.lossMax, prometheus.GaugeValue, st.ReceiverLossMax)
	ch <- prometheus.MustNewConstMetric(c.lossMean, prometheus.GaugeValue, st.ReceiverLossMean)
	c.mu.Lock()
	defer c.mu.Unlock()
	for d, v := range map[*prometheus.Desc]uint64{c.forwarded: st.Forwarded, c.forwardedBytes: st.ForwardedBytes,
		c.retransmitted: st.Retransmitted, c.nacks: st.NACKs, c.keyframes: st.KeyframeRequests, c.received: st.Received,
		c.receivedBytes: st.ReceivedBytes, c.lost: st.PublisherLost} {
		// A participant leaving between the relay's reads can hide its
		// counts from one snapshot; a counter never goes down.
		v = max(v, c.last[d])
		c.last[d] = v
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v))
	}
}
