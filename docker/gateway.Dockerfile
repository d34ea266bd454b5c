# syntax=docker/dockerfile:1
# The gateway image: the esbuild bundle, its SQL migrations and the one native package it loads
# (@node-rs/argon2). Build from the repository root:
#   docker buildx build -f docker/gateway.Dockerfile --platform linux/arm64 -t nexo/gateway .

ARG NODE_IMAGE=node:24-bookworm-slim
ARG PNPM_VERSION=10.34.9
ARG TURBO_VERSION=2.11.11

FROM ${NODE_IMAGE} AS base
ARG PNPM_VERSION
ENV PNPM_HOME=/pnpm \
    PATH=/pnpm:$PATH \
    NEXT_TELEMETRY_DISABLED=1 \
    TURBO_TELEMETRY_DISABLED=1 \
    CI=true
RUN --mount=type=cache,id=nexo-npm,target=/root/.npm \
    npm install --global "pnpm@${PNPM_VERSION}" && pnpm config set store-dir /pnpm/store --global

# Only the workspaces the gateway depends on, with package manifests split from sources so the
# install layer is reused while only code changes.
FROM base AS prune
ARG TURBO_VERSION
WORKDIR /repo
RUN --mount=type=cache,id=nexo-npm,target=/root/.npm npm install --global "turbo@${TURBO_VERSION}"
COPY . .
RUN turbo prune @nexo/gateway --docker

FROM base AS deps
WORKDIR /repo
COPY --from=prune /repo/out/json/ ./
RUN --mount=type=cache,id=nexo-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile

FROM deps AS build
COPY --from=prune /repo/out/full/ ./
RUN pnpm --filter @nexo/gateway build \
 # node_modules for the bundle: @node-rs/argon2 and its native build for this platform, copied
 # out of pnpm's store layout (symlinks resolved). PGlite is left out: production uses Postgres.
 && mkdir -p /out/node_modules/@node-rs \
 && cp -RL node_modules/.pnpm/node_modules/@node-rs/argon2 /out/node_modules/@node-rs/ \
 && for native in node_modules/.pnpm/node_modules/@node-rs/argon2-linux-*-gnu; do \
      cp -RL "$native" /out/node_modules/@node-rs/; \
    done \
 && cp -R apps/gateway/dist/main.mjs apps/gateway/dist/chunks apps/gateway/dist/drizzle /out/ \
 && printf '{"type":"module","private":true}\n' > /out/package.json

FROM ${NODE_IMAGE} AS runtime
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=""
LABEL org.opencontainers.image.title="nexo-gateway" \
      org.opencontainers.image.description="Nexo CRM gateway: tRPC API, sessions, migrations" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="UNLICENSED" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Files stay owned by root: the process cannot rewrite its own code.
COPY --from=build /out/ ./
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# tini as PID 1 forwards SIGTERM (graceful drain) and reaps zombies.
ENTRYPOINT ["/usr/bin/tini", "--"]
# Under a heap cap below 256 MB (compose.rpi.yml gives 160), V8 lets the old generation grow only
# 1.3-fold between full collections: under load the gateway then ran one every 0.1 s, a quarter of
# its CPU. Twofold growth (a V8 option, so not settable through NODE_OPTIONS) takes a third off the
# CPU of a deal board and 20–30 MB onto peak RSS; the cap and the idle-time shrinking stay.
CMD ["node", "--heap-growing-percent=100", "main.mjs"]
