# syntax=docker/dockerfile:1
# The GEO hub (`geo-hub`) and the member CLI (`geo`), built from this workspace.
#   docker build -t geo-hub .
#   docker run -d -p 8080:8080 -v geo-data:/var/lib/geo --name geo geo-hub
#   docker exec geo geo-hub admin totals        # the token is read from the volume
# The data volume holds hub.db, hub.key (the hub's identity: back it up) and admin.token.

FROM rust:1.89-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p reference-hub --bin geo-hub \
 && cargo build --release --locked -p geo-client --features tls --bin geo \
 && install -D -m 0755 target/release/geo-hub /out/geo-hub \
 && install -D -m 0755 target/release/geo /out/geo

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 geo \
 && useradd --system --uid 10001 --gid geo --home-dir /var/lib/geo --shell /usr/sbin/nologin geo \
 && install -d -o geo -g geo -m 0700 /var/lib/geo
COPY --from=build /out/geo-hub /out/geo /usr/local/bin/
ENV GEO_DATA_DIR=/var/lib/geo \
    GEO_LISTEN=0.0.0.0:8080 \
    GEO_LOG_FORMAT=json
VOLUME ["/var/lib/geo"]
USER geo:geo
WORKDIR /var/lib/geo
EXPOSE 8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/geo-hub"]
CMD ["serve"]
