#!/usr/bin/env bash
# Writes the committee pack of the bundled scenarios (base and every stress, in English and in
# Chinese, CreditRisk+, --model all) and checks every report.html in headless Chromium
# (scripts/check-report.sh: A4 pages, no overflow). Installs chromium and poppler-utils on Debian
# when missing. Usage: scripts/report-pages.sh [TOOL=.build/debug/creditsim]
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${1:-.build/debug/creditsim}
if ! command -v chromium >/dev/null || ! command -v pdfinfo >/dev/null; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
scenario=Scenarios/tech-bonds-2026/tech-bonds.yaml
"$tool" run "$scenario" --paths 20000 --stress all --contributions --quiet --out "$out/en" > /dev/null
"$tool" run "$scenario" --paths 20000 --stress all --lang zh --quiet --out "$out/zh" > /dev/null
"$tool" run Scenarios/csfb-example/csfb.yaml --quiet --out "$out/creditriskplus" > /dev/null
"$tool" run Scenarios/small/small.yaml --model all --paths 20000 --quiet --out "$out/all" > /dev/null
bash scripts/check-report.sh "$out"
