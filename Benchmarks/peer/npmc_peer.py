#!/usr/bin/env python3
"""The numpy Monte Carlo a quant would write instead of CreditSim, for `creditsim bench --peer`.

Same model as creditsim's default-loss mode with a Gaussian factor copula:
  entity e has one-year PD p_e and loadings w_e on K independent standard normal factors Z;
  its latent variable is X_e = w_e . Z + sqrt(1 - w_e . w_e) eps_e;
  a note of issuer e with window T = min(maturity, horizon) (the horizon under --rollover)
  defaults when X_e <= Phi^-1(1 - (1 - p_e)^T), i.e. when the default time with constant hazard
  -ln(1 - p_e) falls inside the window; its loss is then notional x lgd.
Plain Monte Carlo in chunks of paths, every step a whole-array numpy operation. The thresholds
Phi^-1(.) are computed once per note (Python's statistics.NormalDist), so the loop has no Phi.

Usage: npmc_peer.py DIR --paths N [--seed S] [--repeat R] [--horizon H] [--rollover]
DIR holds entities.csv (id, pd, one column per factor; name and sector are ignored) and
bonds.csv (id, issuer, notional, maturity, lgd), as `creditsim bench --export DIR` writes them.
Columns of features this peer does not model (guarantees, protection, capacity, stochastic LGD,
ratings, PD curves) are refused when they hold values: exit 2 with the reason.
Without numpy: exit 3. Prints JSON: the seconds of each repeat's simulation loop (the same
paths each repeat), the expected loss and its standard error.
"""
import argparse
import csv
import json
import math
import os
import sys
import time
from statistics import NormalDist

IGNORED_ENTITY_COLUMNS = {"id", "name", "sector", "pd"}
UNMODELLED_ENTITY_COLUMNS = {"capacity", "pd_sd", "rating", "pd_curve"}
BOND_COLUMNS = {"id", "issuer", "notional", "maturity", "lgd"}
UNMODELLED_BOND_COLUMNS = {"guarantor", "coverage", "protection_seller", "protection_notional",
                           "protection_spread_bps", "lgd_sd", "coupon", "coupon_frequency"}


def fail(code, message):
    print(f"npmc_peer: {message}", file=sys.stderr)
    sys.exit(code)


def rows(path):
    # utf-8-sig: CSVs written by creditsim (and by Excel) begin with a byte-order mark.
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        fail(2, f"{path}: {e.strerror}")


def check_columns(path, table, allowed, unmodelled):
    for column in table[0].keys() if table else []:
        used = any((r.get(column) or "").strip() for r in table)
        if column in unmodelled and used:
            fail(2, f"{path}: column {column} is not modelled by the peer")
        if column not in allowed and column not in unmodelled:
            fail(2, f"{path}: unknown column {column}")


def number(path, row, column):
    try:
        return float(row[column])
    except (TypeError, ValueError):
        fail(2, f"{path}: row {row.get('id')}: {column} = {row.get(column)!r} is not a number")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--paths", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--horizon", type=float, default=1.0)
    ap.add_argument("--rollover", action="store_true")
    a = ap.parse_args()
    if a.paths < 2 or a.repeat < 1 or not a.horizon > 0:
        fail(2, "--paths must be at least 2, --repeat at least 1, --horizon > 0")
    try:
        import numpy as np
    except ImportError:
        fail(3, "numpy is not installed (python3 -m pip install numpy)")

    entities_csv = os.path.join(a.dir, "entities.csv")
    bonds_csv = os.path.join(a.dir, "bonds.csv")
    entities, bonds = rows(entities_csv), rows(bonds_csv)
    if not entities or not bonds:
        fail(2, "entities.csv and bonds.csv must each hold at least one row")
    factors = [c for c in entities[0].keys() if c not in IGNORED_ENTITY_COLUMNS | UNMODELLED_ENTITY_COLUMNS]
    check_columns(entities_csv, entities, IGNORED_ENTITY_COLUMNS | set(factors), UNMODELLED_ENTITY_COLUMNS)
    check_columns(bonds_csv, bonds, BOND_COLUMNS, UNMODELLED_BOND_COLUMNS)

    index = {e["id"]: i for i, e in enumerate(entities)}
    pd = np.array([number(entities_csv, e, "pd") for e in entities])
    W = np.array([[number(entities_csv, e, f) for f in factors] for e in entities]).reshape(len(entities), len(factors))
    idiosyncratic = np.sqrt(1.0 - (W * W).sum(axis=1))
    issuer, threshold, exposure = [], [], []
    normal = NormalDist()
    for b in bonds:
        if b["issuer"] not in index:
            fail(2, f"{bonds_csv}: row {b['id']}: unknown issuer {b['issuer']}")
        e = index[b["issuer"]]
        window = a.horizon if a.rollover else min(number(bonds_csv, b, "maturity"), a.horizon)
        p = -math.expm1(window * math.log1p(-pd[e]))  # P(tau <= window) = 1 - (1 - pd)^window
        issuer.append(e)
        threshold.append(-math.inf if p <= 0 else math.inf if p >= 1 else normal.inv_cdf(p))
        exposure.append(number(bonds_csv, b, "notional") * number(bonds_csv, b, "lgd"))
    issuer, threshold, exposure = np.array(issuer), np.array(threshold), np.array(exposure)
    one_note_each = len(bonds) == len(entities) and bool((issuer == np.arange(len(entities))).all())

    n, k = len(entities), len(factors)
    chunk = max(64, min(4096, (1 << 22) // n))  # a chunk's latent matrix stays near 32 MB

    def simulate():
        rng = np.random.default_rng(a.seed)
        loss = np.empty(a.paths)
        done = 0
        while done < a.paths:
            rows_now = min(chunk, a.paths - done)
            X = rng.standard_normal((rows_now, n))
            X *= idiosyncratic
            if k:
                X += rng.standard_normal((rows_now, k)) @ W.T
            latent = X if one_note_each else X[:, issuer]
            loss[done:done + rows_now] = (latent <= threshold) @ exposure
            done += rows_now
        return loss

    seconds = []
    loss = None
    for _ in range(a.repeat):
        start = time.perf_counter()
        loss = simulate()
        seconds.append(time.perf_counter() - start)
    json.dump({
        "peer": "numpy",
        "numpy_version": np.__version__,
        "paths": a.paths,
        "names": n,
        "bonds": len(bonds),
        "seconds": seconds,
        "expected_loss": float(loss.mean()),
        "expected_loss_se": float(loss.std(ddof=1) / math.sqrt(a.paths)),
    }, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
