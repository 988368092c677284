import ComplexModule
import RealModule

// The convolution kernel of a diagonal SSM (MATH.md §7): K_l = 2·Re Σ_n w_n e^(l·z_n), l < L,
// with z_n = log λ̄_n (= Δλ_n for zero-order hold) and w_n = C_n B̄_n. Powers come from a blocked
// table: e^(l z) = e^(bT·z) · e^(t·z) for l = bT + t. Table entries and block starts are evaluated
// directly in float64 (exp and cos/sin of the exact multiple) every `anchorPeriod` steps, and by at
// most anchorPeriod − 1 products with e^z (e^(Tz)) in between; the blocks are then one matrix
// product per channel. Every power is thus correct to
// a few tens of ulps at any l — no error growth along L as in a running product — and memory is
// the output plus O(N·T) per thread, whatever L.

/// Length of a block of the power table (shared with the kernel's reverse, KernelGradient.swift).
let blockLength = 128
/// Powers evaluated directly every this many steps or blocks (products in between).
let anchorPeriod = 8
/// Blocks whose coefficients are formed (and multiplied) together: bounds the work space.
let blockGroup = 32

/// K (H×L, row-major) from z and w (H×N each, row-major). `pairs`: conjugate-pair modes,
/// K = 2·Re Σ; otherwise K = Re Σ. Channels are split across threads.
/// In float32 the table entries and block coefficients are the float64 values rounded once and
/// the blocks are float32 matrix products: about 2N roundings per entry, ~1e-7 relative to the
/// largest term at any L.
/// Errors: `.size` (H, N or L < 1, or mismatched buffers), `.value` (non-finite z or w),
/// `.unstable` (K overflows: Re z > 0 modes grow as e^(l Re z)).
@specialized(where S == Double)
@specialized(where S == Float)
public func diagonalKernel<S: SequenceScalar>(H: Int, N: Int, L: Int, z: UnsafeBufferPointer<Complex<Double>>,
                                              w: UnsafeBufferPointer<Complex<Double>>, pairs: Bool,
                                              into K: UnsafeMutableBufferPointer<S>) throws {
    try require(H >= 1 && N >= 1 && L >= 1, .size, "H, N and L must be ≥ 1, got H = \(H), N = \(N), L = \(L)")
    let (hn, o1) = H.multipliedReportingOverflow(by: N), (hl, o2) = H.multipliedReportingOverflow(by: L)
    try require(!o1 && !o2 && z.count == hn && w.count == hn && K.count == hl, .size,
                "buffers of \(z.count), \(w.count) and \(K.count) entries for H = \(H), N = \(N), L = \(L)")
    for (k, v) in z.enumerated() where !(v.real.isFinite && v.imaginary.isFinite) {
        throw SSMError(.value, "z[\(k / N), \(k % N)] = \(v) is not finite")
    }
    for (k, v) in w.enumerated() where !(v.real.isFinite && v.imaginary.isFinite) {
        throw SSMError(.value, "w[\(k / N), \(k % N)] = \(v) is not finite")
    }
    let factor = pairs ? 2.0 : 1.0
    let T = min(blockLength, L)
    let zBase = z.baseAddress!, wBase = w.baseAddress!, kBase = K.baseAddress!
    let blocks = L / T, tail = L - blocks * T, rows = blocks + (tail > 0 ? 1 : 0)
    parallelFor(H) { channels in
        // Per thread: the table e^(t z_n), t < T, as 2N rows of T (real parts, then imaginary), and
        // per block b the coefficients c_n(b) = f·w_n·e^(bT z_n) as a row [Re c, −Im c]: then the
        // kernel's blocks are one matrix product, K[bT + t] = Σ_k coef[b, k]·table[k, t].
        var table = [S](repeating: 0, count: 2 * N * T)
        var coefficients = [S](repeating: 0, count: min(blockGroup, rows) * 2 * N)
        var anchor = [Complex<Double>](repeating: .zero, count: N), step = anchor
        for h in channels {
            let out = kBase + h * L
            for n in 0..<N {
                let zn = zBase[h * N + n]
                step[n] = power(zn, T)
                anchoredPowers(zn, count: T) { t, p in table[n * T + t] = S(p.real); table[(N + n) * T + t] = S(p.imaginary) }
            }
            // The coefficients of `blockGroup` blocks at a time, each group one matrix product:
            // the work space stays O(N·T) whatever L.
            var first = 0
            while first < rows {
                let group = min(blockGroup, rows - first)
                for g in 0..<group {
                    let b = first + g
                    for n in 0..<N {
                        anchor[n] = blockStart(b, zBase[h * N + n], T: T, previous: anchor[n], step: step[n])
                        let c = wBase[h * N + n] * anchor[n] * Complex(factor, 0)
                        coefficients[g * 2 * N + n] = S(c.real)
                        coefficients[g * 2 * N + N + n] = S(-c.imaginary)
                    }
                }
                let full = min(group, blocks - first)   // whole blocks in this group; the rest is the tail
                table.withUnsafeBufferPointer { tab in
                    coefficients.withUnsafeBufferPointer { coef in
                        if full > 0 {
                            S.matrixProduct(full, T, 2 * N, coef.baseAddress!, 2 * N, tab.baseAddress!, T, out + first * T, T)
                        }
                        if full < group {
                            for t in 0..<tail {
                                var sum = 0.0
                                for k in 0..<(2 * N) { sum += coef[full * 2 * N + k].doubleValue * tab[k * T + t].doubleValue }
                                out[blocks * T + t] = S(sum)
                            }
                        }
                    }
                }
                first += group
            }
        }
    }
    for k in 0..<hl where !kBase[k].isFinite {
        throw SSMError(.unstable, "the kernel overflows at channel \(k / L), l = \(k % L): a mode with Re z > 0 grows as e^(l·Re z)")
    }
}

/// e^(t·z) for t = 0 ..< count, each given to `body`: evaluated directly every `anchorPeriod` steps,
/// by products with e^z in between (a few ulps each, no growth with t).
@inline(__always)
func anchoredPowers(_ z: Complex<Double>, count: Int, _ body: (Int, Complex<Double>) -> Void) {
    let e = power(z, 1)
    var p = Complex<Double>(1, 0)
    for t in 0..<count {
        p = t % anchorPeriod == 0 ? power(z, t) : p * e
        body(t, p)
    }
}

/// The start e^(b·T·z) of block b: evaluated directly every `anchorPeriod` blocks, else the previous
/// block's start times `step` = e^(T·z).
@inline(__always)
func blockStart(_ b: Int, _ z: Complex<Double>, T: Int, previous: Complex<Double>, step: Complex<Double>) -> Complex<Double> {
    b % anchorPeriod == 0 ? power(z, b * T) : previous * step
}

/// e^(m·z) in float64: exp of the real part times cos/sin of the imaginary part, each of the exact
/// product m·z (one rounding) — accurate to a few ulps whatever m.
@inline(__always)
func power(_ z: Complex<Double>, _ m: Int) -> Complex<Double> {
    let k = Double(m)
    let magnitude = Double.exp(k * z.real), phase = k * z.imaginary
    return Complex(magnitude * Double.cos(phase), magnitude * Double.sin(phase))
}
