#!/usr/bin/env bash
# Benchmarks on record, in one run on one machine: the physical signing limit (benchmarks/SigningLimit), the refresh
# grant without HTTP (benchmarks/CoreRefresh: the token service on a SQLite file, CONNECTIONS families at once), then
# Logintoo (release build, SQLite) for each signing algorithm: discovery, JWKS, userinfo, the refresh grant (fresh
# rotating families every run), userinfo and the refresh grant again with DPoP-bound tokens, the code exchange and
# the full passwordless sign-in (benchmarks/signin.py reading each code from the console mailer, then again through
# SMTP to benchmarks/mail_sink.py), the passkey sign-in, each repeated RUNS times; p99 at half of the peak rate; idle
# and peak RSS; the admin API's account search among ACCOUNTS accounts (benchmarks/accounts.py, search.lua). Then,
# when the Glewlwyd peer's scripts are present, the same workloads on Glewlwyd, its mail through the same kind of
# sink. Writes results.jsonl and results.md under OUT and prints the tables.
#
#   benchmarks/run.sh [seconds per run, default 10]
#   env: RUNS (3), ALGS ("RS256 ES256 EdDSA"), PEER_ALGS ("RS256"), PEER_DIR (the peer's scripts; default
#        ../shared/peers/glewlwyd when present, empty to skip), CONNECTIONS (32; the peak runs), HALF_CONNECTIONS (8;
#        the runs at half the peak, each connection pausing a random time between requests), VISITORS (16), OUT,
#        DPOP_RATE (8000: DPoP proofs made per second of a DPoP run, above its peak rate), ACCOUNTS (100000: the
#        accounts the admin search runs among)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
RUNS=${RUNS:-3}
ALGS=${ALGS-RS256 ES256 EdDSA}
PEER_ALGS=${PEER_ALGS:-RS256}
CONNECTIONS=${CONNECTIONS:-32}
HALF_CONNECTIONS=${HALF_CONNECTIONS:-8}
VISITORS=${VISITORS:-16}
DPOP_RATE=${DPOP_RATE:-8000}
PG_INSTANCES=${PG_INSTANCES:-1 2}
ACCOUNTS=${ACCOUNTS:-100000}
PEER_DIR=${PEER_DIR-../shared/peers/glewlwyd}
OUT=${OUT:-benchmarks/results/$(date -u +%Y%m%d-%H%M%S)}
REDIRECT=http://127.0.0.1:9/callback
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/results.jsonl
: > "$RESULTS"

command -v wrk >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
for product in logintoo SigningLimit CoreRefresh; do
    scripts/release-build --product "$product" > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
done
BIN_DIR=$(scripts/release-build --show-bin-path)
BIN=$BIN_DIR/logintoo

PIDS=()
trap 'for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null; true' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_seconds() { awk -v tick="$(getconf CLK_TCK)" '{print ($14 + $15) / tick}' "/proc/$1/stat"; }
rss_kib() { awk "/^$2:/ {print \$2}" "/proc/$1/status"; }
add() { python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r.update(json.loads(sys.argv[2])); print(json.dumps(r))' "$1" "$2" >> "$RESULTS"; }
median_of() {  # median of one field over the runs of a workload
    python3 - "$RESULTS" "$@" <<'PY'
import json, sys
path, server, alg, workload, field = sys.argv[1:]
values = sorted(r[field] for r in map(json.loads, open(path)) if r.get("kind") == "run" and r["server"] == server and "store" not in r
                and r["alg"] == alg and r["workload"] == workload)
print(values[(len(values) - 1) // 2])
PY
}

python3 - "$SECONDS_PER_RUN" "$RUNS" "$(git rev-parse --short HEAD)" >> "$RESULTS" <<'PY'
import json, os, platform, sys
cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
memory = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) // 1024 ** 2
os_name = next(line.split("=", 1)[1].strip().strip('"') for line in open("/etc/os-release") if line.startswith("PRETTY_NAME"))
print(json.dumps({"kind": "machine", "cpu": cpu, "cores": os.cpu_count(), "memory": f"{memory} GiB", "os": os_name,
                  "seconds": int(sys.argv[1]), "runs": int(sys.argv[2]), "commit": sys.argv[3]}))
PY
echo "signing limit..." >&2
"$BIN_DIR/SigningLimit" 2 | while read -r line; do add "$line" '{"kind": "limit"}'; done
echo "refresh grant without HTTP..." >&2
"$BIN_DIR/CoreRefresh" 2 "$CONNECTIONS" | while read -r line; do add "$line" '{"kind": "core"}'; done

# Starts Logintoo on a fresh data folder: start_logintoo ALG [SMTP URL]; sets SERVER, ISSUER, CLIENT, CONSOLE.
start_logintoo() {
    local alg=$1 smtp=${2:-} port work
    port=$(free_port)
    work=$(mktemp -d -p "$OUT")
    ISSUER="http://127.0.0.1:$port"
    CONSOLE=$work/console.log
    env LOGINTOO_DATA_DIR="$work/data" LOGINTOO_SIGNING_ALG="$alg" LOGINTOO_LOG_LEVEL=warning ${smtp:+LOGINTOO_SMTP_URL=$smtp} \
        LOGINTOO_SEND_INTERVAL=0 LOGINTOO_SENDS_PER_ADDRESS_PER_HOUR=1000 LOGINTOO_SENDS_PER_IP_PER_HOUR=1000000 \
        "$BIN" serve --listen "127.0.0.1:$port" --issuer "$ISSUER" --demo false > "$CONSOLE" 2> "$work/server.err" &
    SERVER=$!
    PIDS+=("$SERVER")
    for _ in $(seq 100); do curl -sf "$ISSUER/healthz" >/dev/null && break; sleep 0.1; done
    CLI_ENV=("LOGINTOO_DATA_DIR=$work/data")
    CLIENT=$(env "${CLI_ENV[@]}" "$BIN" client add --name Bench --redirect-uri "$REDIRECT" --json \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])')
}
stop_server() { kill "$1"; wait "$1" 2>/dev/null || true; }
# A new admin client's token (client_credentials, scope admin), through the CLI environment CLI_ENV: admin_token ISSUER
admin_token() {
    python3 - "$1" "$(env "${CLI_ENV[@]}" "$BIN" client add --name "Bench admin" --confidential --admin --json)" <<'PY'
import base64, json, sys, urllib.parse, urllib.request
issuer, admin = sys.argv[1], json.loads(sys.argv[2])
basic = base64.b64encode(f"{admin['client_id']}:{admin['client_secret']}".encode()).decode()
form = urllib.parse.urlencode({"grant_type": "client_credentials", "scope": "admin"}).encode()
answer = urllib.request.urlopen(urllib.request.Request(issuer + "/token", data=form, headers={"Authorization": "Basic " + basic}))
print(json.load(answer)["access_token"])
PY
}

# wrk RUNS times against a server process: wrk_runs SERVER-NAME PID ALG WORKLOAD [env...] -- wrk arguments
wrk_runs() {
    local name=$1 pid=$2 alg=$3 workload=$4 before after
    shift 4
    local environment=()
    while [ "$1" != -- ]; do environment+=("$1"); shift; done
    shift
    for run in $(seq "$RUNS"); do
        if [ -n "${BEFORE_EACH_RUN:-}" ]; then "$BEFORE_EACH_RUN" "$alg" "$run"; fi
        before=$(cpu_seconds "$pid")
        env "${environment[@]/RUN/$run}" wrk --latency -d"${SECONDS_PER_RUN}s" "$@" > "$OUT/wrk.out"
        after=$(cpu_seconds "$pid")
        python3 benchmarks/report.py wrk "$OUT/wrk.out" kind=run "server=$name" "alg=$alg" "workload=$workload" \
            "cpu_seconds=$(python3 -c "print($after - $before)")" >> "$RESULTS"
    done
}

# The signing limit again, for one algorithm, just before a run: limit_beside ALG RUN. The machine's speed drifts from
# one minute to the next, so a run's share of the limit is also given against the limit measured beside it.
limit_beside() {
    "$BIN_DIR/SigningLimit" 1 "$1" | while read -r line; do add "$line" "{\"kind\": \"limit beside\", \"run\": $2}"; done
}

# The sign-in driver RUNS times: signin_runs SERVER-NAME PID ALG WORKLOAD driver-arguments...
signin_runs() {
    local name=$1 pid=$2 alg=$3 workload=$4
    shift 4
    for _ in $(seq "$RUNS"); do
        add "$(python3 benchmarks/signin.py "$name" --seconds "$SECONDS_PER_RUN" --concurrency "$VISITORS" --server-pid "$pid" "$@")" \
            "{\"kind\": \"run\", \"server\": \"$name\", \"alg\": \"$alg\", \"workload\": \"$workload\"}"
    done
}

# One run at half of the median peak rate, each connection pausing between requests: half_rate ALG WORKLOAD CONNECTIONS [env...] -- wrk arguments
half_rate() {
    local alg=$1 workload=$2 connections=$3 peak delay
    shift 3
    peak=$(median_of logintoo "$alg" "$workload" per_second)
    # The pause alone sets the rate; each request's own time makes it a little lower, as the table shows.
    delay=$(python3 -c "print(1000 * $connections / ($peak / 2))")
    local environment=("DELAY_MS=$delay")
    while [ "$1" != -- ]; do environment+=("$1"); shift; done
    shift
    env "${environment[@]}" wrk --latency -d"${SECONDS_PER_RUN}s" "$@" > "$OUT/wrk.out"
    python3 benchmarks/report.py wrk "$OUT/wrk.out" kind=half server=logintoo "alg=$alg" "workload=$workload" "connections=$connections" \
        "target=$(python3 -c "print($peak / 2)")" >> "$RESULTS"
}

# DPoP (RFC 9449): every request carries a new proof, with the server's nonce (nonces stay on, as by default). wrk's
# Lua cannot sign ES256, so each run's proofs are made just before it (benchmarks/dpop_proofs.py; a proof is good for
# 300 seconds, longer than any run) and each is used once. The families are minted with proofs by one key, so all
# of them are bound to it: the server checks a proof and records its jti per request either way.
dpop_userinfo_proofs() {
    python3 benchmarks/dpop_proofs.py proofs "$OUT/dpop-key.pem" "$((DPOP_RATE * SECONDS_PER_RUN))" GET "$ISSUER/userinfo" \
        "$DPOP_ACCESS" > "$OUT/dpop-proofs.txt"
}
dpop_refresh_proofs() {
    python3 benchmarks/dpop_proofs.py proofs "$OUT/dpop-key.pem" "$((DPOP_RATE * SECONDS_PER_RUN))" POST "$ISSUER/token" \
        > "$OUT/dpop-proofs.txt"
}

SINK_PORT=$(free_port)
python3 benchmarks/mail_sink.py "$SINK_PORT" "$OUT/mail.jsonl" &
PIDS+=("$!")

for alg in $ALGS; do
    echo "Logintoo $alg..." >&2
    start_logintoo "$alg"
    sleep 1
    idle=$(rss_kib "$SERVER" VmRSS) idle_anon=$(rss_kib "$SERVER" RssAnon)
    python3 benchmarks/signin.py logintoo --base "$ISSUER" --client-id "$CLIENT" --redirect-uri "$REDIRECT" \
        --mailbox "console:$CONSOLE" --mint $((CONNECTIONS * (RUNS + 1))) > "$OUT/tokens.txt"
    for run in $(seq "$((RUNS + 1))"); do
        sed -n "$(((run - 1) * CONNECTIONS + 1)),$((run * CONNECTIONS))p" "$OUT/tokens.txt" > "$OUT/tokens-$run.txt"
    done
    bearer=$(head -1 "$OUT/tokens.txt" | cut -d' ' -f3)
    wrk_runs logintoo "$SERVER" "$alg" discovery -- -t2 -c"$CONNECTIONS" -s benchmarks/get.lua "$ISSUER/.well-known/openid-configuration"
    wrk_runs logintoo "$SERVER" "$alg" JWKS -- -t2 -c"$CONNECTIONS" -s benchmarks/get.lua "$ISSUER/.well-known/jwks.json"
    wrk_runs logintoo "$SERVER" "$alg" userinfo "BEARER=$bearer" -- -t2 -c"$CONNECTIONS" -s benchmarks/get.lua "$ISSUER/userinfo"
    BEFORE_EACH_RUN=limit_beside wrk_runs logintoo "$SERVER" "$alg" "refresh grant" "TOKENS=$OUT/tokens-RUN.txt" THREADS=2 -- \
        -t2 -c"$CONNECTIONS" -s benchmarks/refresh.lua "$ISSUER"
    python3 benchmarks/dpop_proofs.py key "$OUT/dpop-key.pem"
    python3 benchmarks/dpop_proofs.py proofs "$OUT/dpop-key.pem" $((CONNECTIONS * RUNS)) POST "$ISSUER/token" \
        > "$OUT/dpop-mint.txt"
    python3 benchmarks/signin.py logintoo --base "$ISSUER" --client-id "$CLIENT" --redirect-uri "$REDIRECT" \
        --mailbox "console:$CONSOLE" --mint $((CONNECTIONS * RUNS)) --dpop-proofs "$OUT/dpop-mint.txt" > "$OUT/dpop-tokens.txt"
    for run in $(seq "$RUNS"); do
        sed -n "$(((run - 1) * CONNECTIONS + 1)),$((run * CONNECTIONS))p" "$OUT/dpop-tokens.txt" > "$OUT/dpop-tokens-$run.txt"
    done
    DPOP_ACCESS=$(head -1 "$OUT/dpop-tokens.txt" | cut -d' ' -f3)
    BEFORE_EACH_RUN=dpop_userinfo_proofs wrk_runs logintoo "$SERVER" "$alg" "DPoP userinfo" "DPOP=$DPOP_ACCESS" \
        "PROOFS=$OUT/dpop-proofs.txt" THREADS=2 -- -t2 -c"$CONNECTIONS" -s benchmarks/get.lua "$ISSUER/userinfo"
    BEFORE_EACH_RUN=dpop_refresh_proofs wrk_runs logintoo "$SERVER" "$alg" "DPoP refresh grant" \
        "TOKENS=$OUT/dpop-tokens-RUN.txt" "PROOFS=$OUT/dpop-proofs.txt" THREADS=2 -- -t2 -c"$CONNECTIONS" -s benchmarks/refresh.lua "$ISSUER"
    signin_runs logintoo "$SERVER" "$alg" "code exchange" --mode exchange --base "$ISSUER" --client-id "$CLIENT" \
        --redirect-uri "$REDIRECT" --mailbox "console:$CONSOLE"
    signin_runs logintoo "$SERVER" "$alg" "full sign-in" --mode full --base "$ISSUER" --client-id "$CLIENT" \
        --redirect-uri "$REDIRECT" --mailbox "console:$CONSOLE"
    signin_runs logintoo "$SERVER" "$alg" "passkey sign-in" --mode passkey --base "$ISSUER" --client-id "$CLIENT" \
        --redirect-uri "$REDIRECT" --mailbox "console:$CONSOLE"
    half_rate "$alg" discovery "$HALF_CONNECTIONS" -- -t2 -c"$HALF_CONNECTIONS" -s benchmarks/get.lua "$ISSUER/.well-known/openid-configuration"
    half_rate "$alg" userinfo "$HALF_CONNECTIONS" "BEARER=$bearer" -- -t2 -c"$HALF_CONNECTIONS" -s benchmarks/get.lua "$ISSUER/userinfo"
    half_rate "$alg" "refresh grant" "$HALF_CONNECTIONS" "TOKENS=$OUT/tokens-$((RUNS + 1)).txt" THREADS=2 -- \
        -t2 -c"$HALF_CONNECTIONS" -s benchmarks/refresh.lua "$ISSUER"
    add "{\"idle_kib\": $idle, \"idle_anon_kib\": $idle_anon, \"peak_kib\": $(rss_kib "$SERVER" VmHWM)}" "{\"kind\": \"rss\", \"server\": \"logintoo\", \"alg\": \"$alg\"}"
    stop_server "$SERVER"

    start_logintoo "$alg" "smtp://127.0.0.1:$SINK_PORT"
    signin_runs logintoo "$SERVER" "$alg" "full sign-in, SMTP" --mode full --base "$ISSUER" --client-id "$CLIENT" \
        --redirect-uri "$REDIRECT" --mailbox "sink:$OUT/mail.jsonl"
    stop_server "$SERVER"
done

# The admin API's account search among ACCOUNTS accounts, on SQLite (and below on PostgreSQL, one instance).
search_alg=${ALGS%% *}
echo "Logintoo ${search_alg:=RS256}, admin account search..." >&2
start_logintoo "$search_alg"
python3 benchmarks/accounts.py sqlite "${CLI_ENV[0]#LOGINTOO_DATA_DIR=}/logintoo.sqlite" "$ACCOUNTS"
wrk_runs logintoo "$SERVER" "$search_alg" "admin account search" "BEARER=$(admin_token "$ISSUER")" "ACCOUNTS=$ACCOUNTS" -- \
    -t2 -c"$CONNECTIONS" -s benchmarks/search.lua "$ISSUER"
stop_server "$SERVER"

# PostgreSQL, when a server is given (`eval "$(scripts/postgres-up)"`): one and then two instances on one fresh
# database, sharing the key-encryption key and the issuer; the load spread over the instances, their CPU and the
# database's summed.
postgres_cpu_seconds() {
    local pids
    pids=$(pgrep -u postgres | sed 's|.*|/proc/&/stat|')
    # A backend may end between pgrep and the read: its file is skipped (awk would stop the script).
    # shellcheck disable=SC2086
    { cat $pids 2>/dev/null || true; } | awk -v tick="$(getconf CLK_TCK)" '{total += $14 + $15} END {print total / tick}'
}
# start_cluster ALG INSTANCES; sets CLUSTER (PIDs, comma-separated), BASES, ISSUER, CLIENT, CONSOLES, PORTS.
start_cluster() {
    local alg=$1 instances=$2 db="bench_$(date +%s%N)" kek url n
    psql "${LOGINTOO_TEST_POSTGRES_URL%%\?*}" -qc "CREATE DATABASE $db"
    url="${LOGINTOO_TEST_POSTGRES_URL%%/postgres\?*}/$db?sslmode=disable"
    kek=$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')
    PORTS=()
    for n in $(seq "$instances"); do PORTS+=("$(free_port)"); done
    ISSUER="http://127.0.0.1:${PORTS[0]}"
    local pids=() bases=() consoles=()
    for n in $(seq 0 $((instances - 1))); do
        env LOGINTOO_DATABASE_URL="$url" LOGINTOO_KEY_ENCRYPTION_KEY="$kek" LOGINTOO_SIGNING_ALG="$alg" LOGINTOO_LOG_LEVEL=warning \
            LOGINTOO_SEND_INTERVAL=0 LOGINTOO_SENDS_PER_ADDRESS_PER_HOUR=1000 LOGINTOO_SENDS_PER_IP_PER_HOUR=1000000 \
            "$BIN" serve --listen "127.0.0.1:${PORTS[$n]}" --issuer "$ISSUER" --demo false \
            > "$OUT/pg-console-$instances-$n.log" 2> "$OUT/pg-server-$instances-$n.err" &
        pids+=("$!")
        PIDS+=("$!")
        bases+=("http://127.0.0.1:${PORTS[$n]}")
        consoles+=("$OUT/pg-console-$instances-$n.log")
        # One at a time: the first one creates the schema and the signing key that the others load.
        for _ in $(seq 100); do curl -sf "${bases[-1]}/healthz" >/dev/null && break; sleep 0.1; done
    done
    CLUSTER=$(IFS=,; echo "${pids[*]}") BASES=$(IFS=,; echo "${bases[*]}") CONSOLES=$(IFS=,; echo "${consoles[*]}")
    CLI_ENV=("LOGINTOO_DATABASE_URL=$url" "LOGINTOO_KEY_ENCRYPTION_KEY=$kek")
    CLIENT=$(env "${CLI_ENV[@]}" "$BIN" client add --name Bench \
        --redirect-uri "$REDIRECT" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])')
}
cluster_cpu_seconds() { local total=0 pid; for pid in ${CLUSTER//,/ }; do total=$(python3 -c "print($total + $(cpu_seconds "$pid"))"); done; echo "$total"; }

# wrk RUNS times on every instance at once, the connections split between them; one record per run with the rates
# summed and the slowest instance's percentiles: cluster_wrk_runs ALG WORKLOAD INSTANCES [env...] -- wrk arguments
# (TARGET in the arguments becomes each instance's base URL, INSTANCE in the environment its number).
cluster_wrk_runs() {
    local alg=$1 workload=$2 instances=$3 run n before after db_before db_after outputs
    shift 3
    local environment=()
    while [ "$1" != -- ]; do environment+=("$1"); shift; done
    shift
    for run in $(seq "$RUNS"); do
        before=$(cluster_cpu_seconds) db_before=$(postgres_cpu_seconds) outputs=()
        for n in $(seq 0 $((instances - 1))); do
            local instance_env=("${environment[@]/RUN/$run}")
            env "${instance_env[@]/INSTANCE/$n}" wrk --latency -d"${SECONDS_PER_RUN}s" "${@/TARGET/http://127.0.0.1:${PORTS[$n]}}" \
                > "$OUT/wrk-$n.out" &
            outputs+=("$OUT/wrk-$n.out")
        done
        wait $(jobs -p | tail -n "$instances")
        after=$(cluster_cpu_seconds) db_after=$(postgres_cpu_seconds)
        python3 benchmarks/report.py wrk "$(IFS=,; echo "${outputs[*]}")" kind=run server=logintoo "alg=$alg" \
            "workload=$workload" "store=PostgreSQL, $instances instance(s)" "cpu_seconds=$(python3 -c "print($after - $before)")" \
            "database_cpu_seconds=$(python3 -c "print($db_after - $db_before)")" >> "$RESULTS"
    done
}

if [ -n "${LOGINTOO_TEST_POSTGRES_URL:-}" ]; then
    for instances in $PG_INSTANCES; do
        echo "Logintoo RS256 on PostgreSQL, $instances instance(s)..." >&2
        start_cluster RS256 "$instances"
        per_instance=$((CONNECTIONS / instances))
        python3 benchmarks/signin.py logintoo --base "$BASES" --client-id "$CLIENT" --redirect-uri "$REDIRECT" \
            --mailbox "console:$CONSOLES" --mint $((CONNECTIONS * RUNS)) > "$OUT/tokens.txt"
        for run in $(seq "$RUNS"); do
            for n in $(seq 0 $((instances - 1))); do
                sed -n "$(((run - 1) * CONNECTIONS + n * per_instance + 1)),$(((run - 1) * CONNECTIONS + (n + 1) * per_instance))p" \
                    "$OUT/tokens.txt" > "$OUT/tokens-$run-$n.txt"
            done
        done
        bearer=$(head -1 "$OUT/tokens.txt" | cut -d' ' -f3)
        cluster_wrk_runs RS256 userinfo "$instances" "BEARER=$bearer" -- -t1 -c"$per_instance" -s benchmarks/get.lua TARGET/userinfo
        cluster_wrk_runs RS256 "refresh grant" "$instances" "TOKENS=$OUT/tokens-RUN-INSTANCE.txt" THREADS=1 -- \
            -t1 -c"$per_instance" -s benchmarks/refresh.lua TARGET
        if [ "$instances" = 1 ]; then
            python3 benchmarks/accounts.py postgres "${CLI_ENV[0]#LOGINTOO_DATABASE_URL=}" "$ACCOUNTS"
            cluster_wrk_runs RS256 "admin account search" 1 "BEARER=$(admin_token "$ISSUER")" "ACCOUNTS=$ACCOUNTS" -- \
                -t1 -c"$CONNECTIONS" -s benchmarks/search.lua TARGET
        fi
        for workload in "code exchange" "full sign-in"; do
            mode=exchange; [ "$workload" = "full sign-in" ] && mode=full
            for _ in $(seq "$RUNS"); do
                db_before=$(postgres_cpu_seconds)
                record=$(python3 benchmarks/signin.py logintoo --seconds "$SECONDS_PER_RUN" --concurrency "$VISITORS" \
                    --server-pid "$CLUSTER" --mode "$mode" --base "$BASES" --client-id "$CLIENT" --redirect-uri "$REDIRECT" \
                    --mailbox "console:$CONSOLES")
                database_ms=$(python3 -c 'import json,sys; print(round(1000 * float(sys.argv[2]) / max(json.loads(sys.argv[1])["completed"], 1), 3))' \
                    "$record" "$(python3 -c "print($(postgres_cpu_seconds) - $db_before)")")
                add "$record" "{\"kind\": \"run\", \"server\": \"logintoo\", \"alg\": \"RS256\", \"workload\": \"$workload\",
                    \"store\": \"PostgreSQL, $instances instance(s)\", \"database_cpu_ms_per_request\": $database_ms}"
            done
        done
        for pid in ${CLUSTER//,/ }; do stop_server "$pid"; done
    done
fi

if [ -n "$PEER_DIR" ] && [ -x "$PEER_DIR/setup.sh" ]; then
    PEER_DIR=$(cd "$PEER_DIR" && pwd)
    for alg in $PEER_ALGS; do
        echo "Glewlwyd $alg..." >&2
        export GLWD_WORKDIR=$OUT/glewlwyd GLWD_ALG=$alg GLWD_SMTP_PORT=2587
        "$PEER_DIR/setup.sh" > "$OUT/glewlwyd-setup.log" 2>&1
        peer=$(cat "$GLWD_WORKDIR/glewlwyd.pid")
        idle=$(rss_kib "$peer" VmRSS) idle_anon=$(rss_kib "$peer" RssAnon)
        # Discovery and the JWKS with the very wrk invocation Logintoo's are measured with, so that the load generator,
        # on the same cores, costs both servers alike (the peer's own script runs Lua for every answer). A failed run
        # leaves the peer's row out rather than stopping the whole report.
        wrk_runs glewlwyd "$peer" "$alg" discovery -- -t2 -c"$CONNECTIONS" -s benchmarks/get.lua \
            "http://127.0.0.1:4593/api/oidc/.well-known/openid-configuration" || echo "Glewlwyd discovery failed" >&2
        wrk_runs glewlwyd "$peer" "$alg" JWKS -- -t2 -c"$CONNECTIONS" -s benchmarks/get.lua \
            "http://127.0.0.1:4593/api/oidc/jwks" || echo "Glewlwyd JWKS failed" >&2
        for run in $(seq "$RUNS"); do
            DURATION=${SECONDS_PER_RUN}s CONNS=$CONNECTIONS ONLY="userinfo refresh_rotating" \
                "$PEER_DIR/bench/bench.sh" "$OUT/glewlwyd-bench-$run" > /dev/null
            python3 - "$OUT/glewlwyd-bench-$run/summary.txt" "$alg" >> "$RESULTS" <<'PY'
import json, re, sys
names = {"userinfo": "userinfo", "refresh_rotating": "refresh grant"}
for line in open(sys.argv[1]):
    match = re.match(r"(\w+): RESULT (.*)", line)
    if match and match.group(1) in names:
        fields = dict(item.split("=") for item in match.group(2).split() if "=" in item)
        print(json.dumps({"kind": "run", "server": "glewlwyd", "alg": sys.argv[2], "workload": names[match.group(1)],
                          "per_second": float(fields["ok_rps"]), "p50_ms": float(fields["p50_ms"]),
                          "p99_ms": float(fields["p99_ms"]), "errors": int(fields["fail"]), "completed": int(fields["ok"])}))
PY
        done
        # The peer's codes through the same sink as Logintoo's.
        kill "$(cat "$GLWD_WORKDIR/smtp.pid")"
        sleep 0.5
        python3 benchmarks/mail_sink.py 2587 "$OUT/glewlwyd-mail.jsonl" &
        PIDS+=("$!")
        sleep 0.5
        peer_args=(--base http://127.0.0.1:4593 --client-id spa --redirect-uri http://127.0.0.1:8765/callback
                   --mailbox "sink:$OUT/glewlwyd-mail.jsonl")
        signin_runs glewlwyd "$peer" "$alg" "code exchange" --mode exchange "${peer_args[@]}"
        signin_runs glewlwyd "$peer" "$alg" "full sign-in, SMTP" --mode full "${peer_args[@]}"
        add "{\"idle_kib\": $idle, \"idle_anon_kib\": $idle_anon, \"peak_kib\": $(rss_kib "$peer" VmHWM)}" "{\"kind\": \"rss\", \"server\": \"glewlwyd\", \"alg\": \"$alg\"}"
        kill "${PIDS[-1]}"
        "$PEER_DIR/setup.sh" stop > /dev/null 2>&1 || true
    done
fi

python3 benchmarks/report.py table "$RESULTS" | tee "$OUT/results.md"
