package roadshow_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/roadshow/roadshow/roadshow"
)

// pdf returns a well-formed-looking PDF of exactly n bytes (n >= 16).
func pdf(n int) []byte {
	b := make([]byte, 0, n)
	b = append(b, "%PDF-1.7\n"...)
	for len(b) < n-7 {
		b = append(b, byte('a'+len(b)%26))
	}
	b = append(b, "\n%%EOF\n"...)
	return b[:n]
}

// readAllBuf reads r to the end with reads of at most size bytes, the way a
// careful streaming consumer does (io.ReadAll chooses its own sizes).
func readAllBuf(r io.Reader, size int) ([]byte, error) {
	var out []byte
	buf := make([]byte, size)
	for {
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

func TestNewPDFReaderPassesPDFs(t *testing.T) {
	t.Parallel()
	small, large := pdf(100), pdf(5<<20+3)
	// "%%EOF" just inside the last 1 KiB, followed by white space.
	trailing := append(pdf(3000), bytes.Repeat([]byte("\r\n"), 509)...)
	for _, tt := range []struct {
		name string
		data []byte
		max  int64
		wrap func(io.Reader) io.Reader
		buf  int // 0: io.ReadAll
	}{
		{"Small", small, roadshow.MaxDeckSize, nil, 0},
		{"ExactlyMax", small, int64(len(small)), nil, 0},
		{"SmallOneByteReader", small, roadshow.MaxDeckSize, iotest.OneByteReader, 0},
		{"SmallHalfReader", small, roadshow.MaxDeckSize, iotest.HalfReader, 0},
		{"SmallDataWithEOF", small, roadshow.MaxDeckSize, iotest.DataErrReader, 0},
		{"SmallBuffer3", small, roadshow.MaxDeckSize, nil, 3},
		{"SmallBuffer1", small, roadshow.MaxDeckSize, nil, 1},
		{"Large", large, roadshow.MaxDeckSize, nil, 0},
		{"LargeBuffer32K", large, roadshow.MaxDeckSize, nil, 32 << 10},
		{"LargeBuffer1MiB", large, roadshow.MaxDeckSize, nil, 1 << 20},
		{"LargeDataWithEOF", large, roadshow.MaxDeckSize, iotest.DataErrReader, 0},
		{"LargeOneByteReader", pdf(300_000), roadshow.MaxDeckSize, iotest.OneByteReader, 0},
		{"Minimal", []byte("%PDF-%%EOF"), 10, nil, 0},
		{"MinimalOneByte", []byte("%PDF-%%EOF"), 10, iotest.OneByteReader, 0},
		{"TrailingWhiteSpace", trailing, roadshow.MaxDeckSize, nil, 0},
		{"TrailingWhiteSpaceOneByte", trailing, roadshow.MaxDeckSize, iotest.OneByteReader, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var src io.Reader = bytes.NewReader(tt.data)
			if tt.wrap != nil {
				src = tt.wrap(src)
			}
			r := roadshow.NewPDFReader(src, tt.max)
			var got []byte
			var err error
			if tt.buf == 0 {
				got, err = io.ReadAll(r)
			} else {
				got, err = readAllBuf(r, tt.buf)
			}
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if !bytes.Equal(got, tt.data) {
				t.Fatalf("got %d bytes, want the %d bytes given, unchanged", len(got), len(tt.data))
			}
		})
	}
}

// TestNewPDFReaderIOTest runs the standard reader checks on a valid PDF.
func TestNewPDFReaderIOTest(t *testing.T) {
	t.Parallel()
	data := pdf(10_000)
	if err := iotest.TestReader(roadshow.NewPDFReader(bytes.NewReader(data), roadshow.MaxDeckSize), data); err != nil {
		t.Fatal(err)
	}
}

func TestNewPDFReaderRefuses(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		data []byte
		max  int64
		wrap func(io.Reader) io.Reader
		want string
	}{
		{"ErrEmpty", nil, roadshow.MaxDeckSize, nil, roadshow.EUNPROCESSABLE},
		{"ErrShorterThanHeader", []byte("%PD"), roadshow.MaxDeckSize, nil, roadshow.EUNPROCESSABLE},
		{"ErrHeaderOnly", []byte("%PDF-"), roadshow.MaxDeckSize, nil, roadshow.EUNPROCESSABLE},
		{"ErrNotPDF", []byte("GIF89a not a pdf at all %%EOF"), roadshow.MaxDeckSize, nil, roadshow.EUNPROCESSABLE},
		{"ErrNotPDFOneByte", []byte("GIF89a not a pdf at all %%EOF"), roadshow.MaxDeckSize, iotest.OneByteReader, roadshow.EUNPROCESSABLE},
		{"ErrLowerCaseHeader", []byte("%pdf-1.4\n%%EOF"), roadshow.MaxDeckSize, nil, roadshow.EUNPROCESSABLE},
		{"ErrHeaderNotFirst", append([]byte(" "), pdf(100)...), roadshow.MaxDeckSize, nil, roadshow.EUNPROCESSABLE},
		{"ErrZIP", append([]byte("PK\x03\x04"), pdf(100)...), roadshow.MaxDeckSize, nil, roadshow.EUNPROCESSABLE},
		{"ErrMissingEOF", pdf(2000)[:1990], roadshow.MaxDeckSize, nil, roadshow.EUNPROCESSABLE},
		{"ErrMissingEOFOneByte", pdf(2000)[:1990], roadshow.MaxDeckSize, iotest.OneByteReader, roadshow.EUNPROCESSABLE},
		{"ErrMissingEOFDataWithEOF", pdf(2000)[:1990], roadshow.MaxDeckSize, iotest.DataErrReader, roadshow.EUNPROCESSABLE},
		{"ErrTruncatedEOF", []byte("%PDF-1.4\n%%EO"), roadshow.MaxDeckSize, nil, roadshow.EUNPROCESSABLE},
		{"ErrEOFOnlyEarly", append(pdf(100), bytes.Repeat([]byte("x"), 2000)...), roadshow.MaxDeckSize, nil, roadshow.EUNPROCESSABLE},
		{"ErrOneByteOverMax", pdf(1001), 1000, nil, roadshow.ETOOLARGE},
		{"ErrOverMax", pdf(5000), 1000, nil, roadshow.ETOOLARGE},
		{"ErrOverMaxOneByte", pdf(5000), 1000, iotest.OneByteReader, roadshow.ETOOLARGE},
		{"ErrOverMaxDataWithEOF", pdf(1001), 1000, iotest.DataErrReader, roadshow.ETOOLARGE},
		{"ErrNotPDFOverMax", bytes.Repeat([]byte("x"), 5000), 1000, nil, roadshow.EUNPROCESSABLE}, // the header is seen first
		{"ErrOverDeckMax", pdf(roadshow.MaxDeckSize + 1), roadshow.MaxDeckSize, nil, roadshow.ETOOLARGE},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var src io.Reader = bytes.NewReader(tt.data)
			if tt.wrap != nil {
				src = tt.wrap(src)
			}
			r := roadshow.NewPDFReader(src, tt.max)
			got, err := io.ReadAll(r)
			if code := roadshow.ErrorCode(err); code != tt.want {
				t.Fatalf("got error %v (code %q), want code %q", err, code, tt.want)
			}
			if roadshow.ErrorMessage(err) == "Internal error." || roadshow.ErrorMessage(err) == "" {
				t.Fatalf("got message %q, want one for the applicant", roadshow.ErrorMessage(err))
			}
			if tt.want == roadshow.EUNPROCESSABLE {
				if f := roadshow.ErrorFields(err)["deck"]; f.Message == "" || f.Key == "" {
					t.Fatalf("got fields %v, want a message for deck", roadshow.ErrorFields(err))
				}
			}
			if int64(len(got)) > tt.max {
				t.Fatalf("got %d bytes through, want at most max %d", len(got), tt.max)
			}
			// The error sticks: a consumer that reads again gets it again and no data.
			n, err2 := r.Read(make([]byte, 10))
			if n != 0 || roadshow.ErrorCode(err2) != tt.want {
				t.Fatalf("read after the error: got %d, %v, want 0, code %s", n, err2, tt.want)
			}
		})
	}
}

// TestNewPDFReaderOverMaxStopsEarly shows that an oversized upload is refused
// after at most one read past the limit, not after reading it all.
func TestNewPDFReaderOverMaxStopsEarly(t *testing.T) {
	t.Parallel()
	src := &countingReader{r: io.MultiReader(strings.NewReader("%PDF-1.4\n"), endless{})}
	_, err := io.ReadAll(roadshow.NewPDFReader(src, 1<<20))
	if got := roadshow.ErrorCode(err); got != roadshow.ETOOLARGE {
		t.Fatalf("got %v, want code %s", err, roadshow.ETOOLARGE)
	}
	if src.n > 2<<20 {
		t.Fatalf("got %d bytes read from the source, want about the 1 MiB limit", src.n)
	}
}

func TestNewPDFReaderPassesSourceErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("connection reset")
	src := io.MultiReader(strings.NewReader("%PDF-1.4\n"), iotest.ErrReader(boom))
	got, err := io.ReadAll(roadshow.NewPDFReader(src, roadshow.MaxDeckSize))
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want %v", err, boom)
	}
	if string(got) != "%PDF-1.4\n" {
		t.Fatalf("got %q, want the bytes before the error", got)
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// endless is an infinite source of padding.
type endless struct{}

func (endless) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = ' '
	}
	return len(b), nil
}
