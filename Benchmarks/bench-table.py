#!/usr/bin/env python3
"""Markdown table of saved `creditsim bench --json` results, for Benchmarks/README.md.

Usage: Benchmarks/bench-table.py RESULT.json [RESULT.json ...]
Prints, for each file, its date, revision and machine (from its machine block), its load and
warnings, then one row per measurement: min, median and max seconds of the repeats, their
relative spread, the median rate with its min-max range, the speed-up against one thread, the
fraction of the generator's bound, and the ratio to the numpy peer. Standard library only.
"""
import json
import sys


def sci(x):
    if x is None:
        return "-"
    if x == 0 or 1e-3 <= abs(x) < 1e4:
        return f"{x:.4g}"
    mantissa, exponent = f"{x:.3e}".split("e")
    return f"{mantissa}·10^{int(exponent)}"


def rate(m):
    for key, unit in (("name_paths_per_second", "name-paths/s"), ("uniforms_per_second", "uniforms/s"),
                      ("paths_per_second", "paths/s")):
        if key in m:
            r = m[key]
            return f"{sci(r['median'])} {unit}", f"{sci(r['min'])}–{sci(r['max'])}"
    return "-", "-"


def table(path):
    d = json.load(open(path, encoding="utf-8"))
    if d.get("format") != "creditsim-bench":
        sys.exit(f"{path}: not a creditsim bench result")
    m, w, load = d["machine"], d["workload"], d["load"]
    out = [f"**{w['description']}**; {w['method']} sampling, {w['valuation']} valuation"
           + (f", {w['paths']} paths" if w.get("paths") else "") + f", {w['repeats']} repeats.  ",
           f"{d['date'][:10]}, revision `{m['revision']}`, creditsim {m['tool_version']} ({m['build_configuration']} build, "
           f"core for {m['vector_target']}, OpenBLAS {m['openblas_core']}); {m['cpu_model']}, {m['cores']} cores, "
           f"{m['memory_bytes'] / 2**30:.0f} GiB; {m['system']}.  "]
    parts = []
    if load.get("before") is not None:
        parts.append(f"1-min load average {load['before']:.2f} before")
    if load.get("others_runnable_mean") is not None:
        parts.append(f"other processes' runnable threads {load['others_runnable_mean']:.2f} on average during")
    out.append("Load: " + (", ".join(parts) or "not read") + f" (warning above {load['threshold']:.1f}).")
    out.append("")
    out.append("| measurement | threads | min s | median s | max s | spread | rate (median) | rate min–max | speed-up | of bound | × peer |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for x in d["measurements"]:
        s = x["seconds"]
        median, span = rate(x)
        out.append(f"| {x['kind']} | {x.get('threads', '-')} | {s['min']:.4f} | {s['median']:.4f} | {s['max']:.4f} | "
                   f"{100 * s['relative_spread']:.1f} % | {median} | {span} | "
                   f"{'%.2f×' % x['speedup_vs_one_thread'] if 'speedup_vs_one_thread' in x else '-'} | "
                   f"{'%.0f %%' % (100 * x['bound']['fraction']) if 'bound' in x else '-'} | "
                   f"{'%.1f' % x['ratio_to_peer'] if 'ratio_to_peer' in x else '-'} |")
    peer = d.get("peer")
    if peer:
        out.append("")
        if peer.get("skipped"):
            out.append(f"Peer: skipped ({peer['skipped']}).")
        else:
            line = f"Peer: numpy {peer.get('numpy_version')}, {peer.get('paths')} paths per repeat"
            if peer.get("z") is not None:
                line += (f"; expected loss {peer['expected_loss']:.5g} ± {peer['expected_loss_se']:.2g} against "
                         f"creditsim's {peer['creditsim_expected_loss']:.5g} ± {peer['creditsim_expected_loss_se']:.2g} "
                         f"(z = {peer['z']:.2f})")
            out.append(line + ".")
    if d.get("peak_resident_bytes"):
        out.append("")
        out.append(f"Peak resident memory of the process: {d['peak_resident_bytes'] / 2**20:.0f} MiB.")
    if d.get("warnings"):
        out.append("")
        out.extend(f"> warning: {warning}  " for warning in d["warnings"])
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print("\n\n".join(table(p) for p in sys.argv[1:]))
