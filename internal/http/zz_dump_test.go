package http_test

import (
	"io"
	"os"
	"testing"

	roadshowhttp "github.com/roadshow/roadshow/internal/http"
)

func TestZZDump(t *testing.T) {
	resp, _ := roadshowhttp.New(roadshowhttp.Config{}).App().Test(httptestRequest("GET", "/api/v1/openapi.json"), -1)
	b, _ := io.ReadAll(resp.Body)
	os.WriteFile("/tmp/openapi.json", b, 0o644)
}
