/// The contract every latent model keeps, checked on sampled paths. A new `LatentModel` gets
/// these checks by calling `LatentModelContract.violations` in a test; an empty list means it
/// keeps the contract.
///
/// 1. The screen misses no defaulter: every name that `defaultsByLongestWindow` says defaults is
///    among the screen's candidates, which are distinct, in range and in index order.
/// 2. The decision agrees with the latent value: X_e ≤ c_e·s ⇔ default, with c_e the copula
///    quantile of the name's probability (checked where X_e is not within 10⁻⁹ of the cut).
/// 3. Marginal default frequencies match the names' probabilities within 4.5 standard errors
///    (exactly 0 or 1 for a probability of 0 or 1).
///
/// Paths use scale s = 1 (the Gaussian copula's; a mixing copula's scale multiplies both sides).
import CreditEngine
import CreditMath

package enum LatentModelContract {
    /// What `model` breaks on `paths` paths of normals and uniforms from `seed`; `probabilities`
    /// are the names' default probabilities by their longest window (the model's thresholds
    /// are their Φ⁻¹).
    package static func violations<Latent: LatentModel>(of model: Latent, probabilities: [Double],
                                                        paths: Int = 20_000, seed: UInt64 = 1) -> [String] {
        let n = model.entityCount, k = model.inputDimension
        guard probabilities.count == n else { return ["\(probabilities.count) probabilities for \(n) names"] }
        var stream = UniformStream(seed: seed, block: 0)
        var input = [Double](repeating: 0, count: paths * k)
        input.withUnsafeMutableBufferPointer { stream.fill($0.baseAddress!, count: paths * k) }
        for i in input.indices { input[i] = Normal.quantile(input[i]) }
        var uniforms = [Double](repeating: 0.5, count: paths * n)
        if model.drawsIdiosyncraticUniforms {
            uniforms.withUnsafeMutableBufferPointer { stream.fill($0.baseAddress!, count: paths * n) }
        }
        var sys = [Double](repeating: 0, count: paths * n)
        input.withUnsafeMutableBufferPointer { i in
            sys.withUnsafeMutableBufferPointer { model.systematic(input: i.baseAddress!, rows: paths, into: $0.baseAddress!) }
        }
        let cuts = probabilities.map { p in p <= 0 ? -Double.infinity : (p >= 1 ? Double.infinity : Normal.quantile(p)) }
        var problems: [String] = []
        func note(_ message: String) { if problems.count < 20 { problems.append(message) } }
        var defaults = [Int](repeating: 0, count: n)
        var candidates = [Int](repeating: -1, count: n + 1)
        sys.withUnsafeBufferPointer { sysAll in
            uniforms.withUnsafeBufferPointer { uAll in
                for path in 0..<paths {
                    let s = sysAll.baseAddress! + path * n, u = uAll.baseAddress! + path * n
                    let count = candidates.withUnsafeMutableBufferPointer { model.screen(sys: s, uniforms: u, scale: 1, into: $0.baseAddress!) }
                    guard count >= 0 && count <= n else {
                        note("path \(path): the screen returned \(count) candidates for \(n) names")
                        continue
                    }
                    let screened = candidates[..<count]
                    if zip(screened, screened.dropFirst()).contains(where: { $0 >= $1 }) || screened.contains(where: { $0 < 0 || $0 >= n }) {
                        note("path \(path): candidates \(Array(screened.prefix(8))) not distinct, in range and in index order")
                    }
                    let set = Set(screened)
                    for e in 0..<n {
                        // One decision per name and path, checked against the screen and the latent value.
                        let decided = model.defaultsByLongestWindow(e, sys: s, uniforms: u, scale: 1)
                        if decided {
                            defaults[e] += 1
                            if !set.contains(e) { note("path \(path): name \(e) defaults but the screen missed it") }
                        }
                        guard cuts[e].isFinite else { continue }
                        let x = model.latentValue(e, sys: s, uniforms: u)
                        if abs(x - cuts[e]) > 1e-9 * max(1, abs(cuts[e])), (x <= cuts[e]) != decided {
                            note("path \(path): name \(e) has X = \(x) against the cut \(cuts[e]) but decides otherwise")
                        }
                    }
                }
            }
        }
        for e in 0..<n {
            let p = probabilities[e], f = Double(defaults[e]) / Double(paths)
            if p <= 0 || p >= 1 {
                if f != p { note("name \(e): probability \(p), defaulted on a fraction \(f) of paths") }
                continue
            }
            let se = (p * (1 - p) / Double(paths)).squareRoot()
            if abs(f - p) > 4.5 * se { note("name \(e): probability \(p), frequency \(f) (\(String(format: "%.1f", (f - p) / se)) SE)") }
        }
        return problems
    }
}
