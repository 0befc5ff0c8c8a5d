#!/usr/bin/env bash
# Benchmarks a release build on SQLite with wrk on loopback: discovery and JWKS requests/s, refresh
# grants/s with rotation, p50/p99 latency, idle and peak RSS. Prints a Markdown table.
# Usage: benchmarks/run.sh [seconds per run, default 15] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONNECTIONS=${2:-32}
REFRESH_FAMILIES=${REFRESH_FAMILIES:-16}
ALG=${LOGINTOO_SIGNING_ALG:-RS256}

command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
swift build -c release --product logintoo > "${TMPDIR:-/tmp}/logintoo-bench-build.log" 2>&1 || { cat "${TMPDIR:-/tmp}/logintoo-bench-build.log"; exit 1; }
BIN=.build/release/logintoo

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ISSUER="http://127.0.0.1:$PORT"
export LOGINTOO_DATA_DIR="$WORK/data" LOGINTOO_SIGNING_ALG="$ALG" LOGINTOO_SENDS_PER_IP_PER_HOUR=100000 LOGINTOO_LOG_LEVEL=warning
"$BIN" serve --listen "127.0.0.1:$PORT" --issuer "$ISSUER" --demo false > "$WORK/console.log" 2> "$WORK/server.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf "$ISSUER/healthz" >/dev/null && break; sleep 0.1; done
sleep 1
IDLE_RSS=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)

CLIENT=$("$BIN" client add --name Bench --redirect-uri http://127.0.0.1:9/callback --json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])')
python3 benchmarks/prepare_tokens.py "$ISSUER" "$CLIENT" "$WORK/console.log" "$REFRESH_FAMILIES" > "$WORK/tokens.txt"

# The server's CPU time so far, in clock ticks (user + system).
cpu_ticks() { awk '{print $14 + $15}' /proc/$SERVER/stat; }

# One wrk run: prints "requests/s p50 p99 errors cpu-ms-per-request" (latencies in ms).
measure() {
  local before after
  before=$(cpu_ticks)
  wrk --latency "$@" > "$WORK/wrk.out"
  after=$(cpu_ticks)
  python3 - "$WORK/wrk.out" "$((after - before))" "$(getconf CLK_TCK)" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
cpu_seconds = int(sys.argv[2]) / int(sys.argv[3])
def ms(label):
    value, unit = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)" % label, text, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
total = int(re.search(r"(\d+) requests in", text).group(1))
print(f"{rps:.0f} {ms('50'):.2f} {ms('99'):.2f} {bad.group(1) if bad else 0} {1000 * cpu_seconds / max(total, 1):.3f}")
PY
}

read -r D_RPS D_P50 D_P99 D_BAD D_CPU < <(measure -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$ISSUER/.well-known/openid-configuration")
read -r J_RPS J_P50 J_P99 J_BAD J_CPU < <(measure -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$ISSUER/.well-known/jwks.json")
read -r R_RPS R_P50 R_P99 R_BAD R_CPU < <(TOKENS="$WORK/tokens.txt" measure -t"$REFRESH_FAMILIES" -c"$REFRESH_FAMILIES" -d"${DURATION}s" \
  -s benchmarks/refresh.lua "$ISSUER")
PEAK_RSS=$(awk '/VmHWM/ {print $2}' /proc/$SERVER/status)

echo
echo "Logintoo $(git rev-parse --short HEAD 2>/dev/null || echo '?'), release, SQLite, $ALG, $(nproc) cores, wrk on the same machine,"
echo "${DURATION}s per run; discovery/JWKS with $CONNECTIONS connections, refresh with $REFRESH_FAMILIES rotating families."
echo
echo "| workload | requests/s | p50 ms | p99 ms | errors | server CPU ms/request |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
echo "| discovery | $D_RPS | $D_P50 | $D_P99 | $D_BAD | $D_CPU |"
echo "| JWKS | $J_RPS | $J_P50 | $J_P99 | $J_BAD | $J_CPU |"
echo "| refresh grant (rotation) | $R_RPS | $R_P50 | $R_P99 | $R_BAD | $R_CPU |"
echo
echo "RSS: idle $((IDLE_RSS / 1024)) MiB, peak $((PEAK_RSS / 1024)) MiB"
