#!/usr/bin/env bash
# One command from a fresh clone: install system libraries, build the release tool, and run the
# bundled technology-bond scenario, writing its result files to out/tech-bonds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Compile the core for this CPU's vector units (see Package.swift); empty means portable.
export CREDITSIM_TARGET_CPU="${CREDITSIM_TARGET_CPU-$(bash scripts/target-cpu.sh)}"
swift build -c release >&2
.build/release/creditsim run Scenarios/tech-bonds-2026/tech-bonds.yaml --out out/tech-bonds "$@"
