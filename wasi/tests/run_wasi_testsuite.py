#!/usr/bin/env python3
"""Runs the WASI testsuite's preview 1 tests through `wisp run`.

Does what the upstream runner (wasi-testsuite's test-runner plus its
wasmtime adapter) does, with the stdlib only:
  * every <name>.wasm in tests/*/testsuite/wasm32-wasip1/ is a test; the
    optional <name>.json next to it gives args, env, exit_code, stdout,
    stderr and root (a fixture directory preopened as "/"; the older "dirs"
    list is honoured too);
  * each suite runs from a scratch copy of its directory (the fixtures are
    read-only and tests write into them), with the test's directory as the
    working directory; *.cleanup files are deleted before and after each test;
  * a test passes when the exit code matches and stdout (and stderr, when
    the spec gives it) starts with the expected text.
Prints one PASS/FAIL line per test and "N passed, N failed"; exits 0 only
when nothing failed. Exits 77 (CTest's skip code here) when the suite is
not there.
"""
import argparse
import glob
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time


def load_spec(wasm):
    spec = {}
    path = wasm[:-len(".wasm")] + ".json"
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
    return spec


def cleanup(root):
    for p in glob.glob(os.path.join(root, "**", "*.cleanup"), recursive=True):
        if os.path.islink(p) or os.path.isfile(p):
            os.remove(p)
        elif os.path.isdir(p):
            shutil.rmtree(p)


def make_writable(root):
    # The staged fixtures are read-only; tests create and delete files in them.
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames + ["."]:
            p = os.path.join(dirpath, name)
            if not os.path.islink(p):
                os.chmod(p, os.stat(p).st_mode | stat.S_IWUSR | stat.S_IRUSR |
                         (stat.S_IXUSR if os.path.isdir(p) else 0))


def run_test(wisp, wasm, workdir, timeout):
    spec = load_spec(wasm)
    name = os.path.basename(wasm)[:-len(".wasm")]
    cmd = [wisp, "run"]
    for k, v in spec.get("env", {}).items():
        cmd += ["--env", f"{k}={v}"]
    if "root" in spec:
        cmd += ["--dir", os.path.join(workdir, spec["root"]) + "::/"]
    for d in spec.get("dirs", []):  # the older spec format
        cmd += ["--dir", os.path.join(workdir, d) + "::" + d]
    cmd += [os.path.join(workdir, name + ".wasm")] + spec.get("args", [])
    cleanup(workdir)
    start = time.time()
    try:
        r = subprocess.run(cmd, cwd=workdir, capture_output=True, timeout=timeout)
        code, out, err = r.returncode, r.stdout, r.stderr
    except subprocess.TimeoutExpired as e:
        code, out, err = None, e.stdout or b"", (e.stderr or b"") + b"\n(timed out)"
    elapsed = time.time() - start
    cleanup(workdir)
    problems = []
    want_code = spec.get("exit_code", 0)
    if code != want_code:
        problems.append(f"exit code {code}, expected {want_code}")
    for stream, got in (("stdout", out), ("stderr", err)):
        want = spec.get(stream)
        if want is not None and not got.decode("utf-8", "replace").startswith(want):
            problems.append(f"{stream} {got[:200]!r} does not start with {want!r}")
    return name, problems, err, elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wisp", required=True)
    ap.add_argument("--suite", default="", help="the wasi-testsuite checkout (holds tests/)")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--filter", default="", help="run only tests whose name contains this")
    a = ap.parse_args()
    a.wisp = os.path.abspath(a.wisp)

    suites = sorted(glob.glob(os.path.join(a.suite, "tests", "*", "testsuite", "wasm32-wasip1")))
    if not a.suite or not suites:
        print("SKIPPED: WASI testsuite not found (looked for tests/*/testsuite/wasm32-wasip1 in "
              f"'{a.suite}'); set WISP_WASI_TESTSUITE, or run scripts/fetch-testsuite.sh")
        return 77

    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="wisp-wasi-testsuite-") as scratch:
        for suite in suites:
            lang = suite.split(os.sep)[-3]
            workdir = os.path.join(scratch, lang)
            shutil.copytree(suite, workdir, symlinks=True)
            make_writable(workdir)
            for wasm in sorted(glob.glob(os.path.join(workdir, "*.wasm"))):
                if a.filter and a.filter not in os.path.basename(wasm):
                    continue
                name, problems, err, elapsed = run_test(a.wisp, wasm, workdir, a.timeout)
                if problems:
                    failed += 1
                    print(f"FAIL {lang}/{name} ({elapsed:.2f}s): " + "; ".join(problems))
                    tail = err.decode("utf-8", "replace").strip().splitlines()[-15:]
                    for line in tail:
                        print(f"     | {line}")
                else:
                    passed += 1
                    print(f"PASS {lang}/{name} ({elapsed:.2f}s)")
                sys.stdout.flush()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
