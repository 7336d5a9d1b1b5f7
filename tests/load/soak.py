#!/usr/bin/python3
"""Memory under sustained load: eddy serves eddy-loadgen's mixed profile (queries, puts and
updates on 4 connections, as fast as they go) for SOAK_SECONDS (300). Its resident set after that
must be within twice what it was 30 s in: steady state, not a leak.

    EDDY_BIN=build/bin/eddy LOADGEN_BIN=build/bin/eddy-loadgen tests/load/soak.py
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "300"))
BASELINE_SECONDS = 30.0


def resident_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for pid %d" % pid)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    eddy, loadgen = os.environ["EDDY_BIN"], os.environ["LOADGEN_BIN"]
    port = free_port()
    endpoint = "http://127.0.0.1:%d" % port
    log = tempfile.TemporaryFile()
    server = subprocess.Popen([eddy, "-port", str(port), "-inMemory", "-sharedDb"], stdout=log,
                              stderr=subprocess.STDOUT, cwd=tempfile.gettempdir())
    try:
        subprocess.run([loadgen, "--endpoint", endpoint, "--wait-ready", "--max-seconds", "10"],
                       check=True, capture_output=True)
        subprocess.run([loadgen, "--endpoint", endpoint, "--profile", "mixed", "--setup",
                        "-d", "1", "-w", "0"], check=True, capture_output=True)
        started = time.monotonic()
        load = subprocess.Popen([loadgen, "--endpoint", endpoint, "--profile", "mixed", "-c", "4",
                                 "-w", "0", "-d", str(SOAK_SECONDS)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        samples = []  # (seconds, KiB)
        while load.poll() is None:
            time.sleep(5)
            if server.poll() is not None:
                break
            samples.append((time.monotonic() - started, resident_kib(server.pid)))
        output = load.communicate()[0]
        if server.poll() is not None:
            log.seek(0)
            sys.exit("eddy died under load:\n" + log.read().decode(errors="replace")[-3000:])
        result = json.loads(output.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait(timeout=20)

    baseline = next(kib for seconds, kib in samples if seconds >= BASELINE_SECONDS)
    final = samples[-1][1]
    print("soak: %d requests in %.0f s (%.0f/s), %d errors; RSS %.1f MiB at 30 s, %.1f MiB at "
          "the end, peak %.1f MiB" % (result["ops"], result["seconds"], result["ops_per_s"],
                                       result["errors"], baseline / 1024, final / 1024,
                                       max(kib for _, kib in samples) / 1024))
    print("soak: RSS over time (s: MiB): " + ", ".join(
        "%.0f: %.1f" % (seconds, kib / 1024) for seconds, kib in samples[::6]))
    failures = []
    if result["errors"]:
        failures.append("%d requests failed" % result["errors"])
    if final > 2 * baseline:
        failures.append("RSS grew from %d KiB to %d KiB" % (baseline, final))
    if server.returncode != 0:
        failures.append("eddy exited with %s after SIGTERM" % server.returncode)
    if failures:
        sys.exit("soak failed: " + "; ".join(failures))


if __name__ == "__main__":
    main()
