#!/usr/bin/env bash
# Builds both DocC catalogs with the toolchain's docc against the modules' symbol graphs, warnings
# as errors: a symbol link (``Type/member``) to something that no longer exists, or a <doc:…> to
# a missing article or heading, fails. Needs no swift-docc-plugin. Output in .build/docc/.
set -euo pipefail
cd "$(dirname "$0")/.."
docc=$(command -v docc || true)
[ -n "$docc" ] || docc="$(dirname "$(readlink -f "$(command -v swift)")")/docc"
log=$(mktemp)
swift package dump-symbol-graph >"$log" 2>&1 || { cat "$log"; exit 1; }
rm -f "$log"
graphs=$(find .build -type d -name symbolgraph -path "*$(uname -m)*" | head -1)
mkdir -p .build/docc
for module in CreditRisk CreditScenario; do
    only=$(mktemp -d)
    cp "$graphs/$module.symbols.json" "$only/"
    # CreditRisk re-exports the four core modules; its catalog links their symbols as
    # ``/CreditModel/Entity`` and so needs their graphs (extensions across them included).
    if [ "$module" = CreditRisk ]; then
        for core in CreditMath CreditModel CreditEngine CreditStatistics; do cp "$graphs/$core"*.symbols.json "$only/"; done
    fi
    "$docc" convert "Sources/$module/$module.docc" --additional-symbol-graph-dir "$only" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.creditsim.$module" \
        --output-path ".build/docc/$module.doccarchive" --warnings-as-errors
    rm -rf "$only"
    echo "$module: no broken links (.build/docc/$module.doccarchive)"
done
