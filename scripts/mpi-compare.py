#!/usr/bin/env python3
"""Compares summaries (summary.json or `run --json` output) of runs with different numbers of MPI
ranks: every figure must be identical, bit for bit (the JSON prints doubles in their shortest
round-trip form, so equal text is equal bits), except timing, threads and ranks."""
import json
import sys

IGNORED = {"elapsed_seconds", "paths_per_second", "name_paths_per_second", "threads", "ranks"}


def strip(value):
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in IGNORED}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def differences(a, b, path="$"):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                yield f"{path}.{k}: only in one"
            else:
                yield from differences(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield f"{path}: lengths {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            yield from differences(x, y, f"{path}[{i}]")
    elif type(a) is not type(b) or a != b:
        yield f"{path}: {a!r} != {b!r}"


def main():
    files = sys.argv[1:]
    if len(files) < 2:
        sys.exit("usage: mpi-compare.py REFERENCE.json OTHER.json …")
    with open(files[0]) as f:
        reference = strip(json.load(f))
    failed = False
    for name in files[1:]:
        with open(name) as f:
            other = strip(json.load(f))
        diffs = list(differences(reference, other))
        if diffs:
            failed = True
            print(f"{name} differs from {files[0]} in {len(diffs)} figure(s):")
            for d in diffs[:20]:
                print("  " + d)
        else:
            print(f"{name}: identical to {files[0]} (timing, threads, ranks excluded)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
