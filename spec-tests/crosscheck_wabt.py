#!/usr/bin/env python3
"""Cross-checks wisp's WAT encoder against wabt's on the spec suite.

For every text-form module of every .wast (top-level ones and those inside
assertions; not `binary`/`quote` ones), wisp's bytes (from wisp-wast2bin) are
compared with wabt's (wast2json --no-check, paired by the line of the
`(module` token). When wast2json rejects a whole script, each module is fed
to wat2wasm --no-check on its own instead, so one module wabt cannot read
does not hide the others.

Outcomes per module:
  identical     byte-for-byte equal
  structural    bytes differ but `wasm-objdump -x -d` prints the same
  wabt-rejects  wabt cannot parse the module (listed, not a failure)
  known         a documented deviation from wabt (KNOWN below, not a failure)
  FAIL          anything else, including a module wisp cannot encode
Exit status is 1 if any module FAILs.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Deliberate differences, as (file, line): reason. Each one is a case where
# wabt 1.0.32's encoding changes the module's meaning.
KNOWN = {
    ("select", 324): "`select (result)` must stay 0x1C with an empty type vector (invalid: "
                     "result arity); wabt writes untyped 0x1B",
}


def without_empty_datacount(wasm):
    """The module with a DataCount section of count 0 removed, else None."""
    i = 8
    while i < len(wasm):
        start = i
        sid = wasm[i]
        i += 1
        size = shift = 0
        while True:
            b = wasm[i]
            i += 1
            size |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        if sid == 12 and wasm[i:i + size] == b"\x00":
            return wasm[:start] + wasm[i + size:]
        i += size
    return None


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def objdump(path, tool):
    r = run([tool, "-x", "-d", path])
    if r.returncode != 0:
        return None
    name = os.path.basename(path)
    return "\n".join(l for l in r.stdout.splitlines() if name not in l)


def check_file(wast, tools, work):
    base = os.path.splitext(os.path.basename(wast))[0]
    out = {"file": base, "identical": 0, "structural": 0, "known": [], "wabt_rejects": [],
           "fail": [], "whole_file_rejected": None}
    wisp_dir = os.path.join(work, base, "wisp")
    wabt_dir = os.path.join(work, base, "wabt")
    os.makedirs(wisp_dir)
    os.makedirs(wabt_dir)
    r = run([tools.wast2bin, wast, wisp_dir])
    if r.returncode not in (0, 1):
        out["fail"].append(f"{base}: wisp-wast2bin: {r.stderr.strip()}")
        return out
    lines = sorted(int(f[:-4]) for f in os.listdir(wisp_dir) if f.endswith(".wat"))

    wabt_files = {}
    r = run([tools.wast2json, "--no-check", wast, "-o", os.path.join(wabt_dir, base + ".json")])
    if r.returncode == 0:
        with open(os.path.join(wabt_dir, base + ".json")) as f:
            for c in json.load(f)["commands"]:
                fn = c.get("filename", "")
                if fn.endswith(".wasm"):
                    wabt_files[c["line"]] = os.path.join(wabt_dir, fn)
    else:
        first = (r.stderr.strip().splitlines() or ["(no message)"])[0]
        out["whole_file_rejected"] = first

    for line in lines:
        where = f"{base}.wast:{line}"
        err = os.path.join(wisp_dir, f"{line}.err")
        if os.path.exists(err):
            with open(err) as f:
                out["fail"].append(f"{where}: wisp cannot encode: {f.read().strip()}")
            continue
        mine = os.path.join(wisp_dir, f"{line}.wasm")
        theirs = wabt_files.get(line)
        if theirs is None:
            theirs = os.path.join(wabt_dir, f"single.{line}.wasm")
            r = run([tools.wat2wasm, "--no-check", os.path.join(wisp_dir, f"{line}.wat"), "-o", theirs])
            if r.returncode != 0:
                first = (r.stderr.strip().splitlines() or ["(no message)"])[0]
                out["wabt_rejects"].append(f"{where}: {first}")
                continue
        with open(mine, "rb") as a, open(theirs, "rb") as b:
            ours, wabts = a.read(), b.read()
        if ours == wabts:
            out["identical"] += 1
            continue
        if without_empty_datacount(ours) == wabts:
            # wabt leaves DataCount out when there are no data segments, which
            # turns `data.drop 0` there from invalid into malformed.
            out["known"].append(f"{where}: DataCount(0) for data.drop/memory.init without segments")
            continue
        da, db = objdump(mine, tools.objdump), objdump(theirs, tools.objdump)
        if da is not None and da == db:
            out["structural"] += 1
        elif (base, line) in KNOWN:
            out["known"].append(f"{where}: {KNOWN[(base, line)]}")
        else:
            out["fail"].append(f"{where}: encodings differ ({mine} vs {theirs})")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wast2bin", required=True)
    ap.add_argument("--suite", required=True, help="directory holding the .wast files")
    ap.add_argument("--wast2json", default="wast2json")
    ap.add_argument("--wat2wasm", default="wat2wasm")
    ap.add_argument("--objdump", default="wasm-objdump")
    ap.add_argument("--keep", help="keep the work files in this directory")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 1)
    tools = ap.parse_args()

    wasts = sorted(os.path.join(tools.suite, f) for f in os.listdir(tools.suite) if f.endswith(".wast"))
    if not wasts:
        print(f"no .wast files in {tools.suite}")
        return 1
    work = tools.keep or tempfile.mkdtemp(prefix="wisp-crosscheck-")
    if tools.keep and os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work, exist_ok=True)
    try:
        with concurrent.futures.ThreadPoolExecutor(tools.j) as ex:
            results = list(ex.map(lambda w: check_file(w, tools, work), wasts))
    finally:
        if not tools.keep:
            shutil.rmtree(work, ignore_errors=True)

    total = {"identical": 0, "structural": 0}
    known, rejects, fails = [], [], []
    for r in results:
        total["identical"] += r["identical"]
        total["structural"] += r["structural"]
        known += r["known"]
        rejects += r["wabt_rejects"]
        fails += r["fail"]
        if r["whole_file_rejected"]:
            print(f"note: wast2json rejects {r['file']}.wast ({r['whole_file_rejected']}); "
                  "its modules were checked one by one with wat2wasm")
    for k in known:
        print(f"known deviation: {k}")
    for k in rejects:
        print(f"wabt cannot parse: {k}")
    for f in fails:
        print(f"FAIL: {f}")
    modules = total["identical"] + total["structural"] + len(known) + len(rejects) + len(fails)
    print(f"wabt cross-check: {len(wasts)} scripts, {modules} text modules: "
          f"{total['identical']} byte-identical, {total['structural']} structurally equal, "
          f"{len(known)} known deviations, {len(rejects)} wabt cannot parse, {len(fails)} failed")
    print(f"{modules - len(fails)} passed, {len(fails)} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
