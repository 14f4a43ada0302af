/// When a name's credit events happen on a path, from the survival value 1 − U_e of its copula
/// uniform: the hard-default time τ_D of its default probability (computed once per path and
/// name, since a provider's τ_D is needed by every bond it covers) and, for a name that can
/// extend, the time τ_C of its combined credit-event probability (pd + extension_pd). The
/// ladder decides which of the two events a name has (see <doc:CreditStates>).
import CreditMath
import CreditModel

struct CreditEventClock<Timing: DefaultTimeModel>: Sendable {
    let hardDefault: Timing
    /// The combined event's times; meaningful for names that extend only.
    let creditEvent: Timing
    let mixing: CopulaMixing

    /// 1 − U_e on this path: Φ(−X_e) or T_ν(−X_e/s), at full precision near U_e = 1.
    @inline(__always)
    func survival<Latent: LatentModel>(_ e: Int, latent: Latent, sys: UnsafePointer<Double>,
                                       uniforms: UnsafePointer<Double>, scale s: Double) -> Double {
        mixing.survival(latent: latent.latentValue(e, sys: sys, uniforms: uniforms), scale: s)
    }

    /// τ_D of e on this path, computed the first time it is asked for.
    @inline(__always)
    func defaultTime<Latent: LatentModel>(_ e: Int, latent: Latent, sys: UnsafePointer<Double>,
                                          uniforms: UnsafePointer<Double>, scale s: Double,
                                          times: inout DefaultTimeCache) -> Double {
        times.time(e) { e in
            hardDefault.defaultTime(e, survival: survival(e, latent: latent, sys: sys, uniforms: uniforms, scale: s))
        }
    }

    /// τ_C of e on this path (not cached: only an extension asks for it, once).
    @inline(__always)
    func extensionTime<Latent: LatentModel>(_ e: Int, latent: Latent, sys: UnsafePointer<Double>,
                                            uniforms: UnsafePointer<Double>, scale s: Double) -> Double {
        creditEvent.defaultTime(e, survival: survival(e, latent: latent, sys: sys, uniforms: uniforms, scale: s))
    }
}
