# Stand-in for the official redis image where no image registry is reachable: Debian's Redis 7.
# Used only by docker/verify.sh.
ARG BASE_IMAGE=node:24-bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server redis-tools \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data /usr/local/etc/redis \
 && chown redis:redis /data
WORKDIR /data
USER redis
ENTRYPOINT []
CMD ["redis-server", "/usr/local/etc/redis/redis.conf"]
