#!/usr/bin/env python3
"""Runs one of wisp's WASI test programs (wasi/tests/programs/*.c, built for
wasm32-wasi) through `wisp run` and checks what it did.

  run_programs.py --wisp BIN --programs DIR [--native-wc BIN] CASE

Each CASE sets up a scratch directory tree, runs the program with the grants
it needs (and no others), and checks exit status, output, and the host file
system afterwards. Exit 0 = pass.
"""
import argparse
import os
import pty
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time

A = None  # parsed arguments


def wasm(name):
    return os.path.join(A.programs, name + ".wasm")


def run(args, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("timeout", 120)
    return subprocess.run([A.wisp, "run"] + args, **kw)


def fail(msg, r=None):
    print("FAIL:", msg)
    if r is not None:
        print("exit:", r.returncode)
        print("stdout:", r.stdout.decode("utf-8", "replace")[-3000:])
        print("stderr:", r.stderr.decode("utf-8", "replace")[-3000:])
    sys.exit(1)


def expect(cond, msg, r=None):
    if not cond:
        fail(msg, r)


def escape_tree(tmp):
    os.makedirs(f"{tmp}/outside/dir")
    os.makedirs(f"{tmp}/root/sub")
    with open(f"{tmp}/outside/secret", "w") as f:
        f.write("SECRET")
    with open(f"{tmp}/root/file", "w") as f:
        f.write("inside")
    os.symlink("../outside/secret", f"{tmp}/root/link_out")
    os.symlink(f"{tmp}/outside/secret", f"{tmp}/root/link_abs")
    os.symlink("../outside", f"{tmp}/root/link_dir")
    os.symlink("../../outside/secret", f"{tmp}/root/sub/link_up2")
    os.symlink("link_out", f"{tmp}/root/chain")
    os.symlink("../outside/created_by_guest", f"{tmp}/root/dangling_out")


def case_escape(resolver):
    with tempfile.TemporaryDirectory() as tmp:
        escape_tree(tmp)
        before = sorted(os.listdir(f"{tmp}/outside")) + sorted(os.listdir(tmp))
        env = dict(os.environ, WISP_WASI_RESOLVER=resolver)
        r = run(["--dir", f"{tmp}/root::/sandbox", wasm("escape")], env=env)
        print(r.stdout.decode())
        expect(r.returncode == 0, "escape attempts not all denied", r)
        expect(b"attempts denied" in r.stdout, "escape program did not finish", r)
        after = sorted(os.listdir(f"{tmp}/outside")) + sorted(os.listdir(tmp))
        expect(before == after, f"outside changed: {before} -> {after}")
        with open(f"{tmp}/outside/secret") as f:
            expect(f.read() == "SECRET", "secret modified")
        expect(os.path.exists(f"{tmp}/root/file"), "inside file moved away")


def case_race(resolver):
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(f"{tmp}/outside")
        os.makedirs(f"{tmp}/root/real")
        with open(f"{tmp}/outside/secret", "w") as f:
            f.write("SECRET")
        with open(f"{tmp}/root/real/secret", "w") as f:
            f.write("inside")
        os.symlink("../outside", f"{tmp}/root/evil")
        stop = threading.Event()

        def flip():
            real, swap, evil = f"{tmp}/root/real", f"{tmp}/root/swap", f"{tmp}/root/evil"
            while not stop.is_set():
                os.rename(real, swap)
                os.rename(swap, real)
                os.rename(evil, swap)
                os.rename(swap, evil)

        t = threading.Thread(target=flip)
        t.start()
        try:
            env = dict(os.environ, WISP_WASI_RESOLVER=resolver)
            r = run(["--dir", f"{tmp}/root::/sandbox", wasm("race"), "30000"], env=env)
        finally:
            stop.set()
            t.join()
        print(r.stdout.decode())
        expect(r.returncode == 0 and b"outside 0 " in r.stdout, "a swapped symlink escaped", r)
        expect(b"inside 0 " not in r.stdout, "race never saw the inside file", r)


def env_lines(r):
    return r.stdout.decode().splitlines()


def case_env():
    env = dict(os.environ, HOME="/home/secret-user", WISP_TOKEN="hunter2")
    r = run([wasm("env")], env=env)
    expect(r.returncode == 0 and env_lines(r) == ["count 0"], "host environment leaked", r)
    r = run(["--env", "WISP_TOKEN", wasm("env")], env=env)
    expect(env_lines(r) == ["WISP_TOKEN=hunter2", "count 1"], "--env NAME did not copy just one", r)
    r = run(["--env", "A=1", "--env", "B=x=y", "--env", "A=2", wasm("env")], env=env)
    expect(env_lines(r) == ["A=2", "B=x=y", "count 2"], "--env NAME=VALUE", r)
    r = run(["--env", "NOT_SET_ANYWHERE", wasm("env")], env=env)
    expect(env_lines(r) == ["count 0"], "--env of an unset variable", r)


def case_noaccess():
    with tempfile.TemporaryDirectory() as tmp:
        with open(f"{tmp}/secret.txt", "w") as f:
            f.write("x")
        os.makedirs(f"{tmp}/granted")
        for grants in ([], ["--dir", f"{tmp}/granted::/data"]):
            r = run(grants + [wasm("noaccess")], cwd=tmp)
            print(r.stdout.decode())
            expect(r.returncode == 0 and b"nothing reachable" in r.stdout, "a path was reachable", r)
            expect(b"opendir(\"/\") succeeded" not in r.stdout, "/ was listable", r)


def case_workdir(prog, args, want):
    with tempfile.TemporaryDirectory() as tmp:
        r = run(["--dir", f"{tmp}::/work", wasm(prog)] + args)
        print(r.stdout.decode())
        expect(r.returncode == 0 and want.encode() in r.stdout, f"{prog} failed", r)


def case_clocks():
    r = run([wasm("clocks"), str(int(time.time()))])
    print(r.stdout.decode())
    expect(r.returncode == 0 and b"clocks ok" in r.stdout, "clocks", r)


def case_poll(mode):
    rfd, wfd = os.pipe()
    try:
        if mode == "ready":
            os.write(wfd, b"hello\n")
        r = run([wasm("poll"), mode], stdin=rfd)
    finally:
        os.close(rfd)
        os.close(wfd)
    print(r.stdout.decode())
    expect(r.returncode == 0 and b"poll ok" in r.stdout, "poll_oneoff", r)


def case_wc():
    """A real program: word counts through wisp equal the native build's."""
    expect(A.native_wc, "--native-wc missing")
    with tempfile.TemporaryDirectory() as tmp:
        text = "".join(f"line {i}: the quick brown fox\tjumps over {i * 7} lazy dogs\n"
                       for i in range(20000))
        with open(f"{tmp}/a.txt", "w") as f:
            f.write(text)
        with open(f"{tmp}/b.txt", "wb") as f:
            f.write(bytes(range(256)) * 300 + b"no newline at end")
        with open(os.path.join(os.path.dirname(__file__), "programs", "wc.c"), "rb") as src:
            with open(f"{tmp}/wc.c", "wb") as f:
                f.write(src.read())
        files = ["a.txt", "b.txt", "wc.c"]
        native = subprocess.run([A.native_wc] + files, cwd=tmp, capture_output=True)
        r = run(["--dir", ".", wasm("wc")] + files, cwd=tmp)
        print("native:\n" + native.stdout.decode())
        print("wisp:\n" + r.stdout.decode())
        expect(native.returncode == 0 and r.returncode == 0, "wc failed", r)
        expect(r.stdout == native.stdout, "wisp's output differs from the native build's", r)
        # Through stdin too, and with a missing file.
        with open(f"{tmp}/a.txt", "rb") as f:
            r2 = run([wasm("wc")], stdin=f)
        expect(r2.stdout.split() == native.stdout.split()[:3] + [], "wc from stdin", r2)
        r3 = run(["--dir", ".", wasm("wc"), "missing.txt"], cwd=tmp)
        expect(r3.returncode == 1 and b"missing.txt" in r3.stderr, "wc of a missing file", r3)


def case_stdio_pipe():
    data = os.urandom(3 << 20)
    r = run([wasm("stdio"), "cat"], input=data)
    expect(r.returncode == 0 and r.stdout == data, "stdin -> stdout copy through pipes", r)
    r = run([wasm("stdio"), "lines"], input=b"one\ntwo\nthree")
    expect(r.stdout == b"got: one\ngot: two\ngot: three", "line reads from a pipe", r)


def case_stdio_tty():
    """Interactive input: stdin is a terminal; lines arrive one at a time."""
    master, slave = pty.openpty()
    p = subprocess.Popen([A.wisp, "run", wasm("stdio"), "lines"], stdin=slave,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(slave)
    out = b""
    try:
        for word in (b"alpha", b"beta"):
            os.write(master, word + b"\n")
            deadline = time.time() + 20
            while b"got: " + word not in out and time.time() < deadline:
                ready, _, _ = select.select([p.stdout], [], [], 0.5)
                if ready:
                    out += os.read(p.stdout.fileno(), 4096)
            expect(b"got: " + word in out, f"no echo for {word!r} from a terminal: {out!r}")
        os.write(master, b"\x04")  # end of input
        p.wait(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
        os.close(master)
    expect(p.returncode == 0, f"exit {p.returncode}")
    master, slave = pty.openpty()
    r = run([wasm("stdio"), "isatty"], stdin=slave)
    os.close(master)
    os.close(slave)
    expect(r.stdout.split()[:1] == [b"1"], "isatty(0) on a terminal", r)
    r = run([wasm("stdio"), "isatty"], stdin=subprocess.DEVNULL)
    expect(r.stdout == b"0 0 0\n", "isatty on /dev/null and pipes", r)


def case_stdio_exit():
    r = run([wasm("stdio"), "exit"])
    expect(r.returncode == 7 and r.stdout == b"buffered output, no newline",
           "proc_exit status / stdout flush on exit", r)
    for code, status in ((0, 0), (1, 1), (125, 125), (255, 255), (256, 255), (-1, 255)):
        r = run([wasm("stdio"), "exitcode", str(code)])
        expect(r.returncode == status, f"proc_exit({code}) should exit {status}", r)
    r = run([wasm("stdio"), "trap"])
    expect(r.returncode == 134 and r.stdout == b"unbuffered\nflushed\n" and b"trap" in r.stderr,
           "trap status / stdout on trap", r)


def case_stdio_nonblock():
    """stdin inherited non-blocking: the guest still gets blocking reads. And a
    guest that makes stdin non-blocking does not leave it so for the parent."""
    rfd, wfd = os.pipe()
    os.set_blocking(rfd, False)
    p = subprocess.Popen([A.wisp, "run", wasm("stdio"), "cat"], stdin=rfd,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.3)  # the guest is blocked in fd_read by now
    os.write(wfd, b"late data\n")
    os.close(wfd)
    out, err = p.communicate(timeout=30)
    expect(p.returncode == 0 and out == b"late data\n",
           f"read from an inherited non-blocking pipe: exit {p.returncode}, {out!r}, {err!r}")
    os.close(rfd)
    rfd, wfd = os.pipe()
    r = run([wasm("stdio"), "nonblock"], stdin=rfd)
    expect(r.stdout == b"read -1 EAGAIN\n", "guest-requested non-blocking read", r)
    expect(os.get_blocking(rfd), "stdin left non-blocking after wisp exited")
    os.close(rfd)
    os.close(wfd)


def case_sigpipe():
    """stdout whose reader went away: the guest sees EPIPE, wisp is not killed."""
    rfd, wfd = os.pipe()
    os.close(rfd)
    r = run([wasm("stdio"), "cat"], input=b"x" * 100000, stdout=wfd, capture_output=False,
            stderr=subprocess.PIPE)
    os.close(wfd)
    expect(r.returncode == 1, f"expected the guest to see EPIPE and exit 1, got {r.returncode}")


def case_sock():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    p = subprocess.Popen([A.wisp, "run", "--tcplisten", f"127.0.0.1:{port}", wasm("echo_server")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 20
        while True:
            try:
                c = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                expect(time.time() < deadline and p.poll() is None, "server never listened")
                time.sleep(0.05)
        c.sendall(b"hello wasi\n")
        got = b""
        while True:
            chunk = c.recv(100)
            if not chunk:
                break
            got += chunk
        c.close()
        out, err = p.communicate(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
    expect(got == b"HELLO WASI\n", f"echo got {got!r}; stderr {err!r}")
    expect(p.returncode == 0 and b"served 11 bytes" in out, f"server exit {p.returncode}: {out!r}")
    # Without --tcplisten there is no socket at fd 3.
    r = run([wasm("echo_server")])
    expect(r.returncode == 1 and b"not a socket" in r.stdout, "fd 3 without a grant", r)


CASES = {
    "escape": lambda: case_escape("auto"),
    "escape_portable": lambda: case_escape("portable"),
    "race": lambda: case_race("auto"),
    "race_portable": lambda: case_race("portable"),
    "env": case_env,
    "noaccess": case_noaccess,
    "fileio": lambda: case_workdir("fileio", ["/work"], "fileio ok"),
    "dirlist": lambda: case_workdir("dirlist", ["/work/listing"], "dirlist ok 302"),
    "clocks": case_clocks,
    "poll_silent": lambda: case_poll("silent"),
    "poll_ready": lambda: case_poll("ready"),
    "wc": case_wc,
    "stdio_pipe": case_stdio_pipe,
    "stdio_tty": case_stdio_tty,
    "stdio_exit": case_stdio_exit,
    "stdio_nonblock": case_stdio_nonblock,
    "sigpipe": case_sigpipe,
    "sock": case_sock,
}


def main():
    global A
    ap = argparse.ArgumentParser()
    ap.add_argument("--wisp", required=True)
    ap.add_argument("--programs", required=True)
    ap.add_argument("--native-wc")
    ap.add_argument("case", choices=sorted(CASES) + ["list"])
    A = ap.parse_args()
    if A.case == "list":
        print(" ".join(sorted(CASES)))
        return 0
    # Cases run programs from scratch directories.
    A.wisp = os.path.abspath(A.wisp)
    A.programs = os.path.abspath(A.programs)
    if A.native_wc:
        A.native_wc = os.path.abspath(A.native_wc)
    CASES[A.case]()
    print("PASS", A.case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
