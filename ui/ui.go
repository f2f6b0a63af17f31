// Package ui holds the web pages, embedded into the binary.
//
// The pages are plain HTML, CSS and ES modules under static/, with no build
// step: what is in the directory is what the browser gets. The single-page app
// uses hash routes (#/login, #/applications/{id}, ...), so the server only has
// to serve FS() at / and may fall back to index.html for unknown paths.
package ui

import (
	"embed"
	"io/fs"
)

//go:embed all:static
var files embed.FS

// FS returns the static files, rooted so that "index.html" is at the top.
func FS() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		// Unreachable: "static" is embedded above, so Sub cannot fail.
		panic(err)
	}
	return sub
}
