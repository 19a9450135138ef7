#!/usr/bin/env python3
"""Sums a callgrind output file's self cost (Ir) by object (binary or shared library).

Usage: callgrind-by-object.py CALLGRIND_OUT [REQUESTS]
Prints total instructions, and per object the instructions and share; with REQUESTS, also
instructions per request. Callgrind counts user-space instructions only (the kernel is not
simulated), so this is the repeatable measure of a request's user-space work.
"""
import collections
import re
import sys

def parse(path):
    names = {}          # compressed id -> name, per kind ("ob", "fn", ...)
    by_object = collections.Counter()
    by_function = collections.Counter()
    current_ob = "???"
    current_fn = "???"
    skip_next_cost = False
    events = None
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if line.startswith("events:"):
            events = line.split()[1:]
            continue
        m = re.match(r"^(c?ob|c?fn|f[lie]|cfi|cfl)=(\((\d+)\))?\s*(.*)$", line)
        if m:
            kind, _, ident, name = m.groups()
            key = (kind.lstrip("c") if kind != "cfn" else "fn", ident)
            if ident is not None:
                if name:
                    names[key] = name
                else:
                    name = names.get(key, "???")
            if kind == "ob":
                current_ob = name or "???"
            elif kind == "fn":
                current_fn = name or "???"
            continue
        if line.startswith("calls="):
            skip_next_cost = True
            continue
        if line and (line[0].isdigit() or line[0] in "+-*"):
            if skip_next_cost:
                skip_next_cost = False
                continue
            parts = line.split()
            if len(parts) >= 2:
                by_object[current_ob] += int(parts[1])
                by_function[(current_ob, current_fn)] += int(parts[1])
    return by_object, by_function

def main():
    path = sys.argv[1]
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    by_object, by_function = parse(path)
    total = sum(by_object.values())
    print(f"total instructions (Ir): {total:,}")
    if requests:
        print(f"requests: {requests:,}  instructions per request: {total / requests:,.0f}")
    print()
    print("| object | Ir | share | per request |")
    print("| --- | --- | --- | --- |")
    for ob, ir in by_object.most_common(12):
        per = f"{ir / requests:,.0f}" if requests else ""
        print(f"| {ob.split('/')[-1]} | {ir:,} | {100 * ir / total:.1f}% | {per} |")
    print()
    print("| function (self cost) | object | share | per request |")
    print("| --- | --- | --- | --- |")
    for (ob, fn), ir in by_function.most_common(25):
        per = f"{ir / requests:,.0f}" if requests else ""
        print(f"| {fn[:90]} | {ob.split('/')[-1]} | {100 * ir / total:.1f}% | {per} |")

main()
