# Production image: build the `trygg` binary, then run it on a slim Debian with
# the web frontend beside it.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin trygg

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app trygg
WORKDIR /app
COPY --from=build /src/target/release/trygg /usr/local/bin/trygg
COPY web /app/web
ENV TRYGG__SERVER__WEB_DIR=/app/web \
    TRYGG__SERVER__BIND=0.0.0.0:8080 \
    TRYGG__LOG__JSON=true
USER trygg
EXPOSE 8080
ENTRYPOINT ["trygg"]
CMD ["serve", "--no-migrate"]
