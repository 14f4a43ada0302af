/// Bonds grouped by issuer, stable in file order (CSR): the bonds of entity e are
/// `order[start[e]..<start[e + 1]]`, with their exposure windows T_b = min(maturity, horizon)
/// (the horizon under rollover) and each issuer's longest window.
import CreditMath
import CreditModel

struct BondLayout: Sendable {
    let start: [Int]
    let order: [Int]
    let window: [Double]
    let longestWindow: [Double]

    init(portfolio: Portfolio) {
        let n = portfolio.entities.count
        var start = [Int](repeating: 0, count: n + 1)
        for b in portfolio.bonds { start[b.issuer + 1] += 1 }
        for e in 0..<n { start[e + 1] += start[e] }
        var fill = start
        var order = [Int](repeating: 0, count: portfolio.bonds.count)
        for (i, b) in portfolio.bonds.enumerated() {
            order[fill[b.issuer]] = i
            fill[b.issuer] += 1
        }
        self.start = start
        self.order = order
        window = order.map { portfolio.window(of: portfolio.bonds[$0]) }
        var longest = [Double](repeating: 0, count: n)
        for b in portfolio.bonds { longest[b.issuer] = max(longest[b.issuer], portfolio.window(of: b)) }
        longestWindow = longest
    }
}
