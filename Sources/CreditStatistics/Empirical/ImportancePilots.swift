import CreditMath
import CreditModel
import CreditEngine

/// Choosing the importance-sampling parameters (Glasserman & Li 2005, §4) robustly.
///
/// The target x is the gross VaR at the highest reported level. A plain pilot cannot resolve a
/// far level: with 20 000 pilot paths the 99.99 % quantile rests on two paths, and a seed that
/// lands far out over-shifts the factors and inflates the run's errors many times over. So the
/// target is found in two steps: the plain pilot resolves the farthest level it can with at least
/// `resolvedTailPaths` paths beyond it, the shift for that level is optimised, and a second pilot
/// of the same size, importance-sampled with that shift, resolves the requested level; the shift
/// is then optimised for it. Both pilots use streams of their own, apart from the run's. Each
/// shift keeps the exponential twist only where it pays for its cost (`twistPays`).
extension Engine {
    /// The shift and twist target for the level `level`, from pilots of `pilotPaths` paths.
    /// Without a factor model (or with no loss in the pilot) the shift is zero.
    public func importanceShift(level: Double, pilotPaths: Int, seed: UInt64, threads: Int) -> ImportanceShift {
        let pilotSettings = SimulationSettings(paths: pilotPaths, seed: seed ^ 0x5049_4C4F_5452_554E, threads: threads)
        let pilot = run(pilotSettings)
        let resolvable = 1 - Double(Self.resolvedTailPaths) / Double(max(pilotPaths, 1))
        let first = min(level, max(resolvable, 0.5))
        let x1 = RiskMeasures.measure(pilot.distribution(.gross), level: first).valueAtRisk
        guard x1 > 0, let mu1 = optimalShift(target: x1) else {
            return ImportanceShift(mu: [Double](repeating: 0, count: shiftDimension), target: x1)
        }
        let near = decidedShift(mu: mu1, target: x1)
        guard first < level else { return near }
        // Second pilot, importance-sampled toward the resolved level, for the requested one.
        var second = pilotSettings
        second.seed = seed ^ 0x5049_4C4F_5432_4953
        let x2 = RiskMeasures.measure(run(second, importance: near).distribution(.gross), level: level).valueAtRisk
        guard x2 > x1, let mu2 = optimalShift(target: x2) else { return near }
        return decidedShift(mu: mu2, target: x2)
    }
}
