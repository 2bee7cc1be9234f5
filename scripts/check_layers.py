#!/usr/bin/env python3
"""Fails when a source file includes a header from a layer above its own.

The layers, lowest first, are those of ARCHITECTURE.md. A file may include
headers of its own layer and of any layer it sits on; nothing else of the
project. Tests (any `tests/` folder) may include anything.

  scripts/check_layers.py [ROOT]     exit 0 and a summary, or 1 and one line
                                     per offending include
"""
import os
import re
import sys

# folder -> (name, the folders it may include besides itself)
WASM = "runtime/wasm"
VALID = "runtime/valid"
TEXT = "runtime/text"
VM = "runtime/vm"
COMPONENT = "runtime/component"
INTERP = "runtime/interp"
JIT = "jit"
API = "runtime/api"
CAPI = "runtime/capi"
WASI = "wasi"
TOOLS = "tools"

ALLOWED = {
    WASM: set(),
    VALID: {WASM},
    TEXT: {WASM, VALID},
    VM: {WASM, VALID},
    INTERP: {WASM, VALID, VM},
    JIT: {WASM, VALID, VM},
    COMPONENT: {WASM, VALID, VM},
    API: {WASM, VALID, VM, INTERP, JIT, COMPONENT},
    CAPI: {WASM, VALID, VM, API},  # the C API, over the C++ one
    WASI: {WASM, VALID, VM, API, COMPONENT},
    TOOLS: {WASM, VALID, TEXT, VM, API, WASI, COMPONENT, "spec-tests"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
SOURCE = (".hpp", ".cpp", ".h", ".c", ".def", ".inc")


def layer_of(path):
    """The layer folder a project path belongs to, or None."""
    best = None
    for folder in ALLOWED:
        if path == folder or path.startswith(folder + "/"):
            if best is None or len(folder) > len(best):
                best = folder
    return best


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    bad, checked = [], 0
    for folder in ALLOWED:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, folder)):
            dirnames[:] = [d for d in dirnames if d != "tests"]
            for name in filenames:
                if not name.endswith(SOURCE):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name), root)
                own = layer_of(path)
                if own != folder:
                    continue  # a deeper layer folder walks it
                checked += 1
                text = open(os.path.join(root, path), encoding="utf-8", errors="replace").read()
                for m in INCLUDE.finditer(text):
                    target = m.group(1)
                    if not os.path.exists(os.path.join(root, target)):
                        continue  # not a project path (or relative to the file)
                    to = layer_of(target)
                    if to is None or to == own or to in ALLOWED[own]:
                        continue
                    line = text.count("\n", 0, m.start()) + 1
                    bad.append(f"{path}:{line}: includes {target}: layer {own} may not "
                               f"include {to} (ARCHITECTURE.md)")
    for b in bad:
        print(b)
    print(f"check_layers: {checked} files, {len(bad)} includes against the layering")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
