/// The contract every path outcome keeps (default and market valuation, any hazard model, any
/// latent model), checked on an engine built from a portfolio. A new outcome or credit state gets
/// these checks by running `OutcomeContract.violations` on a portfolio that uses it; an empty list
/// means it keeps the contract.
///
/// 1. The screen misses nothing the outcome books: on every sampled path, the net and gross loss
///    evaluated on the screen's candidates equal those evaluated on every name (to 10⁻¹² relative;
///    evaluation runs in index order either way, so they are equal bit for bit in practice).
/// 2. The candidates are distinct, in range and in index order.
/// 3. The screen does not pass everything: on paths without any loss it passes fewer than half
///    the names (a screen that passed all would meet 1 and 2 and make the engine n times slower;
///    checked when some sampled paths are quiet, which market valuation's may not be).
/// 4. Thread invariance: a run of several blocks gives the same bits of every path's net and gross
///    loss (and weight, under `importance`) on 1, 2 and 3 threads.
///
/// Marginal probabilities are the latent model's contract (`LatentModelContract`); the exact
/// tests check the losses themselves.
import CreditEngine
import CreditMath

package enum OutcomeContract {
    /// What `engine` breaks on `paths` audited paths from `seed`, and on a run of three blocks
    /// (importance-sampled with `importance`, if given).
    package static func violations(of engine: Engine, paths: Int = 2_000, seed: UInt64 = 1,
                                   importance: ImportanceShift? = nil, droppingLastCandidate: Bool = false) -> [String] {
        var problems: [String] = []
        func note(_ message: String) { if problems.count < 20 { problems.append(message) } }
        let audit = engine.auditOutcome(paths: paths, seed: seed, droppingLastCandidate: droppingLastCandidate)
        var quietPaths = 0, quietCandidates = 0
        for (i, path) in audit.paths.enumerated() {
            func agree(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(b)) }
            if !agree(path.screenedNet, path.everyNameNet) || !agree(path.screenedGross, path.everyNameGross) {
                note("path \(i): screened names give net \(path.screenedNet), gross \(path.screenedGross); "
                     + "every name gives \(path.everyNameNet), \(path.everyNameGross)")
            }
            let c = path.candidates
            if zip(c, c.dropFirst()).contains(where: { $0 >= $1 }) || c.contains(where: { $0 < 0 || $0 >= audit.names }) {
                note("path \(i): candidates \(Array(c.prefix(8))) not distinct, in range and in index order")
            }
            if path.everyNameNet == 0 && path.everyNameGross == 0 {
                quietPaths += 1
                quietCandidates += c.count
            }
        }
        if quietPaths > 0 && 2 * quietCandidates >= quietPaths * audit.names && audit.names > 1 {
            note("the screen passes \(quietCandidates) names on \(quietPaths) paths without loss, of \(audit.names) names each")
        }
        let blocks = 3 * SimulationSettings.blockSize
        let one = engine.run(SimulationSettings(paths: blocks, seed: seed, threads: 1), importance: importance)
        for threads in [2, 3] {
            let other = engine.run(SimulationSettings(paths: blocks, seed: seed, threads: threads), importance: importance)
            if other.net != one.net || other.gross != one.gross || other.weights != one.weights {
                let first = one.net.indices.first { one.net[$0] != other.net[$0] || one.gross[$0] != other.gross[$0] } ?? 0
                note("\(threads) threads give other losses than 1 (first at path \(first))")
            }
        }
        return problems
    }
}
