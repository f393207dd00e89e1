# Shared by scripts/test and scripts/demo: installs pnpm and the workspace, builds it, finds Redis.

install_and_build() {
  if ! command -v pnpm >/dev/null 2>&1; then
    # corepack cannot fetch pnpm on every machine; npm can.
    npm install --global pnpm@10.34.9
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
