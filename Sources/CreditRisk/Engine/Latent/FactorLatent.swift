/// Gaussian factors: X_e = w_eᵀZ + σ_e ε_e, σ_e = √(1 − w_eᵀΣw_e), Z = Lξ with LLᵀ = Σ.
///
/// Writing a_e = Lᵀw_e/σ_e, one `dgemm` of the path normals ξ with the rows a_e gives
/// m_e = w_eᵀZ/σ_e, and X_e ≤ c_e·s ⇔ ε_e ≤ c_e·s/σ_e − m_e. The thresholds are kept divided by
/// σ_e, so the screen needs one multiply-subtract per name and no Φ⁻¹ (see `DefaultScreen`).
struct FactorLatent: LatentModel {
    let entityCount: Int
    let inputDimension: Int
    var drawsIdiosyncraticUniforms: Bool { true }
    var supportsImportanceSampling: Bool { true }
    /// n × K row-major: a_e = Lᵀw_e/σ_e.
    let loadings: [Double]
    /// σ_e.
    let sigma: [Double]
    /// c_e/σ_e for the longest window of e's bonds; −∞ without bonds, +∞ for a forced default.
    let threshold: [Double]
    let table: DefaultScreen

    /// `threshold` holds c_e on the copula's scale; `factor` is L (K × K row-major).
    init(entities: [Entity], model: FactorModel, factor: [Double], threshold c: [Double], table: DefaultScreen) {
        let n = entities.count, k = model.factorIDs.count
        entityCount = n
        inputDimension = k
        var a = [Double](repeating: 0, count: n * k)
        var s = [Double](repeating: 1, count: n)
        var scaled = c
        for e in 0..<n {
            let w = entities[e].loadings
            let sd = (1 - model.systematicVariance(w)).squareRoot()
            s[e] = sd
            // (Lᵀw)_j = Σ_i L_ij w_i
            for j in 0..<k {
                var acc = 0.0
                for i in 0..<k { acc += factor[i * k + j] * w[i] }
                a[e * k + j] = acc / sd
            }
            scaled[e] /= sd
        }
        loadings = a
        sigma = s
        threshold = scaled
        self.table = table
    }

    func systematic(input: UnsafeMutablePointer<Double>, rows: Int, into sys: UnsafeMutablePointer<Double>) {
        guard inputDimension > 0 else {
            sys.update(repeating: 0, count: rows * entityCount)
            return
        }
        loadings.withUnsafeBufferPointer { a in
            // Safe: a holds n × K values and K > 0.
            MatrixProduct.multiplyTransposed(input, a.baseAddress!, into: sys, m: rows, n: entityCount, k: inputDimension)
        }
    }

    /// Candidates are the names with u_e ≤ bound(c_e·s − m_e). Eight names a round: the bounds
    /// are gathered, compared with the uniforms as two SIMD4 masks, and only a round with a
    /// candidate (a few per cent) leaves the straight line.
    @inline(__always)
    func screen(sys: UnsafePointer<Double>, uniforms u: UnsafePointer<Double>, scale s: Double,
                into out: UnsafeMutablePointer<Int>) -> Int {
        let n = entityCount
        var found = 0
        threshold.withUnsafeBufferPointer { cb in
            table.bound.withUnsafeBufferPointer { bb in
                // Safe: both tables are non-empty (n ≥ 1 thresholds, steps + 2 bounds).
                let c = cb.baseAddress!, bound = bb.baseAddress!
                let raw = UnsafeRawPointer(u), rawC = UnsafeRawPointer(c), rawSys = UnsafeRawPointer(sys)
                @inline(__always) func hits(_ at: Int) -> SIMDMask<SIMD4<Int64>> {
                    let offset = at &* 8
                    let cv = rawC.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let mv = rawSys.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let uv = raw.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let t = cv * s - mv
                    let bv = SIMD4<Double>(bound[DefaultScreen.slot(t[0])], bound[DefaultScreen.slot(t[1])],
                                           bound[DefaultScreen.slot(t[2])], bound[DefaultScreen.slot(t[3])])
                    return uv .<= bv
                }
                var e = 0
                while e &+ 8 <= n {
                    let low = hits(e), high = hits(e &+ 4)
                    if any(low .| high) {
                        for j in 0..<4 where low[j] {
                            out[found] = e &+ j
                            found &+= 1
                        }
                        for j in 0..<4 where high[j] {
                            out[found] = e &+ 4 &+ j
                            found &+= 1
                        }
                    }
                    e &+= 8
                }
                while e < n {
                    if u[e] <= bound[DefaultScreen.slot(c[e] * s - sys[e])] {
                        out[found] = e
                        found += 1
                    }
                    e += 1
                }
            }
        }
        return found
    }

    /// ε_e ≤ t_e, by the table's lower bound when it settles it, else by Φ⁻¹(u_e).
    @inline(__always)
    func defaultsByLongestWindow(_ e: Int, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>,
                                 scale s: Double) -> Bool {
        let t = threshold[e] * s - sys[e]
        let u = uniforms[e]
        if u <= table.lowerBound[DefaultScreen.slot(t)] { return true }
        return Normal.quantile(u) <= t
    }

    @inline(__always)
    func latentValue(_ e: Int, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>) -> Double {
        sigma[e] * (sys[e] + Normal.quantile(uniforms[e]))
    }

    /// P(X_e ≤ c_e·s | factors, s) = Φ(c_e·s/σ_e − m_e): what importance sampling twists.
    @inline(__always)
    func conditionalDefaultProbability(_ e: Int, sys: UnsafePointer<Double>, scale s: Double) -> Double {
        Normal.cdf(threshold[e] * s - sys[e])
    }

    /// ε_e compared with t_k = c_k·s/σ_e − m_e: the stay bucket is settled by the table's bounds
    /// on Φ(t) when it can be (most name-paths), else ε_e = Φ⁻¹(u_e) is compared exactly.
    @inline(__always)
    func migrationState(_ e: Int, cuts: UnsafePointer<Double>, count: Int, stay: Int,
                        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double) -> Int {
        let m = sys[e], u = uniforms[e]
        let aboveLower = stay == 0 || u > table.bound[DefaultScreen.slot(cuts[stay - 1] * s - m)]
        if aboveLower && (stay == count || u <= table.lowerBound[DefaultScreen.slot(cuts[stay] * s - m)]) { return stay }
        // A mover: scan the cuts upwards with the bounds; Φ⁻¹ only when a bound cannot decide.
        var k = 0
        while k < count {
            let slot = DefaultScreen.slot(cuts[k] * s - m)
            if u <= table.lowerBound[slot] { return k }
            if u <= table.bound[slot] { break }
            k += 1
        }
        if k == count { return count }
        let epsilon = Normal.quantile(u)
        while k < count && epsilon > cuts[k] * s - m { k += 1 }
        return k
    }
}
