/// The latent variables X_e of one path and the tests made on them: the systematic part from one
/// matrix product per chunk of paths, the screen that finds the few names that may default, and
/// the exact decisions for those names.
///
/// Conformers are value types specialised into `PathKernel`, so the hot loop has no dynamic
/// dispatch: `FactorLatent` (X_e = w_eᵀZ + σ_e ε_e) and `CorrelatedLatent` (X = Cε). The copula's
/// mixing variable enters as the per-path `scale` s (1 for Gaussian, √(W/ν) for Student-t), and
/// the default event of entity e by its longest window is X_e ≤ c_e·s.
///
/// Pointer rule: `sys` points at the path's n systematic values and `uniforms` at its n
/// idiosyncratic uniforms (unused by models without them); both stay valid for the whole path.
import CreditMath
import CreditModel

package protocol LatentModel: Sendable {
    var entityCount: Int { get }
    /// Columns of the product's input per path: K factors, or n entities in full mode.
    var inputDimension: Int { get }
    /// Whether each path draws one idiosyncratic uniform per name (after its factor normals).
    var drawsIdiosyncraticUniforms: Bool { get }

    /// Systematic values of `rows` paths, `rows × n` row-major, from their normals `rows × k`.
    func systematic(input: UnsafeMutablePointer<Double>, rows: Int, into sys: UnsafeMutablePointer<Double>)

    /// Writes the names that may default by their longest window into `candidates`, in index
    /// order; returns how many. A superset of the defaulters: the exact decision is
    /// `defaultsByLongestWindow`. `candidates` holds n entries; a screen may write scratch past
    /// the count it returns (vector stores), never past n.
    func screen(sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale: Double,
                into candidates: UnsafeMutablePointer<Int>) -> Int

    /// Market mode: writes the names that may leave their rating's band into `candidates`, in
    /// index order; returns how many. Name e keeps its rating iff lower_e·s < X_e/σ_e ≤ upper_e·s
    /// (the cuts around its current state, divided by σ_e; −∞/+∞ for an open side, lower = +∞ to
    /// force e through). A superset of the movers: a name left out would get `stay` from
    /// `migrationState`.
    func screenMovers(lower: UnsafePointer<Double>, upper: UnsafePointer<Double>, sys: UnsafePointer<Double>,
                      uniforms: UnsafePointer<Double>, scale: Double, into candidates: UnsafeMutablePointer<Int>) -> Int

    /// Whether e defaults by its longest window (X_e ≤ c_e·s), without its default time.
    func defaultsByLongestWindow(_ e: Int, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>,
                                 scale: Double) -> Bool

    /// X_e on the copula's unscaled latent axis (divide by `scale` for the Student-t variable).
    func latentValue(_ e: Int, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>) -> Double

    /// The probability importance sampling twists for the event X_e ≤ cut·σ_e·s on this path,
    /// for `cut` on the latent scale divided by σ_e (as the thresholds are kept): any value
    /// fixed by the path's factors and scale keeps the estimates unbiased (the weight is the
    /// likelihood ratio of the remapped uniform, whatever p it was remapped around), so it is
    /// P(X_e ≤ cut·σ_e·s | factors, s) read from a table rather than computed.
    func twistProbability(_ e: Int, below cut: Double, sys: UnsafePointer<Double>, scale: Double) -> Double

    /// Migration state of e (market valuation): the smallest k with X_e ≤ c_k·s, or `count` when
    /// X_e lies above every cut. `cuts` holds c_k/σ_e, ascending (±∞ allowed), with σ_e the
    /// idiosyncratic weight of e (1 in full mode), padded with +∞ to a multiple of 8 so that it
    /// can be read eight at a time; `stay` is the likely answer (a scan may start there).
    func migrationState(_ e: Int, cuts: UnsafePointer<Double>, count: Int, stay: Int,
                        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale: Double) -> Int
}
