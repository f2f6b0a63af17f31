# syntax=docker/dockerfile:1
# Build: a static binary (FerretDB's SQLite is pure Go, so CGO is off).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/roadshow ./cmd/roadshow \
 && mkdir -p /out/data

# Run: no shell, no package manager, a non-root user, data on a volume.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/roadshow /usr/local/bin/roadshow
# distroless has no shell to chown with: the volume's directory comes owned.
COPY --from=build --chown=65532:65532 /out/data /data
ENV ROADSHOW_ADDR=:8080 \
    ROADSHOW_DATA_DIR=/data
USER nonroot:nonroot
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/roadshow"]
CMD ["serve"]
