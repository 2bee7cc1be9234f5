#!/usr/bin/env python3
"""nest.py IN OUT: composes a component the way composition tools do,
as a nested component: OUT imports what IN imports (IN's leading type,
import and alias sections, copied), holds IN whole as a nested component,
instantiates it with its imports passed through (`with`), and exports what
IN exports (aliased out of that instance). Running OUT must do what running
IN does. Python standard library only."""
import sys


def leb(data, i):
    n = shift = 0
    while True:
        b = data[i]
        i += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return n, i


def enc(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def name(s):
    b = s.encode()
    return enc(len(b)) + b


def section(sid, body):
    return bytes([sid]) + enc(len(body)) + body


def read_name(data, i):
    n, i = leb(data, i)
    return data[i:i + n].decode(), i + n


def extern_name(data, i):
    kind = data[i]
    s, i = read_name(data, i + 1)
    if kind == 0x01:  # a version suffix follows
        _, i = read_name(data, i)
    return s, i


def externdesc(data, i):
    sort = data[i]
    i += 1
    if sort == 0x00:  # core module: 0x11 typeidx
        _, i = leb(data, i + 1)
    elif sort == 0x03:  # type bound: eq i, or sub resource
        if data[i] == 0x00:
            _, i = leb(data, i + 1)
        else:
            i += 1
    elif sort == 0x02:  # value: a valtype (a primitive byte or a type index)
        if data[i] >= 0x73:
            i += 1
        else:
            _, i = leb(data, i)
    else:
        _, i = leb(data, i)
    return sort, i


def main():
    data = open(sys.argv[1], "rb").read()
    assert data[:8] == b"\0asm\x0d\0\x01\0", "not a component"
    i = 8
    prefix = bytearray()
    imports = []  # (name, sort, index in its space)
    exports = []  # (name, sort)
    counts = {}
    in_prefix = True
    while i < len(data):
        sid = data[i]
        size, j = leb(data, i + 1)
        body = data[j:j + size]
        if in_prefix and sid not in (0x06, 0x07, 0x0A, 0x00):
            in_prefix = False
        if in_prefix:
            prefix += data[i:j + size]
            if sid == 0x0A:
                n, k = leb(body, 0)
                for _ in range(n):
                    nm, k = extern_name(body, k)
                    sort, k = externdesc(body, k)
                    imports.append((nm, sort, counts.get(sort, 0)))
                    counts[sort] = counts.get(sort, 0) + 1
            elif sid == 0x06:
                n, k = leb(body, 0)
                for _ in range(n):
                    sort = body[k]
                    k += 2 if sort == 0x00 else 1
                    tag = body[k]
                    k += 1
                    if tag in (0x00, 0x01):  # export of an instance: instance, name
                        _, k = leb(body, k)
                        _, k = read_name(body, k)
                    else:  # outer: count, index
                        _, k = leb(body, k)
                        _, k = leb(body, k)
                    if sort != 0x00:
                        counts[sort] = counts.get(sort, 0) + 1
        elif sid == 0x0A:
            sys.exit("nest.py: imports after other definitions are not handled")
        if sid == 0x0B:
            n, k = leb(body, 0)
            for _ in range(n):
                nm, k = extern_name(body, k)
                sort = body[k]
                k += 1
                _, k = leb(body, k)
                if body[k] == 0x01:
                    _, k = externdesc(body, k + 1)
                else:
                    k += 1
                exports.append((nm, sort))
        i = j + size
    for nm, sort, _ in imports:
        if sort not in (0x01, 0x05):
            sys.exit(f"nest.py: import {nm}: only function and instance imports are passed through")
    out = bytearray(b"\0asm\x0d\0\x01\0") + prefix
    out += section(0x04, data)  # the nested component: component index 0
    args = b"".join(name(nm) + bytes([sort]) + enc(idx) for nm, sort, idx in imports)
    inst = counts.get(0x05, 0)  # the new instance's index
    out += section(0x05, enc(1) + b"\x00" + enc(0) + enc(len(imports)) + args)
    aliases = b"".join(bytes([sort, 0x00]) + enc(inst) + name(nm) for nm, sort in exports)
    out += section(0x06, enc(len(exports)) + aliases)
    index = dict(counts)
    index[0x05] = inst + 1
    ex = bytearray()
    for nm, sort in exports:
        ex += b"\x00" + name(nm) + bytes([sort]) + enc(index.get(sort, 0)) + b"\x00"
        index[sort] = index.get(sort, 0) + 1
    out += section(0x0B, enc(len(exports)) + bytes(ex))
    open(sys.argv[2], "wb").write(out)


main()
