/// Claims on guarantors with a capacity, held back during a path and settled at its end in order
/// of event time (ties by grouped bond order), so that a guarantor's capacity goes to the
/// earliest events whatever order the names were visited in.
import CreditMath
import CreditModel

struct PendingClaims {
    struct Claim {
        var tau: Double
        var bond: Int
        var rate: Double
        var state: CreditState
    }

    private var claims: [Claim] = []

    var isEmpty: Bool { claims.isEmpty }

    @inline(__always)
    mutating func append(tau: Double, bond: Int, rate: Double, state: CreditState) {
        claims.append(Claim(tau: tau, bond: bond, rate: rate, state: state))
    }

    /// Calls `settle` for every claim in order of event time, then forgets them.
    mutating func drain(_ settle: (Claim) -> Void) {
        claims.sort { $0.tau < $1.tau || ($0.tau == $1.tau && $0.bond < $1.bond) }
        for claim in claims { settle(claim) }
        claims.removeAll(keepingCapacity: true)
    }
}
