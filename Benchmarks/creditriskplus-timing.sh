#!/usr/bin/env bash
# Times `creditsim run --model creditriskplus` on a synthetic portfolio of N obligors (default
# 10⁵): K sectors (default 5), PDs 0.1 %–3 %, pd_sd = 0.8·pd, weights 0.6 on one sector and 0.2
# on the next (0.2 specific), exposures 1–100 (so the default loss unit is 1).
# Usage: Benchmarks/creditriskplus-timing.sh [N] [K]   (builds the release tool if missing)
set -euo pipefail
n=${1:-100000}
k=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" "$n" "$k" <<'PY'
import sys
d, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sectors = [f"s{j}" for j in range(k)]
with open(f"{d}/entities.csv", "w") as e, open(f"{d}/bonds.csv", "w") as b:
    e.write("id,pd,pd_sd," + ",".join(sectors) + "\n")
    b.write("id,issuer,notional,maturity,lgd\n")
    for i in range(n):
        pd = 0.001 + 0.029 * ((i * 7919) % 1000) / 1000
        w = [0.0] * k
        w[i % k] = 0.6
        w[(i + 1) % k] += 0.2
        e.write(f"o{i},{pd:.6f},{0.8 * pd:.6f}," + ",".join(f"{x:g}" for x in w) + "\n")
        b.write(f"b{i},o{i},{1 + (i * 37) % 100},1,1\n")
with open(f"{d}/s.yaml", "w") as f:
    f.write(f"version: 1\nname: CreditRisk+ timing, {n} obligors\nmodel: creditriskplus\n"
            f"factors: [{', '.join(sectors)}]\nentities: entities.csv\nbonds: bonds.csv\n"
            "output: {quantiles: [0.99, 0.999, 0.9999]}\n")
PY
tool="$root/.build/release/creditsim"
[ -x "$tool" ] || (cd "$root" && swift build -c release --product creditsim)
/usr/bin/time -f "whole process: %e s, %M KiB max resident" "$tool" run "$dir/s.yaml"
