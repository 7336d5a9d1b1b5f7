#!/usr/bin/env python3
"""Assembles a bench/run into one JSON file and prints Markdown tables for bench/RESULTS.md.

  report.py --work-dir DIR --settings JSON --output FILE   (called by bench/run)
  report.py FILE.json                                      (re-print the tables of a saved run)
"""
import argparse
import datetime
import json
import os
import platform
import sys

PROFILE_ORDER = ["put", "put-stream", "get", "update", "query", "query-gsi", "batch", "mixed",
                 "transact", "health"]


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path) as lines:
        return [json.loads(line) for line in lines if line.strip()]


def machine_description():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory_kb = 0
    try:
        with open("/proc/meminfo") as meminfo:
            memory_kb = int(meminfo.readline().split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return {"cpu": model, "cores": os.cpu_count(), "memory_gb": round(memory_kb / 1048576, 1),
            "kernel": platform.release(), "load_average": list(os.getloadavg())}


def number(value, digits=0):
    return f"{value:,.{digits}f}"


def server_names(run):
    return [server["server"] for server in run["servers"] if server.get("started")]


def result_cell(result):
    if result is None:
        return "–"
    if result.get("failed"):
        return "failed"
    if result["ops"] == 0:
        return f"errors only ({number(result['errors'])})"
    cell = f"{number(result['ops_per_s'])} · {result['p99_ms']:.2f}"
    if "items_per_s" in result:
        cell += f" ({number(result['items_per_s'])} items/s)"
    if result["errors"]:
        cell += f" ⚠ {number(result['errors'])} errors"
    return cell


def usable(result):
    return result is not None and not result.get("failed") and result["ops"] > 0


def ratio_cell(eddy, peer):
    if not usable(eddy) or not usable(peer):
        return "–"
    if eddy["errors"] or peer["errors"]:
        return "n/a (errors)"  # failed requests are cheap: a ratio would flatter the failing side
    throughput = eddy["ops_per_s"] / peer["ops_per_s"] if peer["ops_per_s"] else float("inf")
    tail = eddy["p99_ms"] / peer["p99_ms"] if peer["p99_ms"] else float("inf")
    return f"{throughput:.2f}× · {tail:.2f}×"


def print_tables(run, out=sys.stdout):
    settings = run["settings"]
    machine = run["machine"]
    names = server_names(run)
    by_key = {(r["server"], r["profile"]): r for r in run["results"]}
    profiles = [p for p in PROFILE_ORDER if any((n, p) in by_key for n in names)]

    print(f"### Benchmark {run['date']}", file=out)
    print(file=out)
    print(f"{machine['cores']} cores ({machine['cpu']}), {machine['memory_gb']} GB, Linux "
          f"{machine['kernel']}; {settings['connections']} keep-alive connections, "
          f"{settings['duration_s']} s measured after {settings['warmup_s']} s warm-up per "
          f"profile; {number(settings['table_items'])} preloaded ~1 KB items. Load average at "
          f"the end: {machine['load_average'][0]:.2f}.", file=out)
    print(file=out)
    if profiles:
        print("Throughput (ops/s) · p99 latency (ms):", file=out)
        print(file=out)
        print("| profile | " + " | ".join(names) + " |", file=out)
        print("|---|" + "---:|" * len(names), file=out)
        for profile in profiles:
            label = "ceiling (GET /)" if profile == "health" else profile
            cells = [result_cell(by_key.get((name, profile))) for name in names]
            print(f"| {label} | " + " | ".join(cells) + " |", file=out)
        print(file=out)

    eddies = [n for n in names if n.startswith("eddy")]
    peers = [n for n in names if not n.startswith("eddy")]
    pairs = [(e, p) for e in eddies for p in peers]
    if pairs and any(p != "health" for p in profiles):
        print("Eddy ÷ peer: throughput ratio · p99 ratio (above 1 / below 1 favour Eddy):",
              file=out)
        print(file=out)
        print("| profile | " + " | ".join(f"{e} ÷ {p}" for e, p in pairs) + " |", file=out)
        print("|---|" + "---:|" * len(pairs), file=out)
        for profile in [p for p in profiles if p != "health"]:
            cells = [ratio_cell(by_key.get((e, profile)), by_key.get((p, profile)))
                     for e, p in pairs]
            print(f"| {profile} | " + " | ".join(cells) + " |", file=out)
        print(file=out)

    print("| server | version | startup ms | RSS idle MB | RSS after load MB | peak RSS MB "
          "| preload items/s |", file=out)
    print("|---|---|---:|---:|---:|---:|---:|", file=out)
    for server in run["servers"]:
        if not server.get("started"):
            print(f"| {server['server']} | – | did not start | | | | |", file=out)
            continue
        setup = server.get("setup") or {}
        preload = number(setup["preload_items_per_s"]) if "preload_items_per_s" in setup else "–"
        print(f"| {server['server']} | {server['version']} | {server['startup_ms']:.0f} "
              f"| {server['rss_idle_kb'] / 1024:.1f} | {server['rss_after_kb'] / 1024:.1f} "
              f"| {server['rss_peak_kb'] / 1024:.1f} | {preload} |", file=out)
    print(file=out)

    lags = run.get("stream_lag") or []
    if lags:
        print("Stream lag: PutItem acknowledged to its record returned by GetRecords (boto3 on "
              "both sides, one poller calling GetRecords back to back; ms):", file=out)
        print(file=out)
        print("| server | puts | p50 | p90 | p99 | max | records missing |", file=out)
        print("|---|---:|---:|---:|---:|---:|---:|", file=out)
        for lag in lags:
            if "p50_ms" not in lag:
                continue
            print(f"| {lag['label']} | {number(lag['puts'])} | {lag['p50_ms']:.2f} "
                  f"| {lag['p90_ms']:.2f} | {lag['p99_ms']:.2f} | {lag['max_ms']:.2f} "
                  f"| {lag['missing']} |", file=out)
        print(file=out)

    if run["curve"]:
        # One column per server and profile (query on the table's key, query-gsi on the index).
        columns = sorted({(r["server"], r.get("profile", "query")) for r in run["curve"]},
                         key=lambda c: (names.index(c[0]) if c[0] in names else 99, c[1]))
        sizes = sorted({r["table_items"] for r in run["curve"]})
        curve = {(r["server"], r.get("profile", "query"), r["table_items"]): r
                 for r in run["curve"]}
        print(f"Query p50 (ms) by table size (Limit 20 of 40 items per partition, "
              f"{settings.get('curve_connections', 1)} connection(s)):", file=out)
        print(file=out)
        print("| table items | " + " | ".join(f"{s} {p}" for s, p in columns) + " |", file=out)
        print("|---:|" + "---:|" * len(columns), file=out)
        for size in sizes:
            cells = []
            for server, profile in columns:
                point = curve.get((server, profile, size))
                cells.append(f"{point['p50_ms']:.3f}" if usable(point) else "–")
            print(f"| {number(size)} | " + " | ".join(cells) + " |", file=out)
        print(file=out)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("saved", nargs="?", help="a results JSON file to re-print")
    parser.add_argument("--work-dir")
    parser.add_argument("--settings")
    parser.add_argument("--output")
    args = parser.parse_args()

    if args.saved:
        with open(args.saved) as saved:
            print_tables(json.load(saved))
        return
    if not (args.work_dir and args.settings and args.output):
        parser.error("either a saved results file or --work-dir, --settings and --output")

    run = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": machine_description(),
        "settings": json.loads(args.settings),
        "servers": read_jsonl(os.path.join(args.work_dir, "servers.jsonl")),
        "results": read_jsonl(os.path.join(args.work_dir, "results.jsonl")),
        "curve": read_jsonl(os.path.join(args.work_dir, "curve.jsonl")),
        "stream_lag": read_jsonl(os.path.join(args.work_dir, "stream_lag.jsonl")),
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w") as output:
        json.dump(run, output, indent=1)
        output.write("\n")
    print_tables(run)


if __name__ == "__main__":
    main()
