"""Benchmark bookkeeping for run.sh: turns wrk, sign-in driver, signing-limit and core output into JSON records (one per
line in a results file) and the records into the Markdown tables of docs/performance.md (medians of the repeats).

  report.py wrk FILE KEY=VALUE...        a wrk run as a record (requests/s, p50, p99, errors) plus the given fields
  report.py table RESULTS                the tables
"""
import json
import re
import sys

# Signatures each workload makes, and the limit that bounds it: a token grant signs, userinfo verifies.
# The DPoP rows verify an ES256 proof besides, whatever the server's algorithm.
SIGNATURES = {"refresh grant": ("sign", 1), "code exchange": ("sign", 2), "full sign-in": ("sign", 2),
              "userinfo": ("verify", 1), "DPoP userinfo": ("verify", 1), "DPoP refresh grant": ("sign", 1),
              "passkey sign-in": ("sign", 2), "admin account search": ("verify", 1)}
ORDER = ["discovery", "JWKS", "userinfo", "refresh grant", "DPoP userinfo", "DPoP refresh grant", "code exchange",
         "full sign-in", "passkey sign-in", "full sign-in, SMTP", "admin account search"]


def wrk_numbers(path):
    text = open(path).read()

    def ms(label):
        value, unit = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)" % label, text, re.M).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = int(bad.group(1)) if bad else 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return {"per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)), "p50_ms": ms("50"),
            "p99_ms": ms("99"), "errors": errors, "completed": int(re.search(r"(\d+) requests in", text).group(1))}


def wrk_record(paths, fields):
    """One record for wrk runs made at once (comma-separated outputs, one per instance): rates, counts and errors
    summed, the slowest instance's percentiles."""
    runs = [wrk_numbers(path) for path in paths.split(",")]
    record = {key: sum(run[key] for run in runs) for key in ("per_second", "errors", "completed")}
    record.update({key: max(run[key] for run in runs) for key in ("p50_ms", "p99_ms")})
    for field in fields:
        key, _, value = field.partition("=")
        record[key] = float(value) if re.fullmatch(r"-?[\d.]+", value) else value
    if "cpu_seconds" in record:
        record["cpu_ms_per_request"] = round(1000 * record.pop("cpu_seconds") / max(record["completed"], 1), 3)
    if "database_cpu_seconds" in record:
        record["database_cpu_ms_per_request"] = round(1000 * record.pop("database_cpu_seconds") / max(record["completed"], 1), 3)
    return record


def median_run(records):
    """The run with the median rate (the middle of an odd count), so its latencies belong to one real run."""
    ordered = sorted(records, key=lambda r: r["per_second"])
    return ordered[(len(ordered) - 1) // 2], [r["per_second"] for r in records]


def group(records, **match):
    return [r for r in records if all(r.get(k) == v for k, v in match.items())]


def fmt(value, digits=0):
    return "–" if value is None else f"{value:,.{digits}f}"


def beside_shares(records, alg):
    """The refresh grant's runs, each against the signing limit measured just before it."""
    runs = group(records, kind="run", server="logintoo", alg=alg, workload="refresh grant", store=None)
    limits = {r["run"]: r["sign_all_cores"] for r in group(records, kind="limit beside", alg=alg)}
    if not runs or len(limits) != len(runs):
        return []
    shares = [(run["per_second"], limits[index], run["per_second"] / limits[index]) for index, run in enumerate(runs, 1)]
    median = sorted(share for _, _, share in shares)[(len(shares) - 1) // 2]
    each = "; ".join(f"{fmt(rate)}/s of {fmt(limit)} = {100 * share:.0f}%" for rate, limit, share in shares)
    return ["", f"Refresh grant against the signing limit measured on all cores just before each run: {each}; "
            f"median {100 * median:.0f}%."]


def tables(records):
    out = []
    limits = {r["alg"]: r for r in group(records, kind="limit")}
    machine = next(iter(group(records, kind="machine")), {})
    if machine:
        out += [f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']}, {machine['os']}; "
                f"Logintoo {machine['commit']}, {machine['runs']} runs of {machine['seconds']} s per measurement "
                "(the median run shown), load generators on the same cores.", ""]
    if limits:
        out += ["### The physical limit: the server's own signing code, no HTTP", "",
                "| algorithm | signatures/s, 1 core | signatures/s, all cores | verifications/s, 1 core | "
                "verifications/s, all cores |", "| --- | ---: | ---: | ---: | ---: |"]
        for alg, r in limits.items():
            out.append(f"| {alg} | {fmt(r['sign_per_core'])} | {fmt(r['sign_all_cores'])} | "
                       f"{fmt(r['verify_per_core'])} | {fmt(r['verify_all_cores'])} |")
        out.append("")
    cores = group(records, kind="core")
    if cores:
        out += [f"### The refresh grant without HTTP: the token service on a SQLite file, {cores[0]['families']:.0f} families at once", "",
                "| algorithm | grants/s | CPU ms each | share of the limit |", "| --- | ---: | ---: | ---: |"]
        for r in cores:
            share = f"{100 * r['per_second'] / limits[r['alg']]['sign_all_cores']:.0f}%" if r["alg"] in limits else "–"
            out.append(f"| {r['alg']} | {fmt(r['per_second'])} | {fmt(r['cpu_ms_each'], 3)} | {share} |")
        out.append("")
    configurations = dict.fromkeys((r["alg"], r.get("store")) for r in group(records, kind="run", server="logintoo"))
    for alg, store in configurations:
        runs = group(records, kind="run", server="logintoo", alg=alg, store=store)
        database = any("database_cpu_ms_per_request" in r for r in runs)
        out += [f"### Logintoo, {alg}, {store or 'SQLite'}", "",
                "| workload | per second (runs) | p50 ms | p99 ms | errors | server CPU ms each | "
                + ("database CPU ms each | " if database else "") + "share of the limit |",
                "| --- | ---: | ---: | ---: | ---: | ---: | " + ("---: | " if database else "") + "---: |"]
        for workload in ORDER:
            chosen = group(runs, workload=workload)
            if not chosen:
                continue
            run, rates = median_run(chosen)
            share = "– (no signature)"
            if workload.split(",")[0] in SIGNATURES and alg in limits:
                operation, count = SIGNATURES[workload.split(",")[0]]
                limit = limits[alg][f"{operation}_all_cores"] / count
                share = f"{100 * run['per_second'] / limit:.0f}% of {limit:,.0f} ({count} {operation})"
            database_cell = f"{fmt(run.get('database_cpu_ms_per_request'), 3)} | " if database else ""
            out.append(f"| {workload} | {fmt(run['per_second'])} ({', '.join(fmt(r) for r in rates)}) | "
                       f"{fmt(run['p50_ms'], 2)} | {fmt(run['p99_ms'], 2)} | {sum(r['errors'] for r in chosen)} | "
                       f"{fmt(run.get('cpu_ms_per_request'), 3)} | {database_cell}{share} |")
        if store:
            out.append("")
            continue
        for half in group(records, kind="half", server="logintoo", alg=alg):
            out.append(f"| {half['workload']} at half the peak ({fmt(half['target'])}/s asked, {half['connections']:.0f} connections) | "
                       f"{fmt(half['per_second'])} | {fmt(half['p50_ms'], 2)} | {fmt(half['p99_ms'], 2)} | "
                       f"{half['errors']:.0f} | | |")
        out += beside_shares(records, alg)
        rss = next(iter(group(records, kind="rss", server="logintoo", alg=alg)), None)
        if rss:
            out += ["", f"RSS: idle {rss['idle_kib'] / 1024:.1f} MiB ({rss['idle_anon_kib'] / 1024:.1f} MiB anonymous, the rest "
                    f"pages of the executable), peak {rss['peak_kib'] / 1024:.1f} MiB."]
        out.append("")
    peer_algs = dict.fromkeys(r["alg"] for r in group(records, kind="run", server="glewlwyd"))
    for alg in peer_algs:
        out += [f"### Logintoo / Glewlwyd 2.7, {alg}, both on SQLite, in turn", "",
                "| workload | Logintoo per second | Glewlwyd per second | Logintoo / Glewlwyd | p99 ms Logintoo / Glewlwyd |",
                "| --- | ---: | ---: | ---: | ---: |"]
        for workload in ORDER:
            ours = group(records, kind="run", server="logintoo", alg=alg, workload=workload, store=None)
            theirs = group(records, kind="run", server="glewlwyd", alg=alg, workload=workload)
            if not ours or not theirs:
                continue
            (a, _), (b, _) = median_run(ours), median_run(theirs)
            out.append(f"| {workload} | {fmt(a['per_second'])} | {fmt(b['per_second'])} | "
                       f"{a['per_second'] / b['per_second']:.2f} | {fmt(a['p99_ms'], 2)} / {fmt(b['p99_ms'], 2)} |")
        ours = next(iter(group(records, kind="rss", server="logintoo", alg=alg)), None)
        theirs = next(iter(group(records, kind="rss", server="glewlwyd", alg=alg)), None)
        if ours and theirs:
            out += ["", f"RSS idle: Logintoo {ours['idle_kib'] / 1024:.1f} MiB ({ours['idle_anon_kib'] / 1024:.1f} anonymous), "
                    f"Glewlwyd {theirs['idle_kib'] / 1024:.1f} MiB ({theirs['idle_anon_kib'] / 1024:.1f} anonymous); "
                    f"peak: Logintoo {ours['peak_kib'] / 1024:.1f} MiB, Glewlwyd {theirs['peak_kib'] / 1024:.1f} MiB."]
        out.append("")
    return "\n".join(out)


def main():
    if sys.argv[1] == "wrk":
        print(json.dumps(wrk_record(sys.argv[2], sys.argv[3:])))
    elif sys.argv[1] == "table":
        print(tables([json.loads(line) for line in open(sys.argv[2]) if line.strip()]))


if __name__ == "__main__":
    main()
