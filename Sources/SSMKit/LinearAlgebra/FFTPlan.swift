import RealModule
import Synchronization

// Plans for the complex FFT of any length: powers of two by a Stockham autosort (radix 4, one
// radix-2 pass when log₂ n is odd), other lengths by Bluestein's chirp-z through a power of two.
// Plans are immutable once built and cached per length, so concurrent callers share them.

/// e^(2πi·a/b) computed with exact integer argument reduction to the first octant, so every root
/// of unity is correct to about one ulp whatever the length (no cos(2πk/n) of a large argument).
func unitRoot(_ a: Int, _ b: Int) -> (cos: Double, sin: Double) {
    precondition(b > 0 && b <= 1 << 58)
    var a = a % b
    if a < 0 { a += b }
    // Reflect to [0, 1/2]: e^(2πi(b−a)/b) is the conjugate.
    let conjugate = 2 * a > b
    if conjugate { a = b - a }
    // Fraction a/b ∈ [0, 1/2]: past a quarter, rotate by π/2.
    var (num, den) = (a, b)
    var quarter = false
    if 4 * num > den { (num, den) = (4 * num - den, 4 * den); quarter = true }
    // Now num/den ∈ [0, 1/4]: past an eighth, use the complementary angle.
    var swap = false
    if 8 * num > den { (num, den) = (den - 4 * num, 4 * den); swap = true }
    let angle = 2 * Double.pi * (Double(num) / Double(den))
    var (c, s) = (Double.cos(angle), Double.sin(angle))
    if swap { (c, s) = (s, c) }
    if quarter { (c, s) = (-s, c) }
    return (c, conjugate ? -s : s)
}

/// What the Stockham passes compute with: one Double, or one SIMD lane per transform.
protocol FFTLane {
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Double) -> Self
    static prefix func - (a: Self) -> Self
}
extension Double: FFTLane {}
extension SIMD4: FFTLane where Scalar == Double {}

/// A complex FFT of one length n ≥ 1 (forward e^(−2πi jk/n), or inverse e^(+2πi jk/n), unscaled).
final class FFTPlan: Sendable {
    let n: Int
    /// Powers of two: w[k] = e^(−2πi k/n), k < n, interleaved (re, im).
    let twiddles: [Double]
    /// Other lengths: Bluestein's chirp c_j = e^(−πi j²/n) (interleaved), the power-of-two plan of
    /// length m ≥ 2n − 1, and the forward FFT of the conjugate chirp filter, divided by m.
    let chirp: [Double]
    let inner: FFTPlan?
    let filterSpectrum: [Double]

    init(n: Int) {
        precondition(n >= 1)
        self.n = n
        if n & (n - 1) == 0 {
            var w = [Double](repeating: 0, count: 2 * n)
            for k in 0..<n {
                let (c, s) = unitRoot(-k, n)
                w[2 * k] = c; w[2 * k + 1] = s
            }
            twiddles = w; chirp = []; inner = nil; filterSpectrum = []
            return
        }
        var m = 1
        while m < 2 * n - 1 { m <<= 1 }
        let plan = FFTPlan.shared(m)
        // j² mod 2n, kept exact by the recurrence (j+1)² = j² + 2j + 1.
        var c = [Double](repeating: 0, count: 2 * n)
        var square = 0
        for j in 0..<n {
            let (cs, sn) = unitRoot(-square, 2 * n)
            c[2 * j] = cs; c[2 * j + 1] = sn
            square = (square + 2 * j + 1) % (2 * n)
        }
        // Filter b_j = conj(c_j) for |j| < n, wrapped around m.
        var b = [Double](repeating: 0, count: 2 * m)
        for j in 0..<n {
            b[2 * j] = c[2 * j]; b[2 * j + 1] = -c[2 * j + 1]
            if j > 0 { b[2 * (m - j)] = c[2 * j]; b[2 * (m - j) + 1] = -c[2 * j + 1] }
        }
        var spectrum = [Double](repeating: 0, count: 2 * m)
        b.withUnsafeBufferPointer { input in
            spectrum.withUnsafeMutableBufferPointer { output in
                plan.transform(input.baseAddress!, output.baseAddress!, inverse: false)
            }
        }
        let scale = 1 / Double(m)
        for k in 0..<(2 * m) { spectrum[k] *= scale }
        twiddles = []; chirp = c; inner = plan; filterSpectrum = spectrum
    }

    /// Scratch (in Doubles) that `transform` needs.
    var scratchCount: Int { inner.map { 2 * 2 * $0.n + $0.scratchCount } ?? 2 * n }

    /// Transforms n interleaved complex values from `x` into `y` (they may be the same memory).
    func transform(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, inverse: Bool) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(scratchCount, 1)) { scratch in
            transform(x, y, inverse: inverse, scratch: scratch.baseAddress!)
        }
    }

    /// `transform` with caller scratch of `scratchCount` Doubles.
    func transform(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, inverse: Bool,
                   scratch: UnsafeMutablePointer<Double>) {
        if n == 1 { y[0] = x[0]; y[1] = x[1]; return }
        if let inner { bluestein(x, y, inverse: inverse, inner: inner, scratch: scratch); return }
        stockham(x, y, inverse: inverse, scratch: scratch)
    }

    /// Four transforms at once: lane buffers hold element k of the four rows as SIMD4 values
    /// (re at 2k, im at 2k + 1). Powers of two only.
    func transform4(_ x: UnsafePointer<SIMD4<Double>>, _ y: UnsafeMutablePointer<SIMD4<Double>>, inverse: Bool,
                    scratch: UnsafeMutablePointer<SIMD4<Double>>) {
        precondition(inner == nil)
        if n == 1 { y[0] = x[0]; y[1] = x[1]; return }
        stockham(x, y, inverse: inverse, scratch: scratch)
    }

    /// Radix-4 Stockham decimation in frequency (natural order in and out); one radix-2 pass when
    /// log₂ n is odd. Each pass reads one buffer and writes the other. `V` is one value per lane:
    /// Double for one transform, SIMD4<Double> for four transforms side by side (element k of lane
    /// buffer: real parts at 2k, imaginary parts at 2k + 1). Scratch: 2n values of V.
    func stockham<V: FFTLane>(_ x: UnsafePointer<V>, _ y: UnsafeMutablePointer<V>, inverse: Bool,
                              scratch: UnsafeMutablePointer<V>) {
        var passes = 0
        var length = n
        while length > 1 { length >>= (length >= 4 ? 2 : 1); passes += 1 }
        // Ping-pong so that the last pass writes y. In place with an odd number of passes, the first
        // pass would overwrite its own input: start from a copy in the scratch buffer instead.
        var src = UnsafeMutablePointer(mutating: x)
        var dst = passes % 2 == 1 ? y : scratch
        var other = passes % 2 == 1 ? scratch : y
        if passes % 2 == 1 && UnsafeRawPointer(x) == UnsafeRawPointer(y) {
            scratch.update(from: x, count: 2 * n)
            src = scratch; other = scratch
        }
        twiddles.withUnsafeBufferPointer { table in
            let w = table.baseAddress!
            var len = n, s = 1
            while len > 1 {
                if len >= 4 {
                    if inverse {
                        radix4Pass(src, dst, len: len, s: s, w: w, inverse: true)
                    } else {
                        radix4Pass(src, dst, len: len, s: s, w: w, inverse: false)
                    }
                    len /= 4; s *= 4
                } else {
                    // len == 2: a radix-2 pass with twiddle 1.
                    for q in 0..<s {
                        let ia = 2 * q, ib = 2 * (q + s)
                        let ar = src[ia], ai = src[ia + 1], br = src[ib], bi = src[ib + 1]
                        dst[ia] = ar + br; dst[ia + 1] = ai + bi
                        dst[ib] = ar - br; dst[ib + 1] = ai - bi
                    }
                    len /= 2; s *= 2
                }
                src = dst
                swap(&dst, &other)
            }
        }
    }

    /// One radix-4 pass of length `len` at stride `s` (len·s = n): for p < len/4 and q < s, the four
    /// points q + s(p + j·len/4) become q + s(4p + j), times w^(j·p·s). `inverse` is a constant after
    /// inlining (conjugate twiddles, −i instead of i). Groups with p = 0 skip the unit twiddles.
    @inline(__always)
    private func radix4Pass<V: FFTLane>(_ src: UnsafeMutablePointer<V>, _ dst: UnsafeMutablePointer<V>,
                                        len: Int, s: Int, w: UnsafePointer<Double>, inverse: Bool) {
        let q4 = len / 4, step = 2 * s * q4, o1 = 2 * s
        let sign: Double = inverse ? -1 : 1
        for p in 0..<q4 {
            let i1 = 2 * (p * s), i2 = 2 * i1, i3 = i1 + i2
            let w1r = w[i1], w1i = sign * w[i1 + 1], w2r = w[i2], w2i = sign * w[i2 + 1]
            let w3r = w[i3], w3i = sign * w[i3 + 1]
            let base = 2 * s * p, out = 2 * s * 4 * p
            for q in 0..<s {
                let ia = base + 2 * q, ib = ia + step, ic = ib + step, id = ic + step
                let ar = src[ia], ai = src[ia + 1], br = src[ib], bi = src[ib + 1]
                let cr = src[ic], ci = src[ic + 1], dr = src[id], di = src[id + 1]
                let apcR = ar + cr, apcI = ai + ci, amcR = ar - cr, amcI = ai - ci
                let bpdR = br + dr, bpdI = bi + di
                // j·(b − d) with j = i (forward) or −i (inverse).
                let jR = inverse ? bi - di : di - bi, jI = inverse ? dr - br : br - dr
                let o = out + 2 * q
                dst[o] = apcR + bpdR; dst[o + 1] = apcI + bpdI
                let x1R = amcR - jR, x1I = amcI - jI
                let x2R = apcR - bpdR, x2I = apcI - bpdI
                let x3R = amcR + jR, x3I = amcI + jI
                if p == 0 {
                    dst[o + o1] = x1R; dst[o + o1 + 1] = x1I
                    dst[o + 2 * o1] = x2R; dst[o + 2 * o1 + 1] = x2I
                    dst[o + 3 * o1] = x3R; dst[o + 3 * o1 + 1] = x3I
                } else {
                    dst[o + o1] = x1R * w1r - x1I * w1i; dst[o + o1 + 1] = x1R * w1i + x1I * w1r
                    dst[o + 2 * o1] = x2R * w2r - x2I * w2i; dst[o + 2 * o1 + 1] = x2R * w2i + x2I * w2r
                    dst[o + 3 * o1] = x3R * w3r - x3I * w3i; dst[o + 3 * o1 + 1] = x3R * w3i + x3I * w3r
                }
            }
        }
    }

    /// X_k = c_k · Σ_j (x_j c_j)·conj(c_(k−j)): a circular convolution of length m by FFT.
    /// The inverse transform is the conjugate of the forward one of the conjugate input.
    private func bluestein(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, inverse: Bool,
                           inner: FFTPlan, scratch: UnsafeMutablePointer<Double>) {
        let m = inner.n
        let a = scratch, spectrum = scratch + 2 * m, innerScratch = scratch + 4 * m
        let s: Double = inverse ? -1 : 1
        chirp.withUnsafeBufferPointer { c in
            for j in 0..<n {
                let xr = x[2 * j], xi = s * x[2 * j + 1], cr = c[2 * j], ci = c[2 * j + 1]
                a[2 * j] = xr * cr - xi * ci; a[2 * j + 1] = xr * ci + xi * cr
            }
            (a + 2 * n).update(repeating: 0, count: 2 * (m - n))
            inner.transform(a, spectrum, inverse: false, scratch: innerScratch)
            filterSpectrum.withUnsafeBufferPointer { f in
                for k in 0..<m {
                    let ur = spectrum[2 * k], ui = spectrum[2 * k + 1], vr = f[2 * k], vi = f[2 * k + 1]
                    spectrum[2 * k] = ur * vr - ui * vi; spectrum[2 * k + 1] = ur * vi + ui * vr
                }
            }
            inner.transform(spectrum, a, inverse: true, scratch: innerScratch)
            for k in 0..<n {
                let ur = a[2 * k], ui = a[2 * k + 1], cr = c[2 * k], ci = c[2 * k + 1]
                y[2 * k] = ur * cr - ui * ci; y[2 * k + 1] = s * (ur * ci + ui * cr)
            }
        }
    }

    // MARK: cache

    private static let cache = Mutex<[Int: FFTPlan]>([:])
    /// Plans kept: beyond this many lengths the cache starts over (plans in use stay alive).
    private static let maxCached = 64

    /// The plan for length n, built once and shared.
    static func shared(_ n: Int) -> FFTPlan {
        if let plan = cache.withLock({ $0[n] }) { return plan }
        let plan = FFTPlan(n: n)   // built outside the lock: building may ask for other plans
        return cache.withLock { plans in
            if let existing = plans[n] { return existing }
            if plans.count >= maxCached { plans.removeAll() }
            plans[n] = plan
            return plan
        }
    }
}
