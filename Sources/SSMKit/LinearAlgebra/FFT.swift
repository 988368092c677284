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

/// `count` rows of n complex values from `x` into `y` (the same memory is allowed): forward, or
/// inverse scaled by 1/n.
public func fft(n: Int, count: Int, _ x: UnsafeBufferPointer<Complex<Double>>,
                into y: UnsafeMutableBufferPointer<Complex<Double>>, inverse: Bool = false) throws {
    try requireBatch(n: n, count: count, inRow: n, outRow: n, inCount: x.count, outCount: y.count)
    let plan = FFTPlan.shared(n)
    let scale = 1 / Double(n)
    let input = UnsafeRawPointer(x.baseAddress!).assumingMemoryBound(to: Double.self)
    let output = UnsafeMutableRawPointer(y.baseAddress!).assumingMemoryBound(to: Double.self)
    withUnsafeTemporaryAllocation(of: Double.self, capacity: plan.scratchCount) { scratch in
        for r in 0..<count {
            let out = output + 2 * n * r
            plan.transform(input + 2 * n * r, out, inverse: inverse, scratch: scratch.baseAddress!)
            if inverse { for k in 0..<(2 * n) { out[k] *= scale } }
        }
    }
}

/// `count` rows of n reals from `x` into rows of n/2 + 1 complex values in `y`.
public func rfft(n: Int, count: Int, _ x: UnsafeBufferPointer<Double>,
                 into y: UnsafeMutableBufferPointer<Complex<Double>>) throws {
    try requireBatch(n: n, count: count, inRow: n, outRow: n / 2 + 1, inCount: x.count, outCount: y.count)
    let plan = RealFFTPlan.shared(n)
    let output = UnsafeMutableRawPointer(y.baseAddress!).assumingMemoryBound(to: Double.self)
    withUnsafeTemporaryAllocation(of: Double.self, capacity: plan.scratchCount) { scratch in
        for r in 0..<count {
            plan.forward(x.baseAddress! + n * r, output + 2 * (n / 2 + 1) * r, scratch: scratch.baseAddress!)
        }
    }
}

/// `count` rows of n/2 + 1 complex values from `x` into rows of n reals in `y`, scaled by 1/n.
public func irfft(n: Int, count: Int, _ x: UnsafeBufferPointer<Complex<Double>>,
                  into y: UnsafeMutableBufferPointer<Double>) throws {
    try requireBatch(n: n, count: count, inRow: n / 2 + 1, outRow: n, inCount: x.count, outCount: y.count)
    let plan = RealFFTPlan.shared(n)
    let input = UnsafeRawPointer(x.baseAddress!).assumingMemoryBound(to: Double.self)
    withUnsafeTemporaryAllocation(of: Double.self, capacity: plan.scratchCount) { scratch in
        for r in 0..<count {
            plan.inverse(input + 2 * (n / 2 + 1) * r, y.baseAddress! + n * r, scratch: scratch.baseAddress!)
        }
    }
}

/// A real-input FFT of length n. Even n: a complex FFT of length n/2 on the even and odd samples as
/// real and imaginary parts, then one pass with the twiddles e^(−2πik/n), k ≤ n/2. Odd n: the
/// complex FFT of length n.
final class RealFFTPlan: Sendable {
    let n: Int
    let complex: FFTPlan
    /// Even n: e^(−2πik/n) for k = 0…n/2, interleaved.
    let twiddles: [Double]

    init(n: Int) {
        self.n = n
        if n % 2 == 0 {
            complex = FFTPlan.shared(n / 2)
            var w = [Double](repeating: 0, count: 2 * (n / 2 + 1))
            for k in 0...(n / 2) { let (c, s) = unitRoot(-k, n); w[2 * k] = c; w[2 * k + 1] = s }
            twiddles = w
        } else {
            complex = FFTPlan.shared(n)
            twiddles = []
        }
    }

    /// Doubles of scratch `forward` and `inverse` need.
    var scratchCount: Int { 2 * 2 * complex.n + complex.scratchCount }

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
        let h = n / 2
        // The n reals, read as h complex values (x_2j + i x_2j+1), transformed.
        complex.transform(x, z, inverse: false, scratch: rest)
        twiddles.withUnsafeBufferPointer { w in
            for k in 0...h {
                let a = k % h, b = (h - k) % h
                let zr = z[2 * a], zi = z[2 * a + 1], cr = z[2 * b], ci = -z[2 * b + 1]   // Z_k, conj(Z_(h−k))
                let er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci)          // E_k
                let or = 0.5 * (zi - ci), oi = -0.5 * (zr - cr)         // O_k = (Z_k − conj Z_(h−k)) / 2i
                let wr = w[2 * k], wi = w[2 * k + 1]
                y[2 * k] = er + wr * or - wi * oi
                y[2 * k + 1] = ei + wr * oi + wi * or
            }
        }
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
        let h = n / 2
        twiddles.withUnsafeBufferPointer { w in
            for k in 0..<h {
                // X_k and conj(X_(h−k)), with Im X_0 = Im X_h = 0.
                let xr = x[2 * k], xi = k == 0 ? 0 : x[2 * k + 1]
                let cr = x[2 * (h - k)], ci = k == 0 ? 0 : -x[2 * (h - k) + 1]
                let er = 0.5 * (xr + cr), ei = 0.5 * (xi + ci)
                let dr = 0.5 * (xr - cr), di = 0.5 * (xi - ci)
                // O_k = e^(+2πik/n)·d: conjugate of the forward twiddle.
                let wr = w[2 * k], wi = -w[2 * k + 1]
                let or = wr * dr - wi * di, oi = wr * di + wi * dr
                z[2 * k] = er - oi; z[2 * k + 1] = ei + or                // Z_k = E_k + i·O_k
            }
        }
        // The unscaled inverse of length h returns h·(x_2j + i x_2j+1): scale by 1/h = 2/n.
        complex.transform(z, y, inverse: true, scratch: rest)
        for j in 0..<n { y[j] *= 2 * scale }
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
