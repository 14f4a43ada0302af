#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Thin wrappers so that inlinable model code needs no libc import at its call sites.
@inlinable @inline(__always) public func log1pPortable(_ x: Double) -> Double { log1p(x) }
@inlinable @inline(__always) public func expm1Portable(_ x: Double) -> Double { expm1(x) }
/// ln Γ(x) for x > 0.
@inlinable @inline(__always) public func logGamma(_ x: Double) -> Double {
    let value: Double = lgamma(x)
    return value
}
