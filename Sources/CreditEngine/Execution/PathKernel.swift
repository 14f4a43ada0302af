/// Simulates one block of paths: the hot loop of CreditSim, generic over the latent model and the
/// path outcome so that each combination is specialised (no existential calls per name or path).
///
/// Per chunk of `SimulationSettings.chunkSize` paths: the copula's mixing scales, the mixture
/// components (importance sampling), the factor normals, one matrix product for the systematic
/// part of every name; then per path one uniform per name, the path's weight, the screen, and the
/// outcome for the few names that pass. The draw order is fixed (scales, components, normals,
/// uniforms, chunk by chunk), so a block's results depend only on (seed, block index).
///
/// Memory rule: a kernel belongs to one worker; it owns its scratch buffers (allocated once) and
/// writes only `net`, `gross` and `weights` at `0..<count` of the block it runs.
import CreditMath
import CreditModel

final class PathKernel<Latent: LatentModel, Outcome: PathOutcome> {
    let latent: Latent
    let outcome: Outcome
    let mixing: CopulaMixing
    var sampler: ImportanceSampler?
    var observers: StandardObservers
    /// L (K × K row-major, LLᵀ = Σ) when each path's factors Z = Lξ are recorded.
    var factorSquareRoot: [Double]? {
        didSet { factorsAreIndependent = Self.isIdentity(factorSquareRoot) }
    }
    private var factorsAreIndependent = false
    private let guarantorSlots: Int
    /// Provider slots when figures are split by credit state.
    private let stateSlots: Int?

    private let scale: UnsafeMutableBufferPointer<Double>
    private let mixingUniforms: UnsafeMutableBufferPointer<Double>
    private let input: UnsafeMutableBufferPointer<Double>
    private let systematic: UnsafeMutableBufferPointer<Double>
    private let uniforms: UnsafeMutableBufferPointer<Double>
    private let candidates: UnsafeMutableBufferPointer<Int>
    private var outcomeScratch: Outcome.Scratch
    private var ledger: PathLedger

    init(latent: Latent, outcome: Outcome, mixing: CopulaMixing, sampler: ImportanceSampler?,
         observers: StandardObservers, providerSlots: Int, guarantorSlots: Int,
         sectorOfBond: [Int] = [], sectors: Int = 0, splitsStates: Bool = false) {
        self.latent = latent
        self.outcome = outcome
        self.mixing = mixing
        self.sampler = sampler
        self.observers = observers
        self.guarantorSlots = guarantorSlots
        stateSlots = splitsStates ? providerSlots : nil
        let chunk = SimulationSettings.chunkSize, n = latent.entityCount
        scale = .allocate(capacity: chunk)
        mixingUniforms = .allocate(capacity: max(mixing.drawsPerPath, 1))
        input = .allocate(capacity: max(chunk * latent.inputDimension, 1))
        systematic = .allocate(capacity: max(chunk * n, 1))
        uniforms = .allocate(capacity: max(n, 1))
        candidates = .allocate(capacity: max(n, 1))
        outcomeScratch = outcome.makeScratch()
        ledger = PathLedger(providerSlots: providerSlots, guarantorSlots: guarantorSlots,
                            recordsBonds: observers.contributions != nil, sectorOfBond: sectorOfBond, sectors: sectors,
                            splitsStates: splitsStates, recordsEvents: observers.events != nil)
    }

    deinit {
        scale.deallocate()
        mixingUniforms.deallocate()
        input.deallocate()
        systematic.deallocate()
        uniforms.deallocate()
        candidates.deallocate()
    }

    /// Runs block `block` (paths `firstPath..<firstPath + count`).
    func run(block: Int, firstPath: Int, count: Int, seed: UInt64,
             net: UnsafeMutablePointer<Double>, gross: UnsafeMutablePointer<Double>,
             weights: UnsafeMutablePointer<Double>?, factors: UnsafeMutablePointer<Float>? = nil,
             sectorLosses: UnsafeMutablePointer<Float>? = nil) -> BlockSummary {
        var rng = UniformStream(seed: seed, block: UInt64(block))
        var summary = BlockSummary(paths: count, guarantorSlots: guarantorSlots, stateSlots: stateSlots)
        // The block works on local copies of the kernel's parts and state: locals need no dynamic
        // exclusivity checks and no retains per call, as the class's stored properties would.
        let latent = self.latent, outcome = self.outcome, mixing = self.mixing, factorSquareRoot = self.factorSquareRoot
        var sampler = self.sampler, observers = self.observers
        sampler?.startBlock()
        var outcomeScratch = self.outcomeScratch, ledger = self.ledger
        defer {
            self.sampler = sampler
            self.observers = observers
            self.outcomeScratch = outcomeScratch
            self.ledger = ledger
        }
        let chunk = SimulationSettings.chunkSize
        let k = latent.inputDimension, n = latent.entityCount
        // Safe: every buffer was allocated with at least one element.
        let scaleBase = scale.baseAddress!, inputBase = input.baseAddress!, sysBase = systematic.baseAddress!
        let u = uniforms.baseAddress!, found = candidates.baseAddress!
        var r0 = 0
        while r0 < count {
            let rows = min(chunk, count - r0)
            mixing.drawScales(rows: rows, rng: &rng, scale: scaleBase, scratch: mixingUniforms.baseAddress!)
            sampler?.drawComponents(rows: rows, rng: &rng)
            rng.fill(inputBase, count: rows * k)
            for i in 0..<(rows * k) { inputBase[i] = Normal.quantile(inputBase[i]) }
            sampler?.shiftNormals(inputBase, rows: rows, dimension: k)
            if let factors, let l = factorSquareRoot {
                recordFactors(inputBase, rows: rows, dimension: k, l: l, into: factors + r0 * k)
            }
            latent.systematic(input: inputBase, rows: rows, into: sysBase)
            for r in 0..<rows {
                let sys = UnsafePointer(sysBase + r * n), s = scaleBase[r]
                let path = firstPath + r0 + r
                if latent.drawsIdiosyncraticUniforms { rng.fill(u, count: n) }
                let weight = sampler?.weight(row: r, latent: latent, sys: sys, uniforms: u, scale: s) ?? .one
                weights?[r0 + r] = weight.value
                let candidates = outcome.screen(latent: latent, sys: sys, uniforms: u, scale: s, into: found)
                guard candidates > 0 else {
                    net[r0 + r] = 0
                    gross[r0 + r] = 0
                    continue
                }
                let loss = outcome.evaluate(candidates: found, count: candidates, latent: latent, sys: sys, uniforms: u,
                                            scale: s, path: path, seed: seed, scratch: &outcomeScratch, ledger: &ledger)
                net[r0 + r] = loss.net
                gross[r0 + r] = loss.gross
                observers.observe(path: path, net: loss.net, gross: loss.gross, ledger: ledger, weight: weight, into: &summary)
                if let sectorLosses {
                    let width = ledger.sectorLoss.count
                    for j in 0..<width { sectorLosses[(r0 + r) * width + j] = Float(ledger.sectorLoss[j]) }
                }
                ledger.reset()
            }
            r0 += rows
        }
        observers.finishBlock(into: &summary)
        return summary
    }

    /// Z = Lξ per path (the drawn ξ, shifted under importance sampling), as Float: enough for
    /// tail means and exports, at half the memory.
    private func recordFactors(_ xi: UnsafePointer<Double>, rows: Int, dimension k: Int, l: [Double],
                               into out: UnsafeMutablePointer<Float>) {
        if factorsAreIndependent {
            // Σ = I: L = I and Z = ξ.
            for i in 0..<(rows * k) { out[i] = Float(xi[i]) }
            return
        }
        l.withUnsafeBufferPointer { lb in
            // Safe: lb holds k × k values (k > 0 here), xi rows × k, out rows × k.
            let lp = lb.baseAddress!
            for r in 0..<rows {
                for i in 0..<k {
                    var z = 0.0
                    for j in 0..<k { z += lp[i * k + j] * xi[r * k + j] }
                    out[r * k + i] = Float(z)
                }
            }
        }
    }

    /// Whether L is the identity (uncorrelated factors), so that recording Z copies ξ.
    private static func isIdentity(_ l: [Double]?) -> Bool {
        guard let l else { return false }
        let k = Int(Double(l.count).squareRoot())
        for i in 0..<k { for j in 0..<k where l[i * k + j] != (i == j ? 1 : 0) { return false } }
        return true
    }
}
