#!/usr/bin/env bash
# The refresh grant on PostgreSQL with one and with two instances (release build, wrk on loopback; with two
# instances, one wrk per instance at once and the rates summed). Needs a PostgreSQL server:
#   eval "$(scripts/postgres-up)"; benchmarks/postgres.sh [seconds per run, default 15] [families per instance, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
FAMILIES=${2:-16}
: "${LOGINTOO_TEST_POSTGRES_URL:?run eval \"\$(scripts/postgres-up)\" first}"
command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
# The same build as run.sh's: the binary the container image ships.
swift build -c release --static-swift-stdlib --product logintoo > "${TMPDIR:-/tmp}/logintoo-bench-build.log" 2>&1 \
    || { cat "${TMPDIR:-/tmp}/logintoo-bench-build.log"; exit 1; }
BIN=$(swift build -c release --static-swift-stdlib --show-bin-path)/logintoo
WORK=$(mktemp -d)
PIDS=()
trap 'for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rps() { python3 -c 'import re,sys; print(re.search(r"Requests/sec:\s+([\d.]+)", open(sys.argv[1]).read()).group(1))' "$1"; }

# One fresh database per configuration; instances share it, the key-encryption key and the issuer.
run_cluster() {
    local instances=$1 db="bench_$(date +%s%N)"
    psql "${LOGINTOO_TEST_POSTGRES_URL%%\?*}" -qc "CREATE DATABASE $db"
    local url="${LOGINTOO_TEST_POSTGRES_URL%%/postgres\?*}/$db?sslmode=disable"
    local kek issuer_port ports=()
    kek=$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')
    for n in $(seq "$instances"); do ports+=("$(free_port)"); done
    local issuer="http://127.0.0.1:${ports[0]}"
    for n in $(seq 0 $((instances - 1))); do
        LOGINTOO_LOG_LEVEL=warning "$BIN" serve --listen "127.0.0.1:${ports[$n]}" --issuer "$issuer" --demo false \
            --database-url "$url" --key-encryption-key "$kek" --sends-per-ip-per-hour 100000 --send-interval 0 \
            > "$WORK/console-$n.log" 2> "$WORK/server-$n.err" &
        PIDS+=($!)
    done
    for port in "${ports[@]}"; do
        for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    done
    local client
    client=$("$BIN" client add --name Bench --redirect-uri http://127.0.0.1:9/callback --json --database-url "$url" \
        --key-encryption-key "$kek" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])')
    local total=0
    local logs
    logs=$(ls "$WORK"/console-*.log | paste -sd, -)
    python3 benchmarks/signin.py logintoo --base "$issuer" --client-id "$client" --redirect-uri http://127.0.0.1:9/callback \
        --mailbox "console:$logs" --mint $((FAMILIES * instances)) > "$WORK/tokens.txt"
    for n in $(seq 0 $((instances - 1))); do
        sed -n "$((n * FAMILIES + 1)),$(((n + 1) * FAMILIES))p" "$WORK/tokens.txt" > "$WORK/tokens-$n.txt"
    done
    for n in $(seq 0 $((instances - 1))); do
        TOKENS="$WORK/tokens-$n.txt" wrk --latency -t"$FAMILIES" -c"$FAMILIES" -d"${DURATION}s" -s benchmarks/refresh.lua \
            "http://127.0.0.1:${ports[$n]}" > "$WORK/wrk-$n.out" &
    done
    wait $(jobs -p | tail -n "$instances")
    for n in $(seq 0 $((instances - 1))); do total=$(python3 -c "print($total + $(rps "$WORK/wrk-$n.out"))"); done
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait "${PIDS[@]}" 2>/dev/null || true
    PIDS=()
    printf '| refresh grant, PostgreSQL, %s instance(s) | %.0f |\n' "$instances" "$total"
}

echo "Logintoo $(git rev-parse --short HEAD), release, RS256, $(nproc) cores, PostgreSQL $(psql "${LOGINTOO_TEST_POSTGRES_URL%%\?*}" -Atc 'show server_version'),"
echo "wrk on the same machine, ${DURATION}s per run, $FAMILIES rotating families per instance."
echo
echo "| workload | requests/s |"
echo "| --- | ---: |"
run_cluster 1
run_cluster 2
