import CreditMath
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A cumulative default-probability curve: P(τ ≤ tᵢ) = pᵢ at increasing tenors tᵢ (years).
///
/// It defines a piecewise-constant hazard: with Hᵢ = −ln(1 − pᵢ), the hazard is H₁/t₁ before the
/// first tenor, (Hᵢ₊₁ − Hᵢ)/(tᵢ₊₁ − tᵢ) between tenors and the last segment's hazard after the
/// last tenor (O'Kane 2008, ch. 3: piecewise-flat hazard bootstrapping). So P(τ ≤ t) equals the
/// table at every tenor.
public struct PDCurve: Sendable, Hashable {
    public let tenors: [Double]
    public let cumulative: [Double]

    public init(tenors: [Double], cumulative: [Double]) {
        self.tenors = tenors
        self.cumulative = cumulative
    }

    /// The broken rule, or nil when the curve is usable: tenors finite, > 0 and strictly
    /// increasing; 0 ≤ p < 1, non-decreasing, and a positive hazard after the last tenor.
    public var problem: String? {
        guard !tenors.isEmpty, tenors.count == cumulative.count else { return "needs one cumulative PD per tenor" }
        for (i, t) in tenors.enumerated() {
            if !(t.isFinite && t > 0) { return "tenor \(t) must be a finite number of years > 0" }
            if i > 0 && !(t > tenors[i - 1]) { return "tenors must be strictly increasing (\(tenors[i - 1]) then \(t))" }
        }
        for (i, p) in cumulative.enumerated() {
            if !(p.isFinite && p >= 0 && p < 1) { return "cumulative PD \(p) must lie in [0, 1)" }
            if i > 0 && p < cumulative[i - 1] { return "cumulative PDs must not decrease (\(cumulative[i - 1]) then \(p))" }
        }
        if cumulative.last == 0 { return "the PD at the last tenor must be > 0" }
        return nil
    }

    /// Cumulative hazards Hᵢ = −ln(1 − pᵢ).
    public var cumulativeHazards: [Double] { cumulative.map { -log1p(-$0) } }

    /// The hazard after the last tenor (the last segment's, or H₁/t₁ with one tenor).
    public var tailHazard: Double {
        let h = cumulativeHazards, n = tenors.count
        if n == 1 { return h[0] / tenors[0] }
        return (h[n - 1] - h[n - 2]) / (tenors[n - 1] - tenors[n - 2])
    }

    /// P(τ ≤ t): the table value at a tenor exactly, else 1 − e^{−H(t)} with H piecewise linear.
    public func probability(within t: Double) -> Double {
        guard t > 0 else { return 0 }
        if let i = tenors.firstIndex(of: t) { return cumulative[i] }
        let h = cumulativeHazards
        var previousT = 0.0, previousH = 0.0
        for i in tenors.indices {
            if t < tenors[i] {
                return -expm1(-(previousH + (h[i] - previousH) * (t - previousT) / (tenors[i] - previousT)))
            }
            previousT = tenors[i]
            previousH = h[i]
        }
        return -expm1(-(previousH + tailHazard * (t - previousT)))
    }

    /// This curve with every cumulative PD multiplied by m (a stress's PD multiplier).
    public func scaled(by m: Double) -> PDCurve {
        PDCurve(tenors: tenors, cumulative: cumulative.map { $0 * m })
    }
}

/// How a zero rate discounts: (1 + z)^{−t} or e^{−z t}.
public enum Compounding: String, Sendable, Hashable, CaseIterable {
    case annual
    case continuous
}

/// A zero curve at the horizon: rates (fractions) at tenors measured from the horizon, linear
/// interpolation of rates between tenors and flat beyond the ends.
public struct RateCurve: Sendable, Hashable {
    public let tenors: [Double]
    public let rates: [Double]

    public init(tenors: [Double], rates: [Double]) {
        self.tenors = tenors
        self.rates = rates
    }

    public func rate(at t: Double) -> Double {
        guard let first = tenors.first, let last = tenors.last else { return 0 }
        if t <= first { return rates[0] }
        if t >= last { return rates[rates.count - 1] }
        var i = 1
        while tenors[i] < t { i += 1 }
        let w = (t - tenors[i - 1]) / (tenors[i] - tenors[i - 1])
        return rates[i - 1] + w * (rates[i] - rates[i - 1])
    }

    public func discount(_ t: Double, _ compounding: Compounding) -> Double {
        let z = rate(at: t)
        switch compounding {
        case .annual: return pow(1 + z, -t)
        case .continuous: return exp(-z * t)
        }
    }
}

/// Market valuation (CreditMetrics, Gupton, Finger & Bhatia 1997): a rating scale, its one-year
/// transition matrix (rows: ratings of the scale, best first; columns: the scale then default),
/// and a zero curve at the horizon per rating.
public struct MarketValuation: Sendable, Hashable {
    public let scale: [String]
    /// n × (n + 1): row r is P(rating r → column) over one year; the last column is default.
    public let transition: [[Double]]
    /// One curve per rating of the scale.
    public let curves: [RateCurve]
    public let compounding: Compounding

    public init(scale: [String], transition: [[Double]], curves: [RateCurve], compounding: Compounding) {
        self.scale = scale
        self.transition = transition
        self.curves = curves
        self.compounding = compounding
    }

    /// The h-year matrix: the h-th power of the one-year matrix with default absorbing.
    public func transition(years h: Int) -> [[Double]] {
        MarketValuation.power(transition, h)
    }

    /// Powers of an n × (n + 1) rating matrix, default absorbing (row D = e_D).
    public static func power(_ m: [[Double]], _ h: Int) -> [[Double]] {
        let n = m.count
        var result = (0..<n).map { i in (0...n).map { j in i == j ? 1.0 : 0.0 } }
        for _ in 0..<max(h, 0) {
            var next = result
            for i in 0..<n {
                for j in 0...n {
                    var s = j == n ? result[i][n] : 0
                    for k in 0..<n { s += result[i][k] * m[k][j] }
                    next[i][j] = s
                }
            }
            result = next
        }
        return result
    }

    /// Value at the horizon H of `bond` in rating r (nil: default): coupons and principal paid in
    /// (0, H], not reinvested, plus later cash flows discounted on rating r's curve from H; in
    /// default the recovery (1 − lgd)·notional. Coupon dates step back from maturity by
    /// 1/frequency; each pays notional·coupon/frequency.
    public func horizonValue(of bond: Bond, rating r: Int?, horizon: Double) -> Double {
        guard let r else { return (1 - bond.lgd) * bond.notional }
        return MarketValuation.cashFlowValue(bond, horizon: horizon) { self.curves[r].discount($0, self.compounding) }
    }

    static func cashFlowValue(_ bond: Bond, horizon: Double, discount: (Double) -> Double) -> Double {
        let f = Double(bond.couponFrequency)
        let coupon = bond.notional * bond.coupon / f
        var value = 0.0
        var i = 0
        while true {
            let t = bond.maturity - Double(i) / f
            guard t > 1e-9 else { break }
            let amount = coupon + (i == 0 ? bond.notional : 0)
            value += t <= horizon + 1e-9 ? amount : amount * discount(t - horizon)
            if bond.coupon == 0 { break }
            i += 1
        }
        return value
    }
}
