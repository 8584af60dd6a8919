# werkmatch: a static binary in a distroless image, running as non-root.
# Not exercised by CI here (the build machines have no Docker engine).
#
#   docker build -t werkmatch .
#   docker run -p 8080:8080 -v werkmatch-data:/data werkmatch serve --demo
#   docker run -p 8080:8080 -v werkmatch-data:/data -v $PWD/keys.json:/etc/werkmatch/keys.json:ro \
#       -e WERKMATCH_KEYS=/etc/werkmatch/keys.json werkmatch

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/werkmatch ./cmd/werkmatch \
    && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/werkmatch /usr/local/bin/werkmatch
# The data dir belongs to the non-root user, so a fresh named volume
# mounted there is writable.
COPY --from=build --chown=65532:65532 /out/data /data
ENV WERKMATCH_ADDR=:8080 \
    WERKMATCH_DATA=/data
USER 65532:65532
EXPOSE 8080
VOLUME ["/data"]
# Distroless has no shell, curl or wget: the binary checks itself.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["/usr/local/bin/werkmatch", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/werkmatch"]
CMD ["serve"]
