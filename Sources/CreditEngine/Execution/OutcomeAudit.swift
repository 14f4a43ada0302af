/// The plan's outcome on sampled paths, evaluated twice: on the names its screen passes, and on
/// every name. The screen may only leave out names the outcome books nothing for, so the two
/// agree on every path; `CreditTestSupport.OutcomeContract` checks that, and more.
import CreditMath
import CreditModel

package struct OutcomeAudit: Sendable {
    package struct Path: Sendable {
        /// The names the screen passed, as it wrote them.
        package let candidates: [Int]
        /// Net and gross loss evaluated on `candidates`, and on every name.
        package let screenedNet: Double, screenedGross: Double
        package let everyNameNet: Double, everyNameGross: Double
    }

    package let names: Int
    package let paths: [Path]
}

extension Engine {
    /// `paths` paths of this engine's plan (a copula scale, factor normals and uniforms per path,
    /// one path at a time from stream (seed, 0), unshifted: the kernel's kinds of draw, not its
    /// paths), each evaluated on its screened names and on every name. `droppingLastCandidate` removes the last candidate of every path before the
    /// screened evaluation: a broken screen, for the contract's own test.
    package func auditOutcome(paths: Int, seed: UInt64, droppingLastCandidate: Bool = false) -> OutcomeAudit {
        plan.visit(OutcomeAuditor(plan: plan, paths: paths, seed: seed, drop: droppingLastCandidate))
    }
}

private struct OutcomeAuditor: PlanVisitor {
    let plan: SimulationPlan
    let paths: Int
    let seed: UInt64
    let drop: Bool

    func visit<Latent: LatentModel, Outcome: PathOutcome>(latent: Latent, outcome: Outcome,
                                                         factorModel: Bool) -> OutcomeAudit {
        let n = latent.entityCount, k = latent.inputDimension
        var rng = UniformStream(seed: seed, block: 0)
        var scale = [1.0], mixing = [Double](repeating: 0, count: max(plan.mixing.drawsPerPath, 1))
        var input = [Double](repeating: 0, count: max(k, 1)), sys = [Double](repeating: 0, count: max(n, 1))
        var uniforms = [Double](repeating: 0.5, count: max(n, 1)), found = [Int](repeating: 0, count: max(n, 1))
        let everyName = Array(0..<n)
        var scratch = outcome.makeScratch()
        var ledger = PathLedger(providerSlots: plan.waterfall.providerCount,
                                guarantorSlots: plan.waterfall.guarantorEntities.count, recordsBonds: false,
                                splitsStates: plan.splitsStates)
        var audited: [OutcomeAudit.Path] = []
        for path in 0..<paths {
            plan.mixing.drawScales(rows: 1, rng: &rng, scale: &scale, scratch: &mixing)
            rng.fill(&input, count: k)
            for j in 0..<k { input[j] = Normal.quantile(input[j]) }
            latent.systematic(input: &input, rows: 1, into: &sys)
            if latent.drawsIdiosyncraticUniforms { rng.fill(&uniforms, count: n) }
            let s = scale[0]
            let count = n == 0 ? 0
                : outcome.screen(latent: latent, sys: sys, uniforms: uniforms, scale: s, into: &found)
            let candidates = Array(found[0..<max(0, min(count, n))])
            let kept = drop ? Array(candidates.dropLast()) : candidates
            func evaluate(_ names: [Int]) -> (net: Double, gross: Double) {
                guard !names.isEmpty else { return (0, 0) }
                defer { ledger.reset() }
                return outcome.evaluate(candidates: names, count: names.count, latent: latent, sys: sys, uniforms: uniforms,
                                        scale: s, path: path, seed: seed, scratch: &scratch, ledger: &ledger)
            }
            let screened = evaluate(kept), full = evaluate(everyName)
            audited.append(OutcomeAudit.Path(candidates: candidates, screenedNet: screened.net,
                                             screenedGross: screened.gross, everyNameNet: full.net,
                                             everyNameGross: full.gross))
        }
        return OutcomeAudit(names: n, paths: audited)
    }
}
