# syntax=docker/dockerfile:1
# The web image: Next.js standalone output (server.js + the traced node_modules) and its static
# assets. Build from the repository root:
#   docker buildx build -f docker/web.Dockerfile --platform linux/arm64 -t nexo/web .

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

FROM base AS prune
ARG TURBO_VERSION
WORKDIR /repo
RUN --mount=type=cache,id=nexo-npm,target=/root/.npm npm install --global "turbo@${TURBO_VERSION}"
COPY . .
RUN turbo prune @nexo/web --docker

FROM base AS deps
WORKDIR /repo
COPY --from=prune /repo/out/json/ ./
RUN --mount=type=cache,id=nexo-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile

FROM deps AS build
COPY --from=prune /repo/out/full/ ./
# The build needs no gateway: GATEWAY_URL is read when the server starts, not baked in.
RUN --mount=type=cache,id=nexo-next-cache,target=/repo/apps/web/.next/cache \
    pnpm --filter @nexo/web build

FROM ${NODE_IMAGE} AS runtime
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=""
LABEL org.opencontainers.image.title="nexo-web" \
      org.opencontainers.image.description="Nexo CRM web app (Next.js standalone server)" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="UNLICENSED" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Standalone output keeps the monorepo layout: the server lives at apps/web/server.js, started
# through apps/web/serve.mjs, which sets the client address the gateway trusts. Files stay
# owned by root; Next only needs to write its image-optimisation cache, which gets its own folder.
COPY --from=build /repo/apps/web/.next/standalone/ ./
RUN mkdir -p apps/web/.next/cache && chown node:node apps/web/.next/cache
ENV NODE_ENV=production \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    GATEWAY_URL=http://gateway:4000
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "apps/web/serve.mjs"]
