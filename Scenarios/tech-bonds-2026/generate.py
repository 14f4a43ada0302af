#!/usr/bin/env python3
"""Writes entities.csv and bonds.csv of the technology-and-innovation bond scenario.

Deterministic (fixed seed, standard library only): re-running reproduces the files byte for byte.
Every number's source or assumption is in README.md beside this script. Units: billions of yuan.
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20260302)  # the article's date

FACTORS = ["global", "banks", "coal_steel", "utilities", "private_equity", "consumer", "tech", "biotech"]

# sector: (issuers, total notional bn, PD range, LGD, share of notional under one year,
#          global loading range, sector loading range)
SECTORS = {
    "banks":          (40, 1500.0, (0.0004, 0.004), 0.45, 0.45, (0.30, 0.40), (0.35, 0.45)),
    "coal_steel":     (50,  450.0, (0.003, 0.012),  0.55, 0.70, (0.30, 0.40), (0.35, 0.45)),
    "utilities":      (40,  380.0, (0.001, 0.004),  0.45, 0.70, (0.25, 0.35), (0.25, 0.35)),
    "private_equity": (50,  180.0, (0.010, 0.035),  0.70, 0.70, (0.30, 0.40), (0.30, 0.45)),
    "consumer":       (19,   80.0, (0.002, 0.010),  0.50, 0.70, (0.25, 0.35), (0.25, 0.35)),
    "tech":           (59,  250.0, (0.004, 0.025),  0.60, 0.50, (0.25, 0.35), (0.35, 0.45)),
    "biotech":        (24,   60.0, (0.015, 0.050),  0.70, 0.50, (0.25, 0.35), (0.35, 0.45)),
}

# Credit states (README, "Extensions"). Share of a sector's credit events that are extensions (展期)
# rather than hard defaults: private issuers 71.1 % (Guosen, 2022-11-11: extensions were 71.1 % of
# defaulted bonds in 2022), state-owned industrials 39.5 % (the same series in 2021, before property
# developers dominated the 2022 figure), banks and state guarantors 0 (no bank or guarantor bond
# extension in the sources). The sector's PD is the probability of a credit event (S&P rates an
# extension SD, Vanke Dec 2025), so it is split: pd (hard default) = PD · (1 − share), extension_pd
# = PD · share.
EXTENSION_SHARE = {"banks": 0.0, "coal_steel": 0.395, "utilities": 0.395, "private_equity": 0.711,
                   "consumer": 0.711, "tech": 0.711, "biotech": 0.711, "state_finance": 0.0}

GUARANTORS = [  # state financial institutions (illustrative ids), PD, capacity (bn yuan; None = no limit)
    ("state_bond_insurer", "State bond insurer (China Bond Insurance-like)", 0.0010, None),
    ("national_guarantee_fund", "National financing guarantee fund", 0.0005, None),
    ("provincial_guarantee_a", "Provincial financing guarantee company A", 0.0030, 5.0),
    ("provincial_guarantee_b", "Provincial financing guarantee company B", 0.0030, 5.0),
    ("policy_bank", "Policy bank (development-bank-like)", 0.0003, None),
]


def short_maturity():
    """Super-short-term and short-term paper: 30 days to 9 months."""
    return round(rng.uniform(0.08, 0.75), 3)


def long_maturity():
    return rng.choice([2.0, 3.0, 3.0, 5.0, 5.0])


def split(total, parts):
    """Random positive shares of `total`, rounded to 0.1 bn, summing to it."""
    w = [rng.uniform(0.3, 1.7) for _ in range(parts)]
    s = sum(w)
    out = [max(0.1, round(total * x / s, 1)) for x in w]
    out[-1] = round(out[-1] + total - sum(out), 1)
    return out


def main():
    entities = []
    bonds = []

    def entity(eid, name, sector, pd, g, sector_loading, capacity=None):
        event = round(pd, 5)
        hard = round(event * (1 - EXTENSION_SHARE[sector]), 7)
        extension = round(event - hard, 7)
        row = {"id": eid, "name": name, "sector": sector, "pd": hard, "extension_pd": extension or "",
               "capacity": "" if capacity is None else capacity}
        for f in FACTORS:
            row[f] = ""
        row["global"] = round(g, 3)
        if sector in FACTORS:
            row[sector] = round(sector_loading, 3)
        elif sector == "state_finance":
            row["banks"] = round(sector_loading, 3)
        entities.append(row)

    def bond(issuer, notional, maturity, lgd, guarantor="", coverage="", seller="", pn="", spread="", lgd_sd=""):
        # Guarantees pay on failure to pay only; the programme's CRMW name debt restructuring as a
        # credit event (chaguwang 2025-05-09; Financial News 2025-07-04), so they pay on extensions.
        bonds.append({"id": f"{issuer}-{sum(1 for b in bonds if b['issuer'] == issuer) + 1}", "issuer": issuer,
                      "notional": notional, "maturity": maturity, "lgd": lgd, "lgd_sd": lgd_sd, "guarantor": guarantor,
                      "coverage": coverage, "guarantee_triggers": "default" if guarantor else "",
                      "protection_seller": seller, "protection_notional": pn,
                      "protection_spread_bps": spread, "protection_triggers": "default+extension" if seller else ""})

    for gid, name, pd, capacity in GUARANTORS:
        entity(gid, name, "state_finance", pd, 0.35, 0.30, capacity)

    protection_sellers = []
    for sector, (count, total, (pd_lo, pd_hi), lgd, short_share, gl, sl) in SECTORS.items():
        named = []
        if sector == "consumer":
            named = [("yili", "Inner Mongolia Yili Industrial Group", 0.002)]
        if sector == "tech":
            named = [("catl", "Contemporary Amperex Technology (CATL)", 0.001)]
        if sector == "biotech":
            named = [("biotech_anchor", "Mid-size biotech (1 bn mid-term notes)", 0.02)]
        ids = []
        for eid, name, pd in named:
            entity(eid, name, sector, pd, rng.uniform(*gl), rng.uniform(*sl))
        for k in range(count):
            eid = f"{sector}_{k + 1:03d}"
            # Within a sector, issuance falls with PD: large state issuers have the best ratings.
            pd = pd_lo * (pd_hi / pd_lo) ** (k / max(count - 1, 1))
            entity(eid, f"{sector.replace('_', ' ').title()} issuer {k + 1}", sector, pd,
                   rng.uniform(*gl), rng.uniform(*sl))
            ids.append(eid)
        if sector == "banks":
            protection_sellers = ids[:6]  # the six largest banks sell CRMW protection

        # Issuance per issuer: decreasing with rank, as in a concentrated market.
        weights = [1.0 / (k + 1) ** 0.8 for k in range(count)]
        scale = total / sum(weights)
        for k, eid in enumerate(ids):
            amount = round(weights[k] * scale, 1)
            notes = max(1, min(6, int(amount // 5) + 1))
            for part in split(amount, notes):
                maturity = short_maturity() if rng.random() < short_share else long_maturity()
                g = cov = s = pn = sp = ""
                risky = sector in ("private_equity", "biotech") or (sector == "tech" and k >= count // 2)
                if risky and rng.random() < 0.5:
                    g = rng.choice([x[0] for x in GUARANTORS])
                    cov = rng.choice([1.0, 1.0, 1.0, 0.8, 0.5])
                if sector in ("tech", "private_equity", "consumer", "coal_steel") and rng.random() < 0.15:
                    s = rng.choice(protection_sellers)
                    pn = round(part * rng.choice([1.0, 1.0, 0.5, 0.8]), 1) or part
                    sp = rng.choice([30, 50, 80, 100, 150])
                # Recoveries on private-equity and biotech notes are uncertain: Beta LGD, sd 0.2.
                sd = 0.2 if sector in ("private_equity", "biotech") else ""
                bond(eid, part, maturity, lgd, g, cov, s, pn, sp, sd)

    # Named issuers from the article.
    for part, days in zip([5.0] * 9, [30, 45, 60, 60, 75, 80, 85, 88, 89]):
        bond("yili", part, round(days / 365, 3), 0.50)          # 45 bn, all under 90 days
    bond("catl", 5.0, 5.0, 0.45)                                  # 8 bn of 5-year notes
    bond("catl", 3.0, 5.0, 0.45)
    bond("biotech_anchor", 1.0, 3.0, 0.70, "provincial_guarantee_a", 1.0)  # 1 bn mid-term notes

    with open(os.path.join(HERE, "entities.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["id", "name", "sector", "pd", "extension_pd", "capacity"] + FACTORS, lineterminator="\n")
        w.writeheader()
        w.writerows(entities)
    with open(os.path.join(HERE, "bonds.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(bonds[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(bonds)

    write_market_variant(entities, bonds)

    total = sum(b["notional"] for b in bonds)
    short = sum(b["notional"] for b in bonds if b["maturity"] < 1)
    print(f"{len(entities)} entities, {len(bonds)} bonds, {total:.1f} bn yuan, "
          f"{100 * short / total:.1f}% of notional and "
          f"{100 * sum(1 for b in bonds if b['maturity'] < 1) / len(bonds):.1f}% of notes under one year")


# Onshore rating scale, best first, and the one-year PD assumed for each (ASSUMPTION: no onshore
# default table by rating was found; the ladder spans the observed all-issuer default rates of
# 0.2 %-1.2 % a year and follows the view that onshore AAA sits near global BB+/BBB-, see README).
ONSHORE = ["AAA", "AA+", "AA", "AA-", "A+", "A", "A-"]
ONSHORE_PD = [0.0010, 0.0025, 0.0050, 0.0100, 0.0200, 0.0350, 0.0600]
# Zero rates at the horizon by rating, at 1, 3 and 5 years: CGB 1.40/1.43/1.61 % (5 Sep 2025) plus
# the AAA CP&Note spread 67/65/51 bp (ChinaBond, 27 Dec 2024); lower ratings add assumed spreads.
CGB = [0.0140, 0.0143, 0.0161]
SPREAD_BP = [[67, 65, 51], [90, 95, 85], [130, 140, 135], [200, 215, 215], [300, 320, 320], [420, 440, 440], [600, 620, 620]]


def onshore_rating(pd):
    """The onshore rating whose assumed PD is nearest the entity's PD in log terms."""
    import math
    return min(range(len(ONSHORE)), key=lambda r: abs(math.log(ONSHORE_PD[r] / pd)))


def transition_matrix():
    """A one-year matrix (ASSUMPTION, no onshore matrix was found): stay 88 % (AAA 94 %), one notch
    down 7 %, two notches down 2 %, one up 2 % (none from AAA), the default column the assumed PD and
    the rest on the diagonal, so that each row sums to 1 exactly after rounding to 1e-6."""
    n = len(ONSHORE)
    rows = []
    for r in range(n):
        row = [0.0] * (n + 1)
        row[n] = ONSHORE_PD[r]
        if r + 1 < n:
            row[r + 1] = 0.07
        if r + 2 < n:
            row[r + 2] = 0.02
        if r > 0:
            row[r - 1] = 0.02
        row[r] = round(1 - sum(row), 6)
        rows.append([round(x, 6) for x in row])
    return rows


def write_market_variant(entities, bonds):
    """entities-market.csv, bonds-market.csv, transition.csv, curves.csv for tech-bonds-market.yaml."""
    with open(os.path.join(HERE, "transition.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["from"] + ONSHORE + ["D"])
        for r, row in zip(ONSHORE, transition_matrix()):
            w.writerow([r] + [f"{x:.6f}" for x in row])
    with open(os.path.join(HERE, "curves.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["rating", 1, 3, 5])
        for r, spreads in zip(ONSHORE, SPREAD_BP):
            w.writerow([r] + [f"{c + s / 10000:.4f}" for c, s in zip(CGB, spreads)])
    rated = []
    for e in entities:
        row = dict(e)
        # Every entity is rated by its hard-default pd, and its pd left empty (the matrix rules hard
        # defaults; extension_pd comes on top, so the credit-event probability stays near the
        # default files'). Guarantors are rated too: their ratings value the covered shares.
        row["rating"] = ONSHORE[onshore_rating(e["pd"])]
        row["pd"] = ""
        rated.append(row)
    with open(os.path.join(HERE, "entities-market.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["id", "name", "sector", "pd", "extension_pd", "rating", "capacity"] + FACTORS,
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rated)
    with open(os.path.join(HERE, "bonds-market.csv"), "w", newline="") as f:
        fields = list(bonds[0].keys()) + ["coupon", "coupon_frequency"]
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for b in bonds:
            row = dict(b)
            # Coupons: 1.77 % average new tech-bond rate (May 2025), plus the issuer's 3-year spread
            # over AAA (ASSUMPTION: priced at issue on the curves above); annual.
            r = ONSHORE.index(next(e["rating"] for e in rated if e["id"] == b["issuer"]) or "AAA")
            row["coupon"] = f"{0.0177 + (SPREAD_BP[r][1] - SPREAD_BP[0][1]) / 10000:.4f}"
            row["coupon_frequency"] = 1
            w.writerow(row)


if __name__ == "__main__":
    main()
