import CreditMath
import CreditModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Default times from cumulative PD curves (`PDCurve`): a piecewise-constant hazard, flat before
/// the first tenor and continued with the last segment's hazard after the last tenor, so
/// P(τ_e ≤ tᵢ) equals the curve at every tenor. Entities without a curve keep the constant
/// hazard −ln(1 − pd) of `ConstantHazard`.
///
/// The cumulative hazard H_e(t) is piecewise linear through the knots (0, 0), (tᵢ, Hᵢ), with
/// Hᵢ = −ln(1 − pᵢ); τ_e = H_e⁻¹(−ln(1 − U_e)) inverts it segment by segment.
struct PiecewiseHazard: DefaultTimeModel {
    /// Knots of e: `knotTime[knotStart[e]..<knotStart[e + 1]]` (tenors, without the origin).
    let knotStart: [Int]
    let knotTime: [Double]
    let knotHazard: [Double]
    let knotProbability: [Double]
    /// Hazard after the last knot (the constant hazard for an entity without a curve).
    let tailHazard: [Double]
    let forcedDefault: [Bool]

    init(portfolio: Portfolio) {
        self.init(curves: portfolio.entities.map(\.pdCurve), hazard: portfolio.entities.map(\.hazard),
                  forcedDefault: portfolio.forcedDefaults)
    }

    /// Per entity its curve, or (without one) the constant `hazard`.
    init(curves: [PDCurve?], hazard constant: [Double], forcedDefault forcedSet: Set<Int>) {
        var start = [0], time: [Double] = [], hazard: [Double] = [], probability: [Double] = [], tail: [Double] = []
        for (curve, lambda) in zip(curves, constant) {
            if let curve {
                time += curve.tenors
                hazard += curve.cumulativeHazards
                probability += curve.cumulative
                tail.append(curve.tailHazard)
            } else {
                tail.append(lambda)
            }
            start.append(time.count)
        }
        knotStart = start
        knotTime = time
        knotHazard = hazard
        knotProbability = probability
        tailHazard = tail
        var forced = [Bool](repeating: false, count: curves.count)
        for e in forcedSet { forced[e] = true }
        forcedDefault = forced
    }

    /// 1 − e^{−H_e(t)}; at a tenor exactly, the table's value (so thresholds equal the table's).
    func defaultProbability(_ e: Int, within t: Double) -> Double {
        if forcedDefault[e] { return 1 }
        guard t > 0 else { return 0 }
        var previousT = 0.0, previousH = 0.0
        for k in knotStart[e]..<knotStart[e + 1] {
            if t == knotTime[k] { return knotProbability[k] }
            if t < knotTime[k] {
                return -expm1(-(previousH + (knotHazard[k] - previousH) * (t - previousT) / (knotTime[k] - previousT)))
            }
            previousT = knotTime[k]
            previousH = knotHazard[k]
        }
        return -expm1(-(previousH + tailHazard[e] * (t - previousT)))
    }

    @inline(__always)
    func defaultTime(_ e: Int, survival: Double) -> Double {
        if forcedDefault[e] { return 0 }
        let target = -log(survival)
        guard target > 0 else { return 0 }
        var previousT = 0.0, previousH = 0.0
        for k in knotStart[e]..<knotStart[e + 1] {
            let h = knotHazard[k]
            if target <= h {
                // target > previousH here, so h > previousH.
                return previousT + (target - previousH) / (h - previousH) * (knotTime[k] - previousT)
            }
            previousT = knotTime[k]
            previousH = h
        }
        let lambda = tailHazard[e]
        return lambda > 0 ? previousT + (target - previousH) / lambda : .infinity
    }
}
