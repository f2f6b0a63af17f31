package mongodb

import (
	"math/bits"
	"slices"
	"strings"
)

// wordIndex is the index's search by words: every distinct word of the
// applications (roadshow.SearchWords) with the slots of the entries that
// have it. A term is looked for in the distinct words (some tens of
// thousands of short strings), not in each application's text: at 20,000
// applications scanning every summary took about 10 ms a query on the
// two-core machine, more than the page's whole budget.
//
// Postings are only added: an entry whose words change gets a new
// generation, and postings of an older one are skipped; the index is
// rebuilt once skipped postings outnumber live ones.
type wordIndex struct {
	words    []string         // distinct words, in order of first sight
	ids      map[string]int32 // word -> position in words
	postings [][]posting      // per word
	gen      []uint32         // per slot: its entry's current generation
	live     int
	stale    int
}

type posting struct {
	slot int32
	gen  uint32
}

func newWordIndex() *wordIndex { return &wordIndex{ids: map[string]int32{}} }

// set records the words of the entry in slot, replacing what it had.
// oldWords is what the slot had (nil for a new slot).
func (w *wordIndex) set(slot int32, words, oldWords []string) {
	for int(slot) >= len(w.gen) {
		w.gen = append(w.gen, 0)
	}
	if oldWords != nil {
		w.gen[slot]++
		w.stale += len(oldWords)
		w.live -= len(oldWords)
	}
	g := w.gen[slot]
	for _, word := range words {
		id, ok := w.ids[word]
		if !ok {
			id = int32(len(w.words))
			w.ids[word] = id
			w.words = append(w.words, word)
			w.postings = append(w.postings, nil)
		}
		w.postings[id] = append(w.postings[id], posting{slot: slot, gen: g})
	}
	w.live += len(words)
}

// needsRebuild reports whether skipped postings outnumber live ones.
func (w *wordIndex) needsRebuild() bool { return w.stale > w.live && w.stale > 1024 }

// match returns the slots whose words contain every term, as a bit set over
// n slots; nil when there are no terms (everything matches).
func (w *wordIndex) match(terms []string, n int) slotSet {
	if len(terms) == 0 {
		return nil
	}
	var all slotSet
	for _, t := range terms {
		s := make(slotSet, (n+63)/64)
		for id, word := range w.words {
			if !strings.Contains(word, t) {
				continue
			}
			for _, p := range w.postings[id] {
				if int(p.slot) < n && w.gen[p.slot] == p.gen {
					s[p.slot>>6] |= 1 << (p.slot & 63)
				}
			}
		}
		if all == nil {
			all = s
		} else {
			for i := range all {
				all[i] &= s[i]
			}
		}
		if all.empty() {
			break
		}
	}
	return all
}

// slotSet is a bit set of slots.
type slotSet []uint64

func (s slotSet) has(slot int32) bool { return s[slot>>6]&(1<<(slot&63)) != 0 }

func (s slotSet) empty() bool {
	return !slices.ContainsFunc(s, func(x uint64) bool { return bits.OnesCount64(x) > 0 })
}
