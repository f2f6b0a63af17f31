package http_test

import (
	"testing"
)

// BenchmarkSessionResults measures GET /sessions/{id}/results for a live
// session of six teams scored by three judges, over HTTP on the embedded
// store: the scores and conflicts are read by their deterministic ids.
func BenchmarkSessionResults(b *testing.B) {
	s := MustServer(b, serverOpts{})
	e := MustEdition(b, s, "digital-tech", []string{"Asia/Tokyo", "Asia/Seoul", "Asia/Singapore", "Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong"})
	se := e.liveSession(b)
	base := "/sessions/" + se.ID
	s.Must(b, 200, "POST", base+"/start", e.org.Token, nil)
	for i := range se.Slots {
		if i > 0 {
			s.Must(b, 200, "POST", base+"/next", e.org.Token, nil)
		}
		for j, judge := range e.judges {
			s.Must(b, 200, "PUT", base+"/scores/"+se.Slots[i].ApplicationID, judge.Token, scoreBody(3+(i+j)%7))
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Must(b, 200, "GET", base+"/results", e.org.Token, nil)
	}
}
