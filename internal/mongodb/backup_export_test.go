package mongodb

import (
	"io"

	"go.mongodb.org/mongo-driver/bson"
)

// ReadBackup checks an archive as Restore's first pass does.
func ReadBackup(r io.Reader) (BackupManifest, error) { return readBackup(r, nil, nil, nil) }

// ReadBackupAgain reads an archive as Restore's second pass does, given the first pass's
// manifest, and counts the documents and deck chunks it would write.
func ReadBackupAgain(r io.Reader, want BackupManifest) (docs, chunks int64, err error) {
	_, err = readBackup(r, &want,
		func(string, bson.Raw) error { docs++; return nil },
		func(BackupDeck, int, []byte) error { chunks++; return nil })
	return docs, chunks, err
}
