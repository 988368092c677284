import RealModule

// The exact GELU of the deep model, x·Φ(x) (PyTorch's default), and its derivative Φ(x) + x·φ(x),
// with Φ(x) = erfc(−x/√2)/2 and φ the standard normal density.
// float64: libm's erfc and exp per value. float32: eight values at a time in SIMD lanes (libm's
// erff and expf took 15% of a float32 training step), with
//   erfc(z) = τ·exp(−z² + P(τ)),  τ = 1/(1 + z/2),  z ≥ 0,
// P a degree-9 polynomial (Numerical Recipes' `erfcc`, a Chebyshev fit; relative error < 1.2e-7
// for every z ≥ 0, 1.04e-7 measured against scipy.special.erfc), and exp by range reduction
// x = k·ln 2 + r, |r| ≤ ln 2/2, and a degree-7 Taylor polynomial (truncation 5e-9). Against the
// float64 GELU: within 1e-7 of max(1, |x|) (float32 rounding), and in the left tail within ~x²·6e-8
// relative (the exponent −x²/2 rounded in float32: 6e-6 at x = −8, where x·Φ(x) is 5e-15).

/// GELU(x) and its derivative.
@inline(__always)
func geluAndSlope<S: SequenceScalar>(_ x: S) -> (S, S) {
    let cdf = 0.5 * S.erfc(-x * S(0.70710678118654752440))
    let density = S.exp(-0.5 * x * x) * S(0.39894228040143267794)
    return (x * cdf, cdf + x * density)
}

/// activation[i], slope[i] = GELU(s[i]) and its derivative for i < count, split across threads.
func geluAndSlope<S: SequenceScalar>(_ s: UnsafePointer<S>, count: Int, activation: UnsafeMutablePointer<S>,
                                     slope: UnsafeMutablePointer<S>) {
    if S.self == Float.self {
        let x = UnsafeRawPointer(s).assumingMemoryBound(to: Float.self)
        let a = UnsafeMutableRawPointer(activation).assumingMemoryBound(to: Float.self)
        let g = UnsafeMutableRawPointer(slope).assumingMemoryBound(to: Float.self)
        inParallelRanges(count) { range in
            var i = range.lowerBound
            while i + 8 <= range.upperBound {
                let (v, d) = geluAndSlope8(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self))
                UnsafeMutableRawPointer(a + i).storeBytes(of: v, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(g + i).storeBytes(of: d, as: SIMD8<Float>.self)
                i += 8
            }
            // The tail through the same lanes, so a value's result does not depend on its position.
            while i < range.upperBound {
                let (v, d) = geluAndSlope8(SIMD8(repeating: x[i]))
                a[i] = v[0]; g[i] = d[0]; i += 1
            }
        }
        return
    }
    inParallelRanges(count) { range in for i in range { (activation[i], slope[i]) = geluAndSlope(s[i]) } }
}

/// GELU and its derivative of eight float32 values. (Polynomials written out and clamps as
/// selects: array literals and `clamped` kept the lanes from staying in registers.)
@inline(__always)
func geluAndSlope8(_ x: SIMD8<Float>) -> (SIMD8<Float>, SIMD8<Float>) {
    let z: SIMD8<Float> = x.replacing(with: -x, where: x .< 0) * 0.70710678   // |x|/√2
    let t: SIMD8<Float> = 1 / (0.5 * z + 1)
    var p: SIMD8<Float> = t * 0.17087277 - 0.82215223
    p = p * t + 1.48851587; p = p * t - 1.13520398; p = p * t + 0.27886807; p = p * t - 0.18628806
    p = p * t + 0.09678418; p = p * t + 0.37409196; p = p * t + 1.00002368
    let exponent: SIMD8<Float> = p * t - z * z - 1.26551223
    let halfErfc: SIMD8<Float> = 0.5 * t * exp8(exponent)     // Φ(−|x|)
    let cdf = halfErfc.replacing(with: 1 - halfErfc, where: x .>= 0)
    let square: SIMD8<Float> = x * x * -0.5
    let density: SIMD8<Float> = exp8(square) * 0.39894228
    return (x * cdf, cdf + x * density)
}

/// e^a for eight float32 values (relative error ~1e-7; arguments below −87.3, where e^a is below
/// the smallest normal float, give about 1e-38 instead of a subnormal or 0).
@inline(__always)
func exp8(_ a: SIMD8<Float>) -> SIMD8<Float> {
    let low = SIMD8<Float>(repeating: -87.3), high = SIMD8<Float>(repeating: 88.7)
    let a = a.replacing(with: low, where: a .< low).replacing(with: high, where: a .> high)
    // k = round(a/ln 2) by adding and subtracting 1.5·2^23 (the integer lands in the low mantissa bits).
    let magic = SIMD8<Float>(repeating: 12_582_912)
    let shifted = a * 1.44269504 + magic
    let k = shifted - magic
    // r = a − k·ln 2 with ln 2 split in two (Cody–Waite): the first product is exact.
    let r = (a - k * 0.693359375) + k * 2.12194440e-4
    var p: SIMD8<Float> = r * (1 / 5040) + 1 / 720
    p = p * r + 1 / 120; p = p * r + 1 / 24; p = p * r + 1 / 6; p = p * r + 0.5; p = p * r + 1; p = p * r + 1
    let exponent = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
    return p * unsafeBitCast(exponent, to: SIMD8<Float>.self)
}
