/// What a path is worth to the holder, given the names the latent model screened: the credit-state
/// outcome (`CreditStates`), in default or market valuation.
///
/// Conformers are immutable and shared by all workers; each worker owns a `Scratch` for its
/// per-path caches. `evaluate` books provider payouts, capacity cuts, premium shortfall and
/// (when recording) per-bond losses in the ledger, and returns the path's net and gross loss.
import CreditMath
import CreditModel

protocol PathOutcome: Sendable {
    associatedtype Scratch
    func makeScratch() -> Scratch

    /// Writes the names `evaluate` must see on this path into `candidates` (a superset of those
    /// with a non-zero outcome, in index order); returns how many.
    func screen<Latent: LatentModel>(latent: Latent, sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>,
                                     scale: Double, into candidates: UnsafeMutablePointer<Int>) -> Int

    func evaluate<Latent: LatentModel>(
        candidates: UnsafePointer<Int>, count: Int, latent: Latent,
        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale: Double,
        path: Int, seed: UInt64, scratch: inout Scratch, ledger: inout PathLedger
    ) -> (net: Double, gross: Double)
}
