package mongodb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
)

// deckChunkSize is the size of one stored piece of a deck (GridFS's default).
// Each chunk is one document with a deterministic _id
// (application:version:index), so every read and write is by _id; GridFS
// itself would filter on files_id, which the embedded store answers by
// scanning all chunks of all decks.
const deckChunkSize = 255 << 10

// DeckStore implements roadshow.DeckStore.
type DeckStore struct{ db *DB }

// Decks returns the deck store.
func (db *DB) Decks() *DeckStore { return &DeckStore{db: db} }

var _ roadshow.DeckStore = (*DeckStore)(nil)

type chunkDoc struct {
	ID   string `bson:"_id"`
	Data []byte `bson:"data"`
}

func chunkID(appID, version string, i int) string {
	return fmt.Sprintf("%s:%s:%05d", appID, version, i)
}

// WriteDeck stores r in chunks under a new version. On any error the chunks
// written so far are removed and the error (a domain error from r, such as
// ETOOLARGE) is returned.
func (s *DeckStore) WriteDeck(ctx context.Context, appID string, r io.Reader) (roadshow.DeckInfo, error) {
	info := roadshow.DeckInfo{Version: newID()}
	h := sha256.New()
	buf := make([]byte, deckChunkSize)
	col := s.db.db.Collection(colDeckChunks)
	for {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			h.Write(buf[:n])
			octx, cancel := s.db.op(ctx)
			_, err := col.InsertOne(octx, chunkDoc{ID: chunkID(appID, info.Version, info.Chunks), Data: buf[:n]})
			cancel()
			if err != nil {
				_ = s.DeleteDeck(context.WithoutCancel(ctx), appID, info)
				return roadshow.DeckInfo{}, translate(err, "deck chunk")
			}
			info.Chunks++
			info.Size += int64(n)
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			_ = s.DeleteDeck(context.WithoutCancel(ctx), appID, info)
			return roadshow.DeckInfo{}, rerr
		}
	}
	if info.Size == 0 {
		return roadshow.DeckInfo{}, roadshow.CodeError(roadshow.EUNPROCESSABLE)
	}
	info.SHA256 = hex.EncodeToString(h.Sum(nil))
	return info, nil
}

// OpenDeck streams a stored version chunk by chunk.
func (s *DeckStore) OpenDeck(ctx context.Context, appID string, d roadshow.DeckInfo) (io.ReadCloser, error) {
	return &deckReader{ctx: context.WithoutCancel(ctx), s: s, appID: appID, d: d}, nil
}

// DeleteDeck removes a stored version's chunks.
func (s *DeckStore) DeleteDeck(ctx context.Context, appID string, d roadshow.DeckInfo) error {
	col := s.db.db.Collection(colDeckChunks)
	for i := 0; i < d.Chunks; i++ {
		octx, cancel := s.db.op(ctx)
		_, err := col.DeleteOne(octx, bson.D{{Key: "_id", Value: chunkID(appID, d.Version, i)}})
		cancel()
		if err != nil {
			return fmt.Errorf("delete deck chunk %d of %s: %w", i, appID, err)
		}
	}
	return nil
}

// deckReader fetches one chunk at a time, so a download holds at most one
// chunk in memory.
type deckReader struct {
	ctx   context.Context
	s     *DeckStore
	appID string
	d     roadshow.DeckInfo
	next  int
	cur   []byte
}

func (r *deckReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.next >= r.d.Chunks {
			return 0, io.EOF
		}
		ctx, cancel := r.s.db.op(r.ctx)
		var c chunkDoc
		err := r.s.db.db.Collection(colDeckChunks).FindOne(ctx, bson.D{{Key: "_id", Value: chunkID(r.appID, r.d.Version, r.next)}}).Decode(&c)
		cancel()
		if err != nil {
			return 0, translate(err, "Deck")
		}
		r.cur = c.Data
		r.next++
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

func (r *deckReader) Close() error { return nil }
