#!/usr/bin/env python3
"""WASI I/O benchmarks: wisp vs native vs node:wasi.

  run_bench.py --build BUILD_DIR [--node node] [--runs 5] [--mib 256] [--lines 2000000]

Workloads (sources in this directory; `ninja -C BUILD_DIR wasi_bench` builds them):
  filecopy       copy a --mib MiB file with 64 KiB read()/write() (through --dir)
  stdout puts    --lines lines through stdio's buffer (one fd_write per buffer)
  stdout write   --lines lines, one write() (= one fd_write) each
  stdout printf  --lines/10 snprintf-formatted lines (libc formatting dominates)
Timed runs send stdout to /dev/null, so what is measured is the runtime, not
a terminal or pipe. Reports medians of --runs runs after a warm-up run, both
CPU time (user + system of the child, robust on a busy machine) and wall
time; checks that every runtime produced the same bytes (stdout hash and
stderr); prints Markdown tables.
"""
import argparse
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def run_once(cmd, cwd):
    """Runs cmd with stdout to /dev/null; returns (wall seconds, CPU seconds
    = user + system of the child, from wait4)."""
    with open(os.devnull, "wb") as null:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=null, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}")
    return wall, ru.ru_utime + ru.ru_stime


def timed(cmd, cwd, runs):
    """Medians of `runs` runs (wall, CPU), after a warm-up run whose output
    (stdout hashed, plus stderr) is returned for comparing runtimes."""
    r = subprocess.run(cmd, cwd=cwd, capture_output=True)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr.decode()}")
    result = hashlib.sha256(r.stdout).hexdigest()[:16] + " " + r.stderr.decode().strip()
    samples = [run_once(cmd, cwd) for _ in range(runs)]
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    return (wall, cpu), result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--node", default=shutil.which("node"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--mib", type=int, default=256)
    ap.add_argument("--lines", type=int, default=2000000)
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    wisp = os.path.join(build, "bin", "wisp")
    bench = os.path.join(build, "wasi", "bench")
    node_runner = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_wasi.mjs")

    rows = []
    with tempfile.TemporaryDirectory(prefix="wisp-wasi-bench-", dir="/tmp") as tmp:
        with open(os.path.join(tmp, "src.bin"), "wb") as f:
            block = os.urandom(1 << 20)
            for _ in range(a.mib):
                f.write(block)
        workloads = [
            (f"filecopy ({a.mib} MiB)", "filecopy", ["src.bin", "dst.bin"], True),
            (f"stdout puts ({a.lines} lines)", "stdout_heavy", ["puts", str(a.lines)], False),
            (f"stdout write ({a.lines} lines)", "stdout_heavy", ["write", str(a.lines)], False),
            (f"stdout printf ({a.lines // 10} lines)", "stdout_heavy",
             ["printf", str(a.lines // 10)], False),
        ]
        for title, prog, args, needs_dir in workloads:
            native = [os.path.join(bench, prog + "_native")] + args
            wasm = os.path.join(bench, prog + ".wasm")
            grant = ["--dir", "."] if needs_dir else []
            cmds = {"native": native, "wisp": [wisp, "run"] + grant + [wasm] + args}
            if a.node:
                cmds["node"] = [a.node, node_runner] + grant + [wasm] + args
            res = {}
            for name, cmd in cmds.items():
                res[name] = timed(cmd, tmp, a.runs)
                wall, cpu = res[name][0]
                print(f"{title:34s} {name:7s} wall {wall * 1000:9.1f} ms  cpu {cpu * 1000:9.1f} ms",
                      file=sys.stderr)
            outs = {v[1] for v in res.values()}
            if len(outs) != 1:
                sys.exit(f"{title}: runtimes disagree: {res}")
            rows.append((title, {k: v[0] for k, v in res.items()}))

    node_version = (subprocess.run([a.node, "--version"], capture_output=True).stdout.decode().strip()
                    if a.node else "n/a")
    load = os.getloadavg()[0]
    print(f"Machine: {cpu_model()} ({os.cpu_count()} CPUs), Linux {platform.release()}, "
          f"node {node_version}; load average {load:.1f} at the end. Median of {a.runs} runs "
          f"after a warm-up run; stdout to /dev/null.\n")
    for i, kind in ((1, "CPU time (user + system)"), (0, "Wall-clock time")):
        print(f"{kind}:\n")
        print("| workload | native | wisp | node:wasi | wisp / native | node / native | wisp / node |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for title, t in rows:
            n, w = t["native"][i], t["wisp"][i]
            v = t["node"][i] if "node" in t else None
            def ms(x):
                return f"{x * 1000:.0f} ms" if x is not None else "–"
            def ratio(x, y):
                return f"{x / y:.2f}×" if x is not None and y else "–"
            print(f"| {title} | {ms(n)} | {ms(w)} | {ms(v)} | {ratio(w, n)} | {ratio(v, n)} | "
                  f"{ratio(w, v)} |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
