import ComplexModule
import RealModule
import Synchronization

// Discrete Fourier transforms of any length, numpy.fft's conventions: forward
// X_k = Σ_j x_j e^(−2πi jk/n), inverse x_j = (1/n) Σ_k X_k e^(+2πi jk/n); real-input transforms
// return (and take) the n/2 + 1 non-negative frequencies. Batches are `count` contiguous rows.
// Plans (FFTPlan.swift) are cached per length and shared between threads.

/// The forward DFT of a complex sequence (numpy.fft.fft).
public func fft(_ x: [Complex<Double>]) throws -> [Complex<Double>] { try complexTransform(x, inverse: false) }

/// The inverse DFT, scaled by 1/n (numpy.fft.ifft).
public func ifft(_ x: [Complex<Double>]) throws -> [Complex<Double>] { try complexTransform(x, inverse: true) }

/// The DFT of a real sequence: its n/2 + 1 non-negative frequencies (numpy.fft.rfft).
public func rfft(_ x: [Double]) throws -> [Complex<Double>] {
    var out = [Complex<Double>](repeating: .zero, count: x.count / 2 + 1)
    try x.withUnsafeBufferPointer { input in
        try out.withUnsafeMutableBufferPointer { try rfft(n: x.count, count: 1, input, into: $0) }
    }
    return out
}

/// The real sequence of length n whose rfft is `x` (n/2 + 1 values; numpy.fft.irfft with n).
/// The imaginary parts of the zero frequency and, for even n, of the Nyquist frequency are ignored.
public func irfft(_ x: [Complex<Double>], n: Int) throws -> [Double] {
    try require(n >= 1, .size, "irfft needs n ≥ 1, got \(n)")
    var out = [Double](repeating: 0, count: n)
    try x.withUnsafeBufferPointer { input in
        try out.withUnsafeMutableBufferPointer { try irfft(n: n, count: 1, input, into: $0) }
    }
    return out
}

private func complexTransform(_ x: [Complex<Double>], inverse: Bool) throws -> [Complex<Double>] {
    var out = x
    try x.withUnsafeBufferPointer { input in
        try out.withUnsafeMutableBufferPointer { try fft(n: x.count, count: 1, input, into: $0, inverse: inverse) }
    }
    return out
}

/// Checks a batch's sizes: count ≥ 1 rows of `inRow` and `outRow` entries in buffers of exactly
/// that many (no overflow).
private func requireBatch(n: Int, count: Int, inRow: Int, outRow: Int, inCount: Int, outCount: Int) throws {
    try require(n >= 1, .size, "the transform length n must be ≥ 1, got \(n)")
    try require(count >= 1, .size, "the batch count must be ≥ 1, got \(count)")
    let (inTotal, o1) = count.multipliedReportingOverflow(by: inRow)
    let (outTotal, o2) = count.multipliedReportingOverflow(by: outRow)
    try require(!o1 && !o2, .size, "count × n overflows (count = \(count), n = \(n))")
    try require(inCount == inTotal && outCount == outTotal, .size,
                "buffers of \(inCount) in and \(outCount) out entries for \(count) rows of \(inRow) in, \(outRow) out")
}

/// Rows are transformed two at a time (one SIMD2 lane each, one SSE register per value) when the
/// length has a direct plan.
private let laneWidth = 2

/// Runs `body` on ranges of rows split across threads (groups of `laneWidth` rows; each thread at least
/// about 64k points, so small batches stay on the calling thread).
private func splitRows(_ count: Int, n: Int, _ body: (Range<Int>) -> Void) {
    let groups = (count + laneWidth - 1) / laneWidth
    parallelFor(groups, minimumPerThread: max(1, (1 << 16) / (laneWidth * max(n, 1)))) { g in
        body((g.lowerBound * laneWidth)..<min(count, g.upperBound * laneWidth))
    }
}

/// `count` rows of n complex values from `x` into `y` (the same memory is allowed): forward, or
/// inverse scaled by 1/n.
public func fft(n: Int, count: Int, _ x: UnsafeBufferPointer<Complex<Double>>,
                into y: UnsafeMutableBufferPointer<Complex<Double>>, inverse: Bool = false) throws {
    try requireBatch(n: n, count: count, inRow: n, outRow: n, inCount: x.count, outCount: y.count)
    let plan = FFTPlan.shared(n)
    let scale = inverse ? 1 / Double(n) : 1
    let input = UnsafeRawPointer(x.baseAddress!).assumingMemoryBound(to: Double.self)
    let output = UnsafeMutableRawPointer(y.baseAddress!).assumingMemoryBound(to: Double.self)
    let lanes = plan.inner == nil && n > 1 && count >= laneWidth
    let doubles = max(plan.scratchCount, lanes ? 4 * n * laneWidth : 0)
    splitRows(count, n: n) { range in
    withScratch(bytes: doubles * MemoryLayout<Double>.stride) { raw in
        var r = range.lowerBound
        let count = range.upperBound
        if lanes {
            let v = raw.bindMemory(to: SIMD2<Double>.self, capacity: 4 * n)
            while r + laneWidth <= count {
                // Two rows in SIMD2 lanes: the first pass reads the rows, the last writes them.
                let r0 = input + 2 * n * r, o0 = output + 2 * n * r
                plan.transform(RowPair(r0, r0 + 2 * n), RowPair(o0, o0 + 2 * n), inverse: inverse, a: v, b: v + 2 * n)
                if inverse { for k in 0..<(4 * n) { o0[k] *= scale } }
                r += laneWidth
            }
        }
        let scratch = raw.bindMemory(to: Double.self, capacity: doubles)
        while r < count {
            let out = output + 2 * n * r
            plan.transform(input + 2 * n * r, out, inverse: inverse, scratch: scratch)
            if inverse { for k in 0..<(2 * n) { out[k] *= scale } }
            r += 1
        }
    }
    }
}

/// `count` rows of n reals from `x` into rows of n/2 + 1 complex values in `y`.
public func rfft(n: Int, count: Int, _ x: UnsafeBufferPointer<Double>,
                 into y: UnsafeMutableBufferPointer<Complex<Double>>) throws {
    try requireBatch(n: n, count: count, inRow: n, outRow: n / 2 + 1, inCount: x.count, outCount: y.count)
    let plan = RealFFTPlan.shared(n)
    let output = UnsafeMutableRawPointer(y.baseAddress!).assumingMemoryBound(to: Double.self)
    let half = 2 * (n / 2 + 1)   // Doubles per output row
    splitRows(count, n: n) { range in
    withScratch(bytes: plan.scratchCount(count: count) * MemoryLayout<Double>.stride) { raw in
        var r = range.lowerBound
        let count = range.upperBound
        if plan.laneCapable && count - r >= laneWidth {
            while r + laneWidth <= count {
                plan.forward2(rows: x.baseAddress! + n * r, outputs: output + half * r, scratch: raw)
                r += laneWidth
            }
        }
        let scratch = raw.bindMemory(to: Double.self, capacity: plan.scratchCount(count: 1))
        while r < count {
            plan.forward(x.baseAddress! + n * r, output + half * r, scratch: scratch)
            r += 1
        }
    }
    }
}

/// `count` rows of n/2 + 1 complex values from `x` into rows of n reals in `y`, scaled by 1/n.
public func irfft(n: Int, count: Int, _ x: UnsafeBufferPointer<Complex<Double>>,
                  into y: UnsafeMutableBufferPointer<Double>) throws {
    try requireBatch(n: n, count: count, inRow: n / 2 + 1, outRow: n, inCount: x.count, outCount: y.count)
    let plan = RealFFTPlan.shared(n)
    let input = UnsafeRawPointer(x.baseAddress!).assumingMemoryBound(to: Double.self)
    let half = 2 * (n / 2 + 1)
    splitRows(count, n: n) { range in
    withScratch(bytes: plan.scratchCount(count: count) * MemoryLayout<Double>.stride) { raw in
        var r = range.lowerBound
        let count = range.upperBound
        if plan.laneCapable && count - r >= laneWidth {
            while r + laneWidth <= count {
                plan.inverse2(rows: input + half * r, outputs: y.baseAddress! + n * r, scratch: raw)
                r += laneWidth
            }
        }
        let scratch = raw.bindMemory(to: Double.self, capacity: plan.scratchCount(count: 1))
        while r < count {
            plan.inverse(input + half * r, y.baseAddress! + n * r, scratch: scratch)
            r += 1
        }
    }
    }
}

/// A real-input FFT of length n. Even n: a complex FFT of length h = n/2 on the even and odd
/// samples as real and imaginary parts, then one pass with the twiddles e^(−2πik/n), k ≤ h. Odd n:
/// the complex FFT of length n.
final class RealFFTPlan: Sendable {
    let n: Int
    let complex: FFTPlan
    /// Even n: e^(−2πik/n) for k = 0…n/2, interleaved; and rounded to Float.
    let twiddles: TwiddleTables

    init(n: Int) {
        self.n = n
        if n % 2 == 0 {
            complex = FFTPlan.shared(n / 2, largest: 4)   // radix ≤ 4: rows run in SIMD2 lanes
            var w = [Double](repeating: 0, count: 2 * (n / 2 + 1))
            for k in 0...(n / 2) { let (c, s) = unitRoot(-k, n); w[2 * k] = c; w[2 * k + 1] = s }
            twiddles = TwiddleTables(w)
        } else {
            complex = FFTPlan.shared(n)
            twiddles = TwiddleTables([])
        }
    }

    /// Two rows at once: even n whose half length has a direct plan above 1.
    var laneCapable: Bool { n % 2 == 0 && complex.inner == nil && complex.n > 1 }

    /// Doubles of scratch for `count` rows (the two-row path when it applies).
    func scratchCount(count: Int) -> Int {
        let single = 2 * 2 * complex.n + complex.scratchCount
        return laneCapable && count >= laneWidth ? max(single, 4 * complex.n * laneWidth) : single
    }

    /// X_k = E_k + e^(−2πik/n)·O_k for k = 0…h from Z = FFT_h(z), z_j = x_2j + i x_2j+1, with
    /// E_k = (Z_k + conj Z_(h−k))/2 and O_k = (Z_k − conj Z_(h−k))/2i. Pairs k, h − k share their
    /// loads: E_(h−k) = conj E_k, O_(h−k) = conj O_k and e^(−2πi(h−k)/n) = −conj e^(−2πik/n), so
    /// X_(h−k) = conj(E_k − e^(−2πik/n)·O_k). `x` (h + 1 values) may be `z` itself.
    @inline(__always)
    private func untangle<Out: FFTSink>(_ z: UnsafePointer<Out.V>, _ x: Out) {
        let h = n / 2
        twiddles.with(Out.V.self) { w in
            // X_0 = Re Z_0 + Im Z_0 and X_h = Re Z_0 − Im Z_0, both real.
            let z0r = z[0], z0i = z[1]
            x.store(0, z0r + z0i, .zero); x.store(2 * h, z0r - z0i, .zero)
            var k = 1
            while 2 * k <= h {
                let j = h - k
                let zr = z[2 * k], zi = z[2 * k + 1], cr = z[2 * j], ci = -z[2 * j + 1]   // Z_k, conj(Z_(h−k))
                let er = (zr + cr) * 0.5, ei = (zi + ci) * 0.5
                let or = (zi - ci) * 0.5, oi = (cr - zr) * 0.5
                let wr = w[2 * k], wi = w[2 * k + 1]
                let tr = or * wr - oi * wi, ti = oi * wr + or * wi
                x.store(2 * k, er + tr, ei + ti)
                if j != k { x.store(2 * j, er - tr, ti - ei) }
                k += 1
            }
        }
    }

    /// The inverse of `untangle`, times `scale`: Z_k = E_k + i·O_k for k < h with
    /// E_k = (X_k + conj X_(h−k))/2 and O_k = e^(+2πik/n)(X_k − conj X_(h−k))/2, in pairs as there:
    /// Z_(h−k) = conj(E_k − i·O_k). Im X_0 and Im X_h are ignored. `z` (h values) may be `x` itself.
    @inline(__always)
    private func tangle<In: FFTSource>(_ x: In, _ z: UnsafeMutablePointer<In.V>, scale: In.V.Real) {
        let h = n / 2
        let half = 0.5 * scale
        twiddles.with(In.V.self) { w in
            let x0 = x.load(0).0, xh = x.load(2 * h).0
            z[0] = (x0 + xh) * half; z[1] = (x0 - xh) * half
            var k = 1
            while 2 * k <= h {
                let j = h - k
                let (xr, xi) = x.load(2 * k), (cr, xji) = x.load(2 * j)   // X_k, X_(h−k)
                let ci = -xji                                               // Im conj(X_(h−k))
                let er = (xr + cr) * half, ei = (xi + ci) * half
                let dr = (xr - cr) * half, di = (xi - ci) * half
                let wr = w[2 * k], wi = In.V.negate(w[2 * k + 1])
                let or = dr * wr - di * wi, oi = di * wr + dr * wi
                z[2 * k] = er - oi; z[2 * k + 1] = ei + or
                if j != k { z[2 * j] = er + oi; z[2 * j + 1] = or - ei }
                k += 1
            }
        }
    }

    /// n reals at x → n/2 + 1 complex values (interleaved) at y.
    func forward(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        let z = scratch, rest = scratch + 2 * complex.n
        if n % 2 == 1 {
            for j in 0..<n { z[2 * j] = x[j]; z[2 * j + 1] = 0 }
            let full = rest, inner = rest + 2 * n
            complex.transform(z, full, inverse: false, scratch: inner)
            y.update(from: full, count: 2 * (n / 2 + 1))
            y[1] = 0   // X_0 of real input is real: no rounding residue
            return
        }
        // The n reals, read as h complex values (x_2j + i x_2j+1), transformed.
        complex.transform(x, z, inverse: false, scratch: rest)
        untangle(UnsafePointer(z), LaneBuffer(y))
    }

    /// Two consecutive rows of n reals → two consecutive rows of n/2 + 1 complex values; `scratch` as
    /// `scratchCount(count: 2)`. The first pass reads the rows, `untangle` writes the outputs.
    func forward2(rows: UnsafePointer<Double>, outputs: UnsafeMutablePointer<Double>, scratch raw: UnsafeMutableRawPointer) {
        let h = n / 2
        let a = raw.bindMemory(to: SIMD2<Double>.self, capacity: 4 * h), b = a + 2 * h
        let z = complex.freeBuffer(a, b)
        complex.transform(RowPair(rows, rows + n), LaneBuffer(z), inverse: false, a: a, b: b)
        untangle(UnsafePointer(z), RowPair(outputs, outputs + 2 * (h + 1)))
    }

    /// Four float32 rows in SIMD4<Float> lanes (`gather4`): n reals in `q` → their n/2 + 1 complex
    /// values, returned in `p` or `q` (each needs room for n/2 + 1 complex values, 2(n/2 + 1) lanes).
    func forward4(_ p: UnsafeMutablePointer<SIMD4<Float>>, _ q: UnsafeMutablePointer<SIMD4<Float>>)
        -> UnsafeMutablePointer<SIMD4<Float>> {
        let z = complex.freeBuffer(p, q)   // the input q is read by the first pass only
        complex.transform(LaneBuffer(q), LaneBuffer(z), inverse: false, a: p, b: q)
        untangle(UnsafePointer(z), LaneBuffer(z))
        return z
    }

    /// Four spectra in lanes at `x` (one of two buffers `x`, `other` as in `forward4`) → n reals
    /// each, scaled by 1/n, returned in `x` or `other`. `x` is overwritten.
    func inverse4(_ x: UnsafeMutablePointer<SIMD4<Float>>, other: UnsafeMutablePointer<SIMD4<Float>>)
        -> UnsafeMutablePointer<SIMD4<Float>> {
        tangle(LaneBuffer(x), x, scale: 2 / Float(n))
        let z = complex.freeBuffer(other, x)
        complex.transform(LaneBuffer(x), LaneBuffer(z), inverse: true, a: other, b: x)
        return z
    }

    /// n/2 + 1 complex values at x → n reals at y, scaled by 1/n (Hermitian input assumed; the
    /// imaginary parts of X_0 and, for even n, X_(n/2) are ignored).
    func inverse(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        let z = scratch, rest = scratch + 2 * complex.n
        let scale = 1 / Double(n)
        if n % 2 == 1 {
            let half = n / 2
            z[0] = x[0]; z[1] = 0
            if half >= 1 {
                for k in 1...half {
                    z[2 * k] = x[2 * k]; z[2 * k + 1] = x[2 * k + 1]
                    z[2 * (n - k)] = x[2 * k]; z[2 * (n - k) + 1] = -x[2 * k + 1]
                }
            }
            let full = rest, inner = rest + 2 * n
            complex.transform(z, full, inverse: true, scratch: inner)
            for j in 0..<n { y[j] = full[2 * j] * scale }
            return
        }
        // The unscaled inverse of length h returns h·(x_2j + i x_2j+1): scale by 1/h = 2/n first.
        tangle(LaneBuffer(x), z, scale: 2 * scale)
        complex.transform(z, y, inverse: true, scratch: rest)
    }

    /// Two consecutive rows of n/2 + 1 complex values → two consecutive rows of n reals; as `inverse`.
    /// `tangle` reads the rows, the last pass writes the outputs.
    func inverse2(rows: UnsafePointer<Double>, outputs: UnsafeMutablePointer<Double>, scratch raw: UnsafeMutableRawPointer) {
        let h = n / 2
        let a = raw.bindMemory(to: SIMD2<Double>.self, capacity: 4 * h), b = a + 2 * h
        tangle(RowPair(rows, rows + 2 * (h + 1)), b, scale: 2 / Double(n))
        complex.transform(LaneBuffer(b), RowPair(outputs, outputs + n), inverse: true, a: a, b: b)
    }

    private static let cache = Mutex<[Int: RealFFTPlan]>([:])

    /// The plan for length n, built once and shared.
    static func shared(_ n: Int) -> RealFFTPlan {
        if let plan = cache.withLock({ $0[n] }) { return plan }
        let plan = RealFFTPlan(n: n)
        return cache.withLock { plans in
            if let existing = plans[n] { return existing }
            if plans.count >= 64 { plans.removeAll() }
            plans[n] = plan
            return plan
        }
    }
}
