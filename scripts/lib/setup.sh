# Shared by scripts/test and scripts/demo: installs pnpm and the workspace, builds it, finds Redis.

install_and_build() {
  # The version package.json pins: another major (pnpm 11+) would try to fetch the pinned one itself and fail here.
  local pinned
  pinned=$(node -p 'require("./package.json").packageManager.split("@")[1]')
  if [ "$(pnpm --version 2>/dev/null || true)" != "$pinned" ]; then
    # corepack cannot fetch pnpm on every machine; npm can.
    npm install --global "pnpm@$pinned"
  fi
  # better-sqlite3 is built from source against the local Node headers when no prebuilt binary is reachable.
  if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
    export npm_config_nodedir=/usr
  fi
  pnpm install --frozen-lockfile
  pnpm build
}

# Uses the Redis on 127.0.0.1:6379 when REDIS_URL is unset and one answers there; otherwise tests fall back
# to testcontainers (which needs a Docker engine).
use_local_redis_if_unset() {
  if [ -z "${REDIS_URL:-}" ] && command -v redis-cli >/dev/null 2>&1 && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    export REDIS_URL=redis://127.0.0.1:6379
  fi
}
