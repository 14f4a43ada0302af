/// Gaussian factors: X_e = w_eᵀZ + σ_e ε_e, σ_e = √(1 − w_eᵀΣw_e), Z = Lξ with LLᵀ = Σ.
///
/// Writing a_e = Lᵀw_e/σ_e, one `dgemm` of the path normals ξ with the rows a_e gives
/// m_e = w_eᵀZ/σ_e, and X_e ≤ c_e·s ⇔ ε_e ≤ c_e·s/σ_e − m_e. The thresholds are kept divided by
/// σ_e, so the screen needs one multiply-subtract per name and no Φ⁻¹ (see `DefaultScreen`).
import CreditMath
import CreditModel

struct FactorLatent: LatentModel {
    let entityCount: Int
    let inputDimension: Int
    var drawsIdiosyncraticUniforms: Bool { true }
    /// n × K row-major: a_e = Lᵀw_e/σ_e.
    let loadings: [Double]
    /// σ_e.
    let sigma: [Double]
    /// c_e/σ_e for the longest window of e's bonds; −∞ without bonds, +∞ for a forced default.
    let threshold: [Double]
    let table: DefaultScreen
    /// Bounds on ε_e from u_e, for market mode's screen and cut scan.
    let brackets: QuantileBracket
    let compaction = LaneCompaction()

    /// `threshold` holds c_e on the copula's scale; `factor` is L (K × K row-major).
    init(entities: [Entity], model: FactorModel, factor: [Double], threshold c: [Double], table: DefaultScreen,
         brackets: QuantileBracket = QuantileBracket()) {
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
        self.brackets = brackets
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
    /// are gathered and compared with the uniforms as two SIMD4 differences, whose sign bits
    /// make an 8-bit mask; a round with a candidate (a few per cent in plain sampling, most
    /// rounds of a tail path) writes its candidates' indices with one vector store, without a
    /// branch per name, as `screenMovers` does.
    @inline(__always)
    func screen(sys: UnsafePointer<Double>, uniforms u: UnsafePointer<Double>, scale s: Double,
                into out: UnsafeMutablePointer<Int>) -> Int {
        let n = entityCount
        var found = 0
        threshold.withUnsafeBufferPointer { cb in table.bound.withUnsafeBufferPointer { bb in
            compaction.table.withUnsafeBufferPointer { pb in
                // Safe: both tables are non-empty (n ≥ 1 thresholds, steps + 2 bounds), the
                // compaction table has 256 entries (one per 8-bit mask).
                let c = cb.baseAddress!, bound = bb.baseAddress!, compact = pb.baseAddress!
                let raw = UnsafeRawPointer(u), rawC = UnsafeRawPointer(c), rawSys = UnsafeRawPointer(sys)
                // 1 where u_e ≤ bound: bound − u ≥ 0, a clear sign bit (never −0: u > 0).
                @inline(__always) func hits(_ at: Int) -> SIMD4<UInt64> {
                    let offset = at &* 8
                    let cv = rawC.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let mv = rawSys.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let uv = raw.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                    let t = cv * s - mv
                    let bv = SIMD4<Double>(bound[DefaultScreen.slot(t[0])], bound[DefaultScreen.slot(t[1])],
                                           bound[DefaultScreen.slot(t[2])], bound[DefaultScreen.slot(t[3])])
                    return ~unsafeBitCast(bv - uv, to: SIMD4<UInt64>.self) &>> 63
                }
                var e = 0
                while e &+ 8 <= n {
                    let mask = LaneCompaction.bits(SIMD8(lowHalf: hits(e), highHalf: hits(e &+ 4)))
                    if mask != 0 {
                        // found ≤ e and e + 8 ≤ n, the capacity of `out`: lanes past the
                        // candidates are overwritten by the next round.
                        UnsafeMutableRawPointer(out + found).storeBytes(
                            of: LaneCompaction.indices(compact[mask]) &+ Int64(e), as: SIMD8<Int64>.self)
                        found &+= mask.nonzeroBitCount
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
        } }
        return found
    }

    /// Market mode. Name e keeps its rating iff t_lo < ε_e ≤ t_hi (t = edge·s − m_e). The u-cell
    /// bracket lo ≤ ε_e ≤ hi (`QuantileBracket`) proves it when t_lo < lo and hi ≤ t_hi: one
    /// 8-byte table load and two multiply-subtracts per name, no Φ or Φ⁻¹. Since
    /// `migrationState` decides every cut exactly (by the same bracket, else by Φ⁻¹(u_e)), leaving
    /// such a name out changes no result. The rest (the movers, and a sliver of probability
    /// 1/2048 at each edge) are written out, eight names a vector, compacted without a branch per
    /// name.
    @inline(__always)
    func screenMovers(lower: UnsafePointer<Double>, upper: UnsafePointer<Double>, sys: UnsafePointer<Double>,
                      uniforms u: UnsafePointer<Double>, scale s: Double, into out: UnsafeMutablePointer<Int>) -> Int {
        let n = entityCount
        var found = 0
        brackets.packed.withUnsafeBufferPointer { pb in compaction.table.withUnsafeBufferPointer { cb in
            // Safe: the bracket table holds mask + 1 entries and every index is masked, the
            // compaction table 256 (one per 8-bit mask); the four inputs hold n values each (the
            // loads below stay under n).
            let packed = pb.baseAddress!, compact = cb.baseAddress!
            let rawLo = UnsafeRawPointer(lower), rawHi = UnsafeRawPointer(upper)
            let rawSys = UnsafeRawPointer(sys)
            var e = 0
            while e &+ 8 <= n {
                let offset = e &* 8
                let lo = rawLo.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
                let hi = rawHi.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
                let m = rawSys.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
                // Table indices from scalar loads of u: extracting them from a vector would queue
                // on the one shuffle port, which the table reads and compares also need.
                @inline(__always) func entry(_ j: Int) -> UInt64 { packed[QuantileBracket.index(u[e &+ j])] }
                let epsilon = QuantileBracket.bounds(SIMD8(entry(0), entry(1), entry(2), entry(3),
                                                           entry(4), entry(5), entry(6), entry(7)))
                // Sign bits, with no mask registers: t_lo < lo ⇔ t_lo − lo < 0 and hi ≤ t_hi ⇔
                // t_hi − hi ≥ 0 (a difference is −0 only for −0 − +0, and no bound is ±0).
                let belowLow = unsafeBitCast(lo * s - m - epsilon.lo, to: SIMD8<UInt64>.self)
                let belowHigh = unsafeBitCast(hi * s - m - epsilon.hi, to: SIMD8<UInt64>.self)
                let moves = (~belowLow | belowHigh) &>> 63
                // The movers' indices, ascending, in one vector store: found ≤ e and e + 8 ≤ n, the
                // capacity of `out`; lanes past the movers are overwritten by the next round.
                let moving = LaneCompaction.bits(moves)
                UnsafeMutableRawPointer(out + found).storeBytes(of: LaneCompaction.indices(compact[moving]) &+ Int64(e),
                                                                as: SIMD8<Int64>.self)
                found &+= moving.nonzeroBitCount
                e &+= 8
            }
            while e < n {
                let m = sys[e]
                let epsilon = QuantileBracket.bounds(packed[QuantileBracket.index(u[e])])
                if !(lower[e] * s - m < epsilon.lo && epsilon.hi <= upper[e] * s - m) {
                    out[found] = e
                    found += 1
                }
                e += 1
            }
        } }
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

    /// Φ(t) at the grid point of `DefaultScreen` nearest t = c·s/σ_e − m_e (`cut` = c/σ_e), one
    /// table read: P(X_e ≤ c·s | factors, s) = Φ(t) to within one grid step of t, which is all
    /// the twist needs (see `LatentModel.twistProbability`).
    @inline(__always)
    func twistProbability(_ e: Int, below cut: Double, sys: UnsafePointer<Double>, scale s: Double) -> Double {
        table.center[DefaultScreen.slot(cut * s - sys[e])]
    }

    /// ε_e compared with t_k = c_k·s/σ_e − m_e: the state is the number of cuts below ε_e (the
    /// t_k ascend, so this is the smallest k with ε_e ≤ t_k). Eight cuts a vector against the
    /// u-cell bracket lo ≤ ε_e ≤ hi: lo > t_k puts ε_e above, hi ≤ t_k below; only when a cut
    /// falls inside the bracket (probability 1/2048 per cut) is ε_e = Φ⁻¹(u_e) computed.
    @inline(__always)
    func migrationState(_ e: Int, cuts: UnsafePointer<Double>, count: Int, stay: Int,
                        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale s: Double) -> Int {
        let m = sys[e], u = uniforms[e]
        let epsilon = brackets.packed.withUnsafeBufferPointer { pb in
            // Safe: the index is masked to the table's size.
            QuantileBracket.bounds(pb.baseAddress![QuantileBracket.index(u)])
        }
        if count <= 8 {
            // Vector compares read their lanes one by one here, so the tests are sign bits:
            // lo > t ⇔ t − lo < 0 and hi > t ⇔ t − hi < 0 (exact for bounds that are never ±0,
            // t never NaN; a difference is −0 only for −0 − +0). The 8 cuts are padded with +∞.
            let t = UnsafeRawPointer(cuts).loadUnaligned(as: SIMD8<Double>.self) * s - SIMD8(repeating: m)
            let above = unsafeBitCast(t - SIMD8(repeating: epsilon.lo), to: SIMD8<UInt64>.self) &>> 63
            let underHigh = unsafeBitCast(t - SIMD8(repeating: epsilon.hi), to: SIMD8<UInt64>.self) &>> 63
            // A cut in [lo, hi) is not settled by the bracket. One reduction: the count of cuts
            // above in the low byte, of unsettled ones from bit 8.
            let sum = (above | (underHigh & ~above) &<< 8).wrappedSum()
            if sum < 256 { return Int(sum) }
        } else {
            // Scales of more than 8 ratings, cut by cut.
            var state = 0, settled = true
            for k in 0..<count {
                let t = cuts[k] * s - m
                if epsilon.lo > t { state += 1 } else if !(epsilon.hi <= t) { settled = false }
            }
            if settled { return state }
        }
        // A cut inside the bracket: the exact ε_e.
        let exact = Normal.quantile(u)
        var state = 0
        for k in 0..<count where exact > cuts[k] * s - m { state += 1 }
        return state
    }
}
