#!/usr/bin/env bash
# Variance reduction of importance sampling at equal paths on the reference portfolio
# (Glasserman & Li 2005): standard errors of ES 99.9 % and of P(L > x) for x near VaR 99.9 %,
# plain against importance sampling, and their squared ratios.
#   usage: Benchmarks/importance-ratio.sh [PATHS=20000] [THRESHOLD=1891] [SEED=11]
set -euo pipefail
cd "$(dirname "$0")/.."
paths=${1:-20000}
threshold=${2:-1891}
seed=${3:-11}
tool=${TOOL:-.build/release/creditsim}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp Scenarios/reference/*.csv "$dir/"
sed -e "s/^simulation: .*/simulation: {paths: $paths, seed: $seed}\noutput: {quantiles: [0.999], tail_thresholds: [$threshold]}/" \
    Scenarios/reference/scenario.yaml > "$dir/scenario.yaml"
for method in plain importance; do
    "$tool" run "$dir/scenario.yaml" --method "$method" --json --quiet > "$dir/$method.json"
done
python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
runs = {m: json.load(open(f"{d}/{m}.json")) for m in ("plain", "importance")}
for m, r in runs.items():
    q, t = r["net"]["quantiles"][0], r["net"]["tail"][0]
    print(f"{m:10s} {r['paths']} paths, {r['elapsed_seconds']:.2f} s: ES99.9 {q['es']:.1f} ± {q['es_se']:.2f}, "
          f"P(L > {t['threshold']:g}) {t['probability']:.3g} ± {t['se']:.2g}")
p, i = runs["plain"]["net"], runs["importance"]["net"]
es = p["quantiles"][0]["es_se"] / i["quantiles"][0]["es_se"]
tail = p["tail"][0]["se"] / i["tail"][0]["se"]
print(f"variance ratio: ES99.9 {es * es:.0f}, P(L > x) {tail * tail:.0f}")
PY
