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

    /// Market mode. Name e keeps its rating iff t_lo < ε_e ≤ t_hi (t = edge·s − m_e), i.e. iff
    /// Φ(t_lo) < u_e ≤ Φ(t_hi). u_e > bound(t_lo) and u_e ≤ lowerBound(t_hi) prove it, with the
    /// very look-ups `migrationState` would make, so leaving such a name out changes no result;
    /// the rest (the movers, and slivers about three grid steps wide at each edge) are written
    /// out. Four names a vector, two vectors a round; a round with a candidate is compacted
    /// without a branch per name.
    @inline(__always)
    func screenMovers(lower: UnsafePointer<Double>, upper: UnsafePointer<Double>, sys: UnsafePointer<Double>,
                      uniforms u: UnsafePointer<Double>, scale s: Double, into out: UnsafeMutablePointer<Int>) -> Int {
        let n = entityCount
        var found = 0
        table.bound.withUnsafeBufferPointer { bb in
            table.lowerBound.withUnsafeBufferPointer { lb in
                // Safe: both tables hold steps + 2 values and `slot` returns 1…steps + 1; the four
                // inputs hold n values each (the loads below stay under n).
                let bound = bb.baseAddress!, lowerBound = lb.baseAddress!
                let rawLo = UnsafeRawPointer(lower), rawHi = UnsafeRawPointer(upper)
                let rawSys = UnsafeRawPointer(sys), rawU = UnsafeRawPointer(u)
                @inline(__always) func moves(_ at: Int) -> SIMDMask<SIMD4<Int64>> {
                    let offset = at &* 8
                    let lo = rawLo.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let hi = rawHi.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let m = rawSys.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let uv = rawU.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let tLo = lo * s - m, tHi = hi * s - m
                    let below = SIMD4<Double>(bound[DefaultScreen.slot(tLo[0])], bound[DefaultScreen.slot(tLo[1])],
                                              bound[DefaultScreen.slot(tLo[2])], bound[DefaultScreen.slot(tLo[3])])
                    let above = SIMD4<Double>(lowerBound[DefaultScreen.slot(tHi[0])], lowerBound[DefaultScreen.slot(tHi[1])],
                                              lowerBound[DefaultScreen.slot(tHi[2])], lowerBound[DefaultScreen.slot(tHi[3])])
                    return (uv .<= below) .| (uv .> above)
                }
                var e = 0
                while e &+ 8 <= n {
                    let low = moves(e), high = moves(e &+ 4)
                    if any(low .| high) {
                        // Every lane writes its index at `found`; only a candidate advances it.
                        // Safe: found ≤ e + j < n, the capacity of `out`.
                        for j in 0..<4 {
                            out[found] = e &+ j
                            found &+= low[j] ? 1 : 0
                        }
                        for j in 0..<4 {
                            out[found] = e &+ 4 &+ j
                            found &+= high[j] ? 1 : 0
                        }
                    }
                    e &+= 8
                }
                while e < n {
                    let m = sys[e]
                    if u[e] <= bound[DefaultScreen.slot(lower[e] * s - m)] || u[e] > lowerBound[DefaultScreen.slot(upper[e] * s - m)] {
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

    /// ε_e compared with t_k = c_k·s/σ_e − m_e: the smallest k with ε_e ≤ t_k. Each comparison
    /// is settled by the table's bounds on Φ(t_k) when they can (u ≤ lowerBound: below; u > bound:
    /// above), else by ε_e = Φ⁻¹(u_e), computed once. The scan starts at the current rating and
    /// walks the way the name moved: a one-notch move costs two or three look-ups.
    @inline(__always)
    func migrationState(_ e: Int, cuts: UnsafePointer<Double>, count: Int, stay: Int,
                        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double) -> Int {
        let m = sys[e], u = uniforms[e]
        var epsilon = Double.nan
        /// ε_e ≤ t_k.
        @inline(__always) func atOrBelow(_ k: Int) -> Bool {
            let t = cuts[k] * s - m
            let slot = DefaultScreen.slot(t)
            if u <= table.lowerBound[slot] { return true }
            if u > table.bound[slot] { return false }
            if epsilon.isNaN { epsilon = Normal.quantile(u) }
            return epsilon <= t
        }
        if stay > 0 && atOrBelow(stay - 1) {
            // Down: ε_e ≤ t_{stay−1}; the answer is the k with t_{k−1} < ε_e ≤ t_k.
            var k = stay - 1
            while k > 0 && atOrBelow(k - 1) { k -= 1 }
            return k
        }
        var k = stay
        while k < count && !atOrBelow(k) { k += 1 }
        return k
    }
}
