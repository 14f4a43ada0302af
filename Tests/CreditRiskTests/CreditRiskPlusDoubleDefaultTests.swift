import CreditRisk
import Foundation
import Testing

/// CreditRisk+ with a random loss on default (double default of guaranteed and protected bonds):
/// exact small cases by hand, an independent integration over the gamma factor, the joint
/// default probabilities, and the net loss never above the gross one.
@Suite struct CreditRiskPlusDoubleDefaultTests {
    typealias Outcome = CreditRiskPlus.LossOutcome

    /// One obligor, no sectors: a compound Poisson of rate 0.1 with losses 4 (70 %) and 10 (30 %).
    @Test func compoundPoissonByHand() throws {
        let o = CreditRiskPlus.Obligor(id: "a", exposure: 10, expectedDefaults: 0.1, defaultRateSD: 0, sectorWeights: [],
                                       lossOnDefault: [Outcome(loss: 4, probability: 0.7), Outcome(loss: 10, probability: 0.3)])
        let model = try CreditRiskPlus(obligors: [o], sectorCount: 0, lossUnit: 1)
        let loss = try model.distribution()
        let e = exp(-0.1), a = 0.07, b = 0.03
        var exact = [Double](repeating: 0, count: 15)
        exact[0] = e
        exact[4] = e * a
        exact[8] = e * a * a / 2
        exact[10] = e * b
        exact[12] = e * a * a * a / 6
        exact[14] = e * a * b
        for n in 0..<15 {
            #expect(abs(loss.probabilities[n] - exact[n]) <= 1e-15 * max(exact[n], 1e-300), "P(L = \(n))")
        }
        #expect(abs(model.expectedLoss - 0.1 * (0.7 * 4 + 0.3 * 10)) < 1e-15)
        #expect(abs(model.variance - 0.1 * (0.7 * 16 + 0.3 * 100)) < 1e-14)
        #expect(abs(model.contributions[0].standardDeviation - model.standardDeviation) < 1e-15)
    }

    /// A loss of 2.5 units counts as 2 or 3 units, half and half: the mean is kept.
    @Test func fractionalLossSplitsKeepingTheMean() throws {
        let o = CreditRiskPlus.Obligor(id: "a", exposure: 10, expectedDefaults: 0.2, defaultRateSD: 0, sectorWeights: [],
                                       lossOnDefault: [Outcome(loss: 2.5, probability: 1)])
        let model = try CreditRiskPlus(obligors: [o], sectorCount: 0, lossUnit: 1)
        let p = try model.distribution().probabilities
        #expect(abs(p[2] - exp(-0.2) * 0.1) < 1e-16 && abs(p[3] - exp(-0.2) * 0.1) < 1e-16)
        #expect(abs(model.expectedLoss - 0.5) < 1e-15)
    }

    /// Losses on default in gamma sectors against the independent reference of
    /// `CreditRiskPlusTests`: ∫ CP(γ·λ) f_Γ(γ) dγ by Simpson's rule, with the rates per band written
    /// out here from the outcomes (losses on whole units, so no splitting is involved).
    @Test func sectorsMatchIntegration() throws {
        let obligors = [
            CreditRiskPlus.Obligor(id: "a", exposure: 6, expectedDefaults: 0.05, defaultRateSD: 0.025, sectorWeights: [0.8],
                                   lossOnDefault: [Outcome(loss: 2, probability: 0.6), Outcome(loss: 6, probability: 0.4)]),
            CreditRiskPlus.Obligor(id: "b", exposure: 3, expectedDefaults: 0.1, defaultRateSD: 0.05, sectorWeights: [1]),
            CreditRiskPlus.Obligor(id: "c", exposure: 5, expectedDefaults: 0.02, defaultRateSD: 0.01, sectorWeights: [0.5],
                                   lossOnDefault: [Outcome(loss: 0, probability: 0.25), Outcome(loss: 1, probability: 0.25),
                                                   Outcome(loss: 5, probability: 0.5)]),
        ]
        let model = try CreditRiskPlus(obligors: obligors, sectorCount: 1, lossUnit: 1)
        let loss = try model.distribution()
        // Sector rates per loss (units) and the specific part, from the outcomes above.
        let sector: [Int: Double] = [2: 0.8 * 0.05 * 0.6, 6: 0.8 * 0.05 * 0.4, 3: 0.1, 1: 0.5 * 0.02 * 0.25, 5: 0.5 * 0.02 * 0.5]
        let specific: [Int: Double] = [2: 0.2 * 0.05 * 0.6, 6: 0.2 * 0.05 * 0.4, 1: 0.5 * 0.02 * 0.25, 5: 0.5 * 0.02 * 0.5]
        // v from every default of the sector (those without loss too): (Σ w σ / Σ w μ)² = 0.25, a
        // gamma of shape 4, whose smooth density the Simpson rule integrates to 10⁻⁷.
        let v = pow((0.8 * 0.025 + 0.05 + 0.5 * 0.01) / (0.8 * 0.05 + 0.1 + 0.5 * 0.02), 2)
        #expect(abs(model.sectors[0].relativeVariance - v) < 1e-15)
        let n = 40
        let alpha = 1 / v, steps = 4000, top = 40 * v + 12
        let h = top / Double(steps)
        var mixed = [Double](repeating: 0, count: n + 1)
        for s in 1...steps {
            let g = Double(s) * h
            let weight = (s == steps ? 1.0 : (s % 2 == 1 ? 4.0 : 2.0)) * h / 3
            let density = exp((alpha - 1) * log(g) - g / v - alpha * log(v) - lgamma(alpha))
            let p = CreditRiskPlusTests.compoundPoisson(sector.mapValues { $0 * g }, count: n)
            for m in 0...n { mixed[m] += weight * density * p[m] }
        }
        let exact = CreditRiskPlusTests.convolve(CreditRiskPlusTests.compoundPoisson(specific, count: n), mixed, count: n)
        for m in 0...n {
            let p = m < loss.probabilities.count ? loss.probabilities[m] : 0
            #expect(abs(p - exact[m]) <= 1e-7 * max(exact[m], 1e-12), "P(L = \(m)): \(p) vs \(exact[m])")
        }
        let el = 0.05 * (0.6 * 2 + 0.4 * 6) + 0.1 * 3 + 0.02 * (0.25 + 0.5 * 5)
        #expect(abs(model.expectedLoss - el) < 1e-15)
        let rc = model.contributions.reduce(0) { $0 + $1.standardDeviation }
        #expect(abs(rc - model.standardDeviation) < 1e-14)
    }

    static func portfolio(_ entities: [Entity], _ bonds: [Bond], factors: [String] = [], sectorWeights: Bool = false) throws -> Portfolio {
        try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: factors)),
                      loadingsAreSectorWeights: sectorWeights)
    }

    /// Independent names (no factors): a guarantor g (coverage 50 %) and a seller s (6 of 10)
    /// on one bond. Given the issuer's default, g and s are in default with their own PDs, and
    /// the waterfall leaves: both pay 10 − 5 − 5 = 0; g defaulted, s pays 6, 4 lost; s defaulted,
    /// 5 lost; both defaulted, 10 lost.
    @Test func waterfallOverTheProvidersStates() throws {
        let p = try Self.portfolio(
            [Entity(id: "i", pd: 0.05, loadings: []), Entity(id: "g", pd: 0.1, loadings: []), Entity(id: "s", pd: 0.2, loadings: [])],
            [Bond(id: "b", issuer: 0, notional: 10, maturity: 1, lgd: 1, guarantee: Guarantee(guarantor: 1, coverage: 0.5),
                  protection: Protection(seller: 2, notional: 6, spreadBps: 0))])
        let inputs = CreditRiskPlus.EntityInputs(portfolio: p, assumptions: .strict)
        let obligors = CreditRiskPlus.obligors(of: p, view: .net, inputs: inputs)
        #expect(obligors.map(\.id) == ["i"])
        var byLoss: [Double: Double] = [:]
        for o in obligors[0].lossOnDefault { byLoss[o.loss, default: 0] += o.probability }
        let qg = p.entities[1].defaultProbability(within: 1), qs = p.entities[2].defaultProbability(within: 1)
        let expected: [Double: Double] = [0: (1 - qg) * (1 - qs), 4: qg * (1 - qs), 5: (1 - qg) * qs, 10: qg * qs]
        #expect(Set(byLoss.keys) == Set(expected.keys))
        for (l, q) in expected { #expect(abs(byLoss[l, default: -1] - q) < 1e-15, "loss \(l)") }
        // The gross view keeps the whole exposure; net and gross share the obligor's default rate.
        let gross = CreditRiskPlus.obligors(of: p, view: .gross, inputs: inputs)
        #expect(gross[0].lossOnDefault.isEmpty && gross[0].exposure == 10 && gross[0].expectedDefaults == obligors[0].expectedDefaults)
        let net = try CreditRiskPlus(portfolio: p, view: .net, lossUnit: 1)
        let pi = p.entities[0].defaultProbability(within: 1)
        #expect(abs(net.expectedLoss - pi * (4 * qg * (1 - qs) + 5 * (1 - qg) * qs + 10 * qg * qs)) < 1e-15)
    }

    /// Latent loadings: q = Φ₂(Φ⁻¹(p_i), Φ⁻¹(p_g); w_iᵀΣw_g)/p_i, checked against the Simpson-rule
    /// Φ₂ of this test target. Sector weights: CSFB's p_i p_g (1 + w_i w_g v).
    @Test func jointDefaultProbabilities() throws {
        let entities = [Entity(id: "i", pd: 0.03, loadings: [0.5, 0.2], pdSD: 0.03), Entity(id: "g", pd: 0.01, loadings: [0.4, 0.3], pdSD: 0.02)]
        let bonds = [Bond(id: "b", issuer: 0, notional: 10, maturity: 1, lgd: 1, guarantee: Guarantee(guarantor: 1, coverage: 1))]
        let latent = try Portfolio(entities: entities, bonds: bonds,
                                   dependence: .factors(FactorModel(factorIDs: ["x", "y"], correlation: SymmetricMatrix(n: 2, values: [1, 0.5, 0.5, 1]))))
        let inputs = CreditRiskPlus.EntityInputs(portfolio: latent, assumptions: .strict)
        let q = CreditRiskPlus.obligors(of: latent, view: .net, inputs: inputs)[0].lossOnDefault.first { $0.loss == 10 }?.probability ?? -1
        let rho = 0.5 * 0.4 + 0.2 * 0.3 + 0.5 * (0.5 * 0.3 + 0.2 * 0.4)
        let pi = 0.03, pg = 0.01
        let joint = BivariateNormal.cdf(Normal.quantile(pi), Normal.quantile(pg), rho)
        #expect(abs(q - joint / pi) < 1e-9 * q, "q \(q) vs \(joint / pi)")
        #expect(joint > pi * pg)  // positively correlated names default together more often

        let weights = try Portfolio(entities: entities, bonds: bonds, dependence: .factors(FactorModel(factorIDs: ["x", "y"])),
                                    loadingsAreSectorWeights: true)
        let sectors = CreditRiskPlus.EntityInputs(portfolio: weights, assumptions: .strict)
        let qs = CreditRiskPlus.obligors(of: weights, view: .net, inputs: sectors)[0].lossOnDefault.first { $0.loss == 10 }?.probability ?? -1
        // Only i is an obligor (g has no bonds): v_k = (σ_i/μ_i)² = 1 in both sectors.
        let csfb = pi * pg * (1 + 0.5 * 0.4 + 0.2 * 0.3)
        #expect(abs(qs - csfb / pi) < 1e-15)
    }

    /// A small pseudo-random generator for the books below (fixed seeds).
    struct Generator {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    /// Random guaranteed and protected books, with sector weights or latent loadings, strong and
    /// hopeless providers, highly correlated names: at every lattice point P(net ≤ x) ≥ P(gross ≤ x),
    /// so VaR and ES of the net loss are at most the gross ones at every level.
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func netNeverAboveGross(seed: UInt64) throws {
        var g = Generator(state: seed)
        let sectorWeights = seed % 2 == 0
        var entities: [Entity] = []
        for i in 0..<40 {
            let pd = i >= 34 && seed > 3 ? 0.5 + 0.49 * g.next() : 0.001 + 0.08 * g.next()
            // Seed 5: every latent loading near 0.95 on one factor (latent correlations ≈ 0.9).
            let a = seed == 5 ? 0.93 + 0.04 * g.next() : 0.6 * g.next(), b = seed == 5 ? 0.2 : 0.3 * g.next()
            entities.append(Entity(id: "e\(i)", pd: pd, loadings: [a, b], pdSD: pd * (0.5 + g.next())))
        }
        var bonds: [Bond] = []
        for j in 0..<80 {
            let issuer = Int(g.next() * 34)
            let provider = 34 + Int(g.next() * 6)
            let other = (provider - 34 + 1 + Int(g.next() * 5)) % 6 + 34
            let notional = 1 + 20 * g.next()
            let kind = j % 4
            bonds.append(Bond(id: "b\(j)", issuer: issuer, notional: notional, maturity: 0.3 + g.next(), lgd: 0.3 + 0.6 * g.next(),
                              guarantee: kind == 1 || kind == 3 ? Guarantee(guarantor: provider, coverage: 0.2 + 0.8 * g.next()) : nil,
                              protection: kind >= 2 ? Protection(seller: other, notional: notional * g.next(), spreadBps: 0) : nil))
        }
        let p = try Self.portfolio(entities, bonds, factors: ["x", "y"], sectorWeights: sectorWeights)
        // Seed 5's loadings sum above 1: `run --model all`'s derived sector weights.
        let inputs = CreditRiskPlus.EntityInputs(portfolio: p, assumptions: .comparison)
        #expect((inputs.derivedWeights != nil) == (seed == 5))
        let gross = try CreditRiskPlus(portfolio: p, view: .gross, inputs: inputs)
        let net = try CreditRiskPlus(portfolio: p, view: .net, lossUnit: gross.lossUnit, inputs: inputs)
        #expect(net.expectedLoss < gross.expectedLoss)
        let lg = try gross.distribution(), ln = try net.distribution()
        // Up to the end of the shorter lattice (beyond its end a lattice reads as cdf 1, its
        // truncated tail mass, below 10⁻¹⁰, aside).
        for n in 0..<min(lg.probabilities.count, ln.probabilities.count) {
            let x = Double(n) * gross.lossUnit
            #expect(ln.cdf(x) >= lg.cdf(x) - 1e-12, "seed \(seed): P(L ≤ \(x)): net \(ln.cdf(x)) < gross \(lg.cdf(x))")
        }
        for q in [0.5, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9995, 0.9999] {
            #expect(ln.valueAtRisk(q) <= lg.valueAtRisk(q), "seed \(seed): VaR \(q)")
            #expect(ln.expectedShortfall(q) <= lg.expectedShortfall(q) * (1 + 1e-12), "seed \(seed): ES \(q)")
        }
    }

    /// pd_sd = 10¹⁰⁰ made the lattice size overflow Int (a trap). Such a pd_sd is refused when the
    /// scenario is loaded; the model itself no longer traps.
    @Test func enormousDefaultRateSDIsAnError() throws {
        let o = CreditRiskPlus.Obligor(id: "a", exposure: 10, expectedDefaults: 0.01, defaultRateSD: 1e100, sectorWeights: [1])
        let model = try CreditRiskPlus(obligors: [o], sectorCount: 1, lossUnit: 1)
        // No trap: the gamma factor is 0 but with probability ~10⁻²⁰², so the lattice holds a loss of 0.
        let huge = try model.distribution(maxLattice: 5000)
        #expect(huge.zeroProbability > 1 - 1e-12)
        // A heavy but finite tail (v = 400) that the lattice cannot hold names pd_sd.
        let heavy = try CreditRiskPlus(obligors: (0..<50).map { .init(id: "o\($0)", exposure: 100, expectedDefaults: 0.5, defaultRateSD: 10, sectorWeights: [1]) },
                                       sectorCount: 1, lossUnit: 1)
        #expect(throws: CreditRiskPlus.EvaluationError.self) { try heavy.distribution(maxLattice: 5000) }
        do {
            _ = try heavy.distribution(maxLattice: 5000)
        } catch {
            #expect(error.description.contains("choose a larger creditriskplus.loss_unit, or check pd_sd: the largest sector variance (σ_k/μ_k)² is 400"))
        }
        // A threshold beyond Int on a lattice distribution.
        let loss = try CreditRiskPlus(obligors: [.init(id: "a", exposure: 10, expectedDefaults: 0.01, defaultRateSD: 0, sectorWeights: [1])],
                                      sectorCount: 1, lossUnit: 1).distribution()
        #expect(loss.cdf(1e300) == 1 && loss.exceedance(1e300) == 0)
    }

    /// `shouldStop` is polled every 4096 lattice points, and a stop ends the evaluation.
    @Test func stopsWhenAsked() throws {
        let obligors = (0..<200).map { CreditRiskPlus.Obligor(id: "o\($0)", exposure: 100, expectedDefaults: 0.5, defaultRateSD: 0.3, sectorWeights: [1]) }
        let model = try CreditRiskPlus(obligors: obligors, sectorCount: 1, lossUnit: 1)
        final class Counter: @unchecked Sendable { var calls = 0 }
        let counter = Counter()
        #expect(throws: CreditRiskPlus.EvaluationError.self) {
            try model.distribution(shouldStop: {
                counter.calls += 1
                return counter.calls == 3
            })
        }
        #expect(counter.calls == 3)
        // Without a stop the same evaluation polls once per 4096 points and completes.
        counter.calls = 0
        let loss = try model.distribution(shouldStop: {
            counter.calls += 1
            return false
        })
        #expect(counter.calls >= loss.probabilities.count / 4096)
    }
}
