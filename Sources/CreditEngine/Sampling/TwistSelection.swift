/// Which issuers a run twists: the twist pays only where θc_e is large.
///
/// At the root θ the twist multiplies an issuer's event probability by about e^{θc_e}. An issuer
/// whose loss c_e is small against 1/θ is barely moved (q/p ≤ e^{κ}), yet it costs as much per
/// path as a large one: its p_e, its terms in every Newton step, its q_e and its share of ψ.
/// Leaving such issuers untwisted keeps every estimate unbiased (their events keep their law
/// and weight 1) and moves the variance by about Σ p_e(θc_e)²/2 over them: the selection leaves
/// out the least-moved first and stops at a budget of 0.1, so many small issuers cannot add up to
/// a large loss of variance reduction.
import CreditMath
import CreditModel

/// The twisted issuers of a run and the target their twist aims at.
struct TwistSelection: Sendable {
    /// Issuers twisted on every path (indices into the plan's twist lists, ascending).
    let members: [Int]
    /// The twist's target x less Σ c_e p_e(μ) over the issuers left out, their conditional
    /// mean loss at the shift, which stands for their loss on each path.
    let target: Double
    /// The members are the issuers with c_e ≥ `floor` (0: every one; +∞: none).
    let floor: Double

    /// κ: issuers with θ_μ c_e below it may keep their probabilities (at the root they would move
    /// by a factor under e^{κ} ≈ 1.65); 0.5 lies between the measured 0.4 and 1.5. On the bundled
    /// technology-bond book, ES 99.9 %'s standard error at 40 000 paths (4 seeds, root mean square)
    /// was 0.47 twisting all 285 issuers, 0.40 with κ = 0.4 or 1.5 and 0.53 with κ = 3, and a path
    /// cost 0.54× as much with κ = 0.4 (Benchmarks/README.md, 2026-12-07).
    static let smallestTwist = 0.5
    /// Σ p_e(θ_μ c_e)²/2 over the issuers left out, at most: about the share by which their leaving
    /// out may raise the variance (10 %). On the bundled technology-bond book the issuers below κ
    /// use 0.01–0.02 of it.
    static let varianceBudget = 0.1
}

extension Engine {
    /// The issuers to twist at the shift: θ_μ is the root at the shift μ with the Gaussian
    /// conditional probabilities (the twist itself uses the path's own); issuers with θ_μ c_e < κ
    /// are left out, least-moved first, within `varianceBudget`. Every issuer when θ_μ = 0 or the
    /// members could not reach twice their target; none when every issuer is left out (the shift
    /// then works alone).
    ///
    /// A book with fewer than `twistMinimumIssuers` loss-bearing issuers twists every one, as it
    /// keeps the twist whatever its one-point gain: there the issuers' small moves add up (a
    /// 20-name pool whose θ_μ c_e are all below κ needed the twist for honest error bars).
    func twistSelection(for shift: ImportanceShift) -> TwistSelection {
        if let floor = shift.twistFloor, let target = shift.twistTarget {
            return TwistSelection(members: plan.twistEntities.indices.filter { plan.twistCosts[$0] >= floor }, target: target,
                                  floor: floor)
        }
        let all = TwistSelection(members: Array(plan.twistEntities.indices), target: shift.target, floor: 0)
        guard plan.twistEntities.count >= Self.twistMinimumIssuers, shift.twists, case let .factors(latent) = plan.latent,
              shift.mu.count == latent.inputDimension, shift.target > 0 else { return all }
        let p = conditionalProbabilities(latent, at: shift.mu), costs = ExponentialTwist.padded(plan.twistCosts)
        var start = ExponentialTwist.Guess()
        let theta = p.withUnsafeBufferPointer { pb in
            costs.withUnsafeBufferPointer { cb in ExponentialTwist.root(p: pb, c: cb, target: shift.target, guess: &start) }
        }
        guard theta > 0 else { return all }
        // Leave out the least-moved issuers first, a whole group of equal cost at a time (so that
        // the members are those with c_e ≥ a floor), while θ_μ c_e < κ and the variance they give
        // up together, Σ p_e(θ_μ c_e)²/2, stays within the budget.
        let order = plan.twistEntities.indices.sorted { (plan.twistCosts[$0], $0) < (plan.twistCosts[$1], $1) }
        var spent = 0.0, residual = 0.0, floor = Double.infinity
        var first = 0
        while first < order.count {
            let c = plan.twistCosts[order[first]]
            var end = first, cost = 0.0, mean = 0.0
            while end < order.count && plan.twistCosts[order[end]] == c {
                cost += p[order[end]] * (theta * c) * (theta * c) / 2
                mean += c * p[order[end]]
                end += 1
            }
            guard theta * c < TwistSelection.smallestTwist, spent + cost <= TwistSelection.varianceBudget else {
                floor = c
                break
            }
            spent += cost
            residual += mean
            first = end
        }
        let members = plan.twistEntities.indices.filter { plan.twistCosts[$0] >= floor }
        let target = shift.target - residual
        // The members must be able to reach their target with room to spare; else twist them all.
        let reach = members.reduce(0.0) { $0 + plan.twistCosts[$1] }
        guard members.isEmpty || (target > 0 && reach >= 2 * target) else { return all }
        return TwistSelection(members: members, target: target, floor: floor)
    }

    /// `shift` with its twisted issuers chosen (`ImportanceShift.twistFloor`), for every portfolio
    /// of a run to use: unchanged when it does not twist or the choice is made already.
    public func choosingTwist(_ shift: ImportanceShift) -> ImportanceShift {
        guard shift.twists, shift.twistFloor == nil else { return shift }
        return chosen(shift, twistSelection(for: shift))
    }

    /// The shift at μ toward x as a run uses it: twisting only where the twist pays (`twistPays`),
    /// with its issuers chosen (`choosingTwist`), from one selection.
    public func decidedShift(mu: [Double], target x: Double) -> ImportanceShift {
        let shift = ImportanceShift(mu: mu, target: x), selection = twistSelection(for: shift)
        guard twistPays(mu: mu, target: x, selection: selection) else {
            return ImportanceShift(mu: mu, target: x, twists: false)
        }
        return chosen(shift, selection)
    }

    /// `shift` carrying `selection` (unchanged when it moves no issuer).
    private func chosen(_ shift: ImportanceShift, _ selection: TwistSelection) -> ImportanceShift {
        guard selection.floor.isFinite else { return shift }
        return ImportanceShift(mu: shift.mu, target: shift.target, twists: true, twistFloor: selection.floor,
                               twistTarget: selection.target)
    }

    /// Φ(threshold_e − a_eᵀξ) of every twist issuer at the factor normals ξ, padded with zeros to
    /// a multiple of the twist's vector width.
    func conditionalProbabilities(_ latent: FactorLatent, at xi: [Double]) -> [Double] {
        let k = latent.inputDimension
        let entities = plan.twistEntities, thresholds = plan.twistThresholds
        var p = ExponentialTwist.padded([Double](repeating: 0, count: entities.count))
        for i in 0..<entities.count {
            let e = entities[i]
            var dot = 0.0
            for j in 0..<k { dot += latent.loadings[e * k + j] * xi[j] }
            p[i] = Normal.cdf(thresholds[i] - dot)
        }
        return p
    }
}
