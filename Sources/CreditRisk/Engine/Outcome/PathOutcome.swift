/// What a path is worth to the holder, given the names the latent model screened: today the
/// default loss (`DefaultLoss`); a market value under rating migration plugs in here next.
///
/// Conformers are immutable and shared by all workers; each worker owns a `Scratch` for its
/// per-path caches. `evaluate` books provider payouts, capacity cuts, premium shortfall and
/// (when recording) per-bond losses in the ledger, and returns the path's net and gross loss.
protocol PathOutcome: Sendable {
    associatedtype Scratch
    func makeScratch() -> Scratch

    func evaluate<Latent: LatentModel>(
        candidates: UnsafePointer<Int>, count: Int, latent: Latent,
        sys: UnsafePointer<Double>, uniforms: UnsafePointer<Double>, scale: Double,
        path: Int, seed: UInt64, scratch: inout Scratch, ledger: inout PathLedger
    ) -> (net: Double, gross: Double)
}
