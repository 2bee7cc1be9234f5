#!/usr/bin/env python3
"""Run the bench workloads under several runtimes and compare them.

Each *runtime* is a column: a name, a command template and a time source.
Every workload is run --runs times under every runtime (interleaved, in an
order shuffled each run, so a noisy neighbour or the column before hurts
all columns alike), the median time is kept, the
checksums are compared across all runs and runtimes (any mismatch or failure
makes the exit status non-zero), and Markdown tables are printed: median
seconds, ratio to native and ratio to Liftoff, each with geometric means.

Python 3 standard library only.

Command templates are split like a shell would (shlex) and then each word is
formatted with these placeholders:
  {native}   native executable of the workload   (<build>/native/<name>)
  {wasm}     WASI command module                  (<build>/wasm/<name>.wasm)
  {kernel}   freestanding module, run(i32)->i64   (<build>/wasm/<name>.kernel.wasm)
  {n}        size argument (0 = workload default, <0 = quick size)
  {name}     workload name
  {harness}  this directory (node_run.mjs, node_kernel.mjs)
  {node}     the node binary (--node)
  {wisp}     the wisp binary (--wisp)
  {wasm_interp} wabt's wasm-interp (--wabt)

Time source: 'wall' (process wall-clock time, includes start-up and
compilation) or 'self' (the last "run-s: X" or "time-s: X" line the runner
printed on stdout or stderr: the native driver and node_kernel.mjs time the
benchmark call alone).  The checksum is read from a "checksum: <hex>" line,
or else from the last integer printed on stdout (so a runtime that prints the
i64 result of `--invoke run` as a decimal number works too).

Extra columns: --runtime 'NAME=TEMPLATE' (wall time) or
--runtime 'NAME@self=TEMPLATE'.  For example a future wisp tier:
  --runtime 'wisp-jit=/path/to/wisp run --tier=jit {wasm} {n}'

Examples:
  python3 bench/harness/compare.py --build-dir build-bench
  python3 bench/harness/compare.py --build-dir build --wisp build/bin/wisp --runs 3
  python3 bench/harness/compare.py --build-dir build-bench --quick   # checksums only
"""

import argparse
import json
import math
import os
import random
import re
import resource
import shlex
import statistics
import subprocess
import sys
import time

WORKLOADS = ["fib", "sieve", "matmul", "nbody", "sha256", "sort", "vm",
             "memcpy", "i64math", "simd", "brtable"]

HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))

# V8 compiles wasm functions lazily, on their first call, by default; with
# eager compilation that work is in compile-s, not in the timed run() call.
EAGER = "--no-wasm-lazy-compilation"

# name, time source, template
DEFAULT_RUNTIMES = [
    ("native", "self", "{native} {n}"),
    ("liftoff", "self", "{node} --liftoff-only " + EAGER + " {harness}/node_kernel.mjs {kernel} {n}"),
    ("turbofan", "self", "{node} --no-liftoff " + EAGER + " {harness}/node_kernel.mjs {kernel} {n}"),
    ("node", "self", "{node} " + EAGER + " {harness}/node_kernel.mjs {kernel} {n}"),
    ("node-wasi", "wall", "{node} {harness}/node_run.mjs {wasm} {n}"),
]

WISP_RUNTIMES = [
    ("wisp", "wall", "{wisp} run {wasm} {n}"),
    ("wisp-kernel", "wall", "{wisp} run --invoke run {kernel} {n}"),
]

# wabt's reference interpreter (Debian package wabt): it can only call
# parameterless exports, hence run_default (= run(0), the default size).
WABT_RUNTIME = ("wabt-interp", "wall", "{wasm_interp} --run-all-exports {kernel}")

CHECKSUM_RE = re.compile(r"checksum:\s*(?:0x)?([0-9a-fA-F]+)")
SELF_TIME_RE = re.compile(r"^(?:run-s|time-s):\s*([0-9.eE+-]+)\s*$", re.M)
# CPU time of the benchmark call, for 'self' columns (native driver: cpu-s,
# node_kernel.mjs: run-cpu-s); 'wall' columns get the whole process's CPU
# time (user + system, from getrusage of the waited child).
SELF_CPU_RE = re.compile(r"^(?:run-cpu-s|cpu-s):\s*([0-9.eE+-]+)\s*$", re.M)
N_RE = re.compile(r"^n:\s*(-?\d+)\s*$", re.M)
LAST_INT_RE = re.compile(r"(-?0x[0-9a-fA-F]+|-?\d+)(?!.*\d)", re.S)


class Runtime:
    def __init__(self, name, time_source, template):
        self.name = name
        self.time_source = time_source
        self.template = template

    def argv(self, ctx):
        return [word.format(**ctx) for word in shlex.split(self.template)]


def parse_runtime_spec(spec):
    if "=" not in spec:
        raise argparse.ArgumentTypeError(f"runtime spec needs NAME=TEMPLATE: {spec!r}")
    name, template = spec.split("=", 1)
    source = "wall"
    if "@" in name:
        name, source = name.split("@", 1)
    if source not in ("wall", "self") or not name:
        raise argparse.ArgumentTypeError(f"bad runtime name/time source in {spec!r}")
    return Runtime(name, source, template)


def parse_checksum(stdout):
    m = CHECKSUM_RE.findall(stdout)
    if m:
        return int(m[-1], 16) & (2**64 - 1)
    m = LAST_INT_RE.search(stdout)
    if m:
        return int(m.group(1), 0) & (2**64 - 1)
    return None


def find_build_dir(path):
    for cand in (path, os.path.join(path, "bench", "workloads")):
        if os.path.isdir(os.path.join(cand, "native")) or os.path.isdir(os.path.join(cand, "wasm")):
            return cand
    sys.exit(f"compare.py: no native/ or wasm/ under {path} or {path}/bench/workloads; "
             "build the bench workloads first")


def run_once(rt, ctx, timeout):
    """Returns dict(ok, seconds, checksum, n, error)."""
    argv = rt.argv(ctx)
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timeout after {timeout}s"}
    except OSError as e:
        return {"ok": False, "error": str(e)}
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    if p.returncode != 0:
        tail = (p.stderr.strip().splitlines() or [""])[-1]
        return {"ok": False, "error": f"exit {p.returncode}: {tail}"}
    both = p.stdout + "\n" + p.stderr
    checksum = parse_checksum(p.stdout)
    if checksum is None:
        return {"ok": False, "error": "no checksum in output"}
    seconds = wall
    if rt.time_source == "self":
        m = SELF_TIME_RE.findall(both)
        if not m:
            return {"ok": False, "error": "no run-s:/time-s: line in output"}
        seconds = float(m[-1])
        c = SELF_CPU_RE.findall(both)
        cpu = float(c[-1]) if c else None
    n_m = N_RE.findall(p.stderr)
    return {"ok": True, "seconds": seconds, "cpu": cpu, "checksum": checksum,
            "n": int(n_m[-1]) if n_m else None}


def machine_info():
    """One line: date, nproc, CPU model, load averages (1/5/15 min)."""
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
    except OSError:
        load = "?"
    return (f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs ({cpu}), "
            f"load average {load}")


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def fmt_s(v):
    if v is None:
        return "—"
    if v >= 10:
        return f"{v:.1f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}" if v >= 0.01 else f"{v:.4f}"


def fmt_ratio(v):
    if v is None:
        return "—"
    return f"{v:.2f}×" if v < 10 else f"{v:.1f}×"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default="build-bench",
                    help="build dir of bench/workloads (holding native/ and wasm/) or a "
                         "top-level build dir (default: build-bench)")
    ap.add_argument("--runs", type=int, default=5, help="runs per workload and runtime (default 5)")
    ap.add_argument("--workloads", help="comma-separated subset (default: all)")
    ap.add_argument("--size", action="append", default=[], metavar="NAME=N",
                    help="size argument for one workload (repeatable)")
    ap.add_argument("--quick", action="store_true",
                    help="checksum check only: quick sizes (n=-1), 1 run unless --runs given")
    ap.add_argument("--node", default="node", help="node binary (default: node)")
    ap.add_argument("--no-node", action="store_true", help="leave out the node columns")
    ap.add_argument("--wisp", help="wisp binary; adds the wisp columns if it runs fib correctly")
    ap.add_argument("--wabt", nargs="?", const="wasm-interp", metavar="WASM_INTERP",
                    help="add a column for wabt's wasm-interp (an interpreter to compare "
                         "with; default sizes only, slow: ~3-5 s per workload)")
    ap.add_argument("--runtime", action="append", default=[], type=parse_runtime_spec,
                    metavar="NAME[@self]=TEMPLATE", help="add a column (repeatable)")
    ap.add_argument("--only", help="comma-separated runtime names to keep")
    ap.add_argument("--exclude", action="append", default=[], metavar="NAME:WORKLOAD",
                    help="do not run WORKLOAD under column NAME (repeatable; e.g. a build "
                         "without SIMD on the simd workload); its cell shows —")
    ap.add_argument("--baseline", default="native,liftoff",
                    help="columns to print ratio tables against (default: native,liftoff)")
    ap.add_argument("--allow-failures", action="store_true",
                    help="failed runs (crash, timeout, unsupported feature) do not make the "
                         "exit status non-zero; checksum mismatches still do")
    ap.add_argument("--timeout", type=float, default=120.0, help="per-run timeout in seconds")
    ap.add_argument("--clock", choices=("wall", "cpu", "both"), default="wall",
                    help="which time the tables use: wall clock (default), CPU time "
                         "(user + system; steadier on a loaded machine), or both")
    ap.add_argument("--json", help="write all raw results to this file")
    ap.add_argument("--markdown", help="also write the tables to this file")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every run")
    args = ap.parse_args()
    if args.quick and "--runs" not in sys.argv:
        args.runs = 1

    build = find_build_dir(args.build_dir)
    workloads = args.workloads.split(",") if args.workloads else list(WORKLOADS)
    sizes = {}
    for s in args.size:
        name, _, val = s.partition("=")
        sizes[name] = int(val, 0)

    runtimes = []
    for name, src, tmpl in DEFAULT_RUNTIMES:
        if args.no_node and "{node}" in tmpl:
            continue
        runtimes.append(Runtime(name, src, tmpl))
    if args.wisp:
        wisp = os.path.abspath(args.wisp)
        for name, src, tmpl in WISP_RUNTIMES:
            runtimes.append(Runtime(name, src, tmpl))
    else:
        wisp = None
    if args.wabt:
        if args.quick or args.size:
            sys.exit("compare.py: --wabt runs run_default(), so it cannot be combined "
                     "with --quick or --size")
        runtimes.append(Runtime(*WABT_RUNTIME))
    runtimes.extend(args.runtime)
    if args.only:
        keep = args.only.split(",")
        runtimes = [r for r in runtimes if r.name in keep]

    def ctx_for(w, n):
        return {"native": os.path.join(build, "native", w),
                "wasm": os.path.join(build, "wasm", w + ".wasm"),
                "kernel": os.path.join(build, "wasm", w + ".kernel.wasm"),
                "n": str(n), "name": w, "harness": HARNESS_DIR,
                "node": args.node, "wisp": wisp or "wisp",
                "wasm_interp": args.wabt or "wasm-interp"}

    def needed_files(rt, w):
        c = ctx_for(w, 0)
        return [c[k] for k in ("native", "wasm", "kernel") if "{" + k + "}" in rt.template]

    # Drop columns whose artifacts were not built (e.g. no wasm toolchain).
    usable = []
    for rt in runtimes:
        missing = [f for w in workloads for f in needed_files(rt, w) if not os.path.exists(f)]
        if missing:
            print(f"compare.py: skipping {rt.name}: {len(missing)} missing file(s), "
                  f"e.g. {missing[0]}", file=sys.stderr)
        else:
            usable.append(rt)
    runtimes = usable

    # Probe the wisp columns on fib's quick size.
    ref_probe = None
    native_rt = next((r for r in runtimes if r.name == "native"), None)
    if native_rt:
        res = run_once(native_rt, ctx_for("fib", -1), args.timeout)
        ref_probe = res.get("checksum")
    # Only the wisp columns are probed (and dropped if they do not work yet);
    # columns asked for with --runtime always run, and their failures count.
    probed_names = {n for n, _, _ in WISP_RUNTIMES}
    usable = []
    for rt in runtimes:
        if rt.name not in probed_names or rt in args.runtime:
            usable.append(rt)
            continue
        res = run_once(rt, ctx_for("fib", -1), args.timeout)
        if not res["ok"]:
            print(f"compare.py: skipping {rt.name}: probe failed ({res['error']})", file=sys.stderr)
        elif ref_probe is not None and res["checksum"] != ref_probe:
            print(f"compare.py: skipping {rt.name}: probe checksum {res['checksum']:016x} "
                  f"!= native {ref_probe:016x}", file=sys.stderr)
        else:
            usable.append(rt)
    runtimes = usable
    if not runtimes:
        sys.exit("compare.py: no runtime to run")

    n_arg = {w: (-1 if args.quick else sizes.get(w, 0)) for w in workloads}
    excluded = {tuple(e.split(":", 1)) for e in args.exclude if ":" in e}
    info_before = machine_info()
    results = {w: {rt.name: [] for rt in runtimes} for w in workloads}
    reported_n = {}
    total = args.runs * sum(1 for w in workloads for rt in runtimes
                            if (rt.name, w) not in excluded)
    done = 0
    t_start = time.perf_counter()
    for run in range(args.runs):
        for w in workloads:
            # The column order changes each run (a seeded shuffle; rotating
            # keeps neighbours together): a process right after a long one
            # (the interpreter's column) measured about 10% slower, every
            # time, whichever it was.
            order = list(runtimes)
            if run:
                random.Random(run * 7919 + len(w)).shuffle(order)
            for rt in order:
                if (rt.name, w) in excluded:
                    continue
                res = run_once(rt, ctx_for(w, n_arg[w]), args.timeout)
                results[w][rt.name].append(res)
                if res.get("n") is not None:
                    reported_n[w] = res["n"]
                done += 1
                if args.verbose:
                    desc = (f"{res['seconds']:.4f}s {res['checksum']:016x}" if res["ok"]
                            else "FAILED " + res["error"])
                    print(f"[{done}/{total}] run {run + 1} {w} {rt.name}: {desc}", file=sys.stderr)
        if not args.verbose:
            print(f"compare.py: run {run + 1}/{args.runs} done "
                  f"({time.perf_counter() - t_start:.0f}s)", file=sys.stderr)

    # Medians and checksum agreement.
    status = 0
    medians = {w: {} for w in workloads}
    medians_cpu = {w: {} for w in workloads}
    notes = []
    checksums = {}
    ref = {}
    for w in workloads:
        seen = {}
        for rt in runtimes:
            rs = results[w][rt.name]
            ok = [r for r in rs if r["ok"]]
            if len(ok) < len(rs):
                if not args.allow_failures:
                    status = 1
                notes.append(f"{w} / {rt.name}: {len(rs) - len(ok)} failed run(s): "
                             f"{next(r['error'] for r in rs if not r['ok'])}")
            if ok:
                medians[w][rt.name] = statistics.median(r["seconds"] for r in ok)
                cpus = [r["cpu"] for r in ok if r.get("cpu") is not None]
                if len(cpus) == len(ok):
                    medians_cpu[w][rt.name] = statistics.median(cpus)
            for r in ok:
                seen.setdefault(r["checksum"], set()).add(rt.name)
        if len(seen) > 1:
            status = 1
            desc = "; ".join(f"{c:016x} from {', '.join(sorted(nm))}" for c, nm in seen.items())
            notes.append(f"{w}: CHECKSUM MISMATCH: {desc}")
        checksums[w] = sorted(f"{c:016x}" for c in seen)
        # the reference: native's checksum, else the most common one
        if "native" in results[w] and any(r["ok"] for r in results[w]["native"]):
            ref[w] = next(r["checksum"] for r in results[w]["native"] if r["ok"])
        elif seen:
            ref[w] = max(seen, key=lambda c: len(seen[c]))

    names = [rt.name for rt in runtimes]
    info_after = machine_info()
    lines = []
    lines.append(f"Median seconds of {args.runs} run(s)"
                 + (" (quick sizes)" if args.quick else "") + "; "
                 + {"wall": "wall-clock time.", "cpu": "CPU time.",
                    "both": "wall-clock time, then CPU time."}[args.clock])
    lines.append("")
    lines.append(f"Started {info_before}; ended {info_after.split(', ', 1)[0]}, "
                 f"load average {info_after.rsplit('load average ', 1)[1]}.")
    lines.append("")
    clocks = ["wall", "cpu"] if args.clock == "both" else [args.clock]
    for clock in clocks:
        med = medians if clock == "wall" else medians_cpu
        if len(clocks) > 1:
            if clock != clocks[0]:
                lines.append("")
            lines.append("**Wall-clock time**" if clock == "wall" else
                         "**CPU time** (user + system of the measured part: the benchmark call "
                         "for self columns, the whole process for wall columns)")
            lines.append("")
        lines.append("| workload | n | " + " | ".join(names) + " |")
        lines.append("|---|---:|" + "---:|" * len(names))
        for w in workloads:
            n_show = str(reported_n.get(w, n_arg[w] if n_arg[w] else "default"))
            bad = len(checksums[w]) > 1
            cells = []
            for nm in names:
                v = med[w].get(nm)
                cells.append(("✗ " if bad else "") + fmt_s(v))
            lines.append(f"| {w} | {n_show} | " + " | ".join(cells) + " |")
        gm = [geomean([med[w].get(nm) for w in workloads]) for nm in names]
        lines.append("| **geomean** | | " + " | ".join(fmt_s(v) for v in gm) + " |")

        for base in [b for b in args.baseline.split(",") if b in names]:
            others = [nm for nm in names if nm != base]
            if not others:
                continue
            lines.append("")
            lines.append(f"Ratio to {base} (median time / {base} median time; lower is faster).")
            lines.append("")
            lines.append("| workload | " + " | ".join(others) + " |")
            lines.append("|---|" + "---:|" * len(others))
            ratios = {nm: [] for nm in others}
            for w in workloads:
                b = med[w].get(base)
                cells = []
                for nm in others:
                    v = med[w].get(nm)
                    r = v / b if (v is not None and b) else None
                    ratios[nm].append(r)
                    cells.append(fmt_ratio(r))
                lines.append(f"| {w} | " + " | ".join(cells) + " |")
            lines.append("| **geomean** | " + " | ".join(fmt_ratio(geomean(ratios[nm])) for nm in others) + " |")

    lines.append("")
    lines.append("Columns (time: self = the runner's own timing of the benchmark call, "
                 "wall = whole process):")
    lines.append("")
    for rt in runtimes:
        lines.append(f"- `{rt.name}` ({rt.time_source}): `{rt.template}`")
    if notes:
        lines.append("")
        lines.append("Problems:")
        lines.append("")
        for nline in notes:
            lines.append(f"- {nline}")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"build_dir": build, "runs": args.runs,
                       "machine_before": info_before, "machine_after": info_after,
                       "runtimes": [{"name": r.name, "time": r.time_source, "template": r.template}
                                    for r in runtimes],
                       "n": {w: reported_n.get(w, n_arg[w]) for w in workloads},
                       "checksums": checksums, "medians": medians,
                       "medians_cpu": medians_cpu, "results": results},
                      f, indent=1)
    good = sum(1 for w in workloads for nm in names for r in results[w][nm]
               if r["ok"] and r["checksum"] == ref.get(w))
    if status:
        print("compare.py: failures or checksum mismatches, see Problems above", file=sys.stderr)
    print(f"compare: {good} passed, {total - good} failed", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
