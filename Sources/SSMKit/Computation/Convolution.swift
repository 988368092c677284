import ComplexModule

// Causal convolution of SSM kernels with inputs by FFT (MATH.md §7):
//   y[b, h, k] = Σ_(j ≤ k) K[h, j]·u[b, h, k − j] + D[h]·u[b, h, k],   k < L,
// with both sequences zero-padded to a power of two n ≥ 2L − 1, so the circular product is the
// linear one. Rows are processed in blocks (bounded memory) split across threads; each transform
// batch uses the FFT's SIMD lanes (float32: `convolution32`).

/// Rows per block: bounds each thread's padded rows, spectra and outputs to about 3·block·n doubles.
private let blockRows = 32

/// K (H×L), u and y (batch×H×L, row-major), D (H) optional. K, u and y in float64 or float32;
/// float32 runs float32 transforms, four rows at a time in SIMD4<Float> lanes (`convolution32`),
/// and adds D·u in float64. Errors: `.size`, `.value` (non-finite).
@specialized(where S == Double)
@specialized(where S == Float)
public func causalConvolution<S: SequenceScalar>(batch: Int, H: Int, L: Int, K: UnsafeBufferPointer<S>, u: UnsafeBufferPointer<S>,
                                                 D: UnsafeBufferPointer<Double>?, into y: UnsafeMutableBufferPointer<S>) throws {
    try require(batch >= 1 && H >= 1 && L >= 1, .size, "batch, H and L must be ≥ 1, got \(batch), \(H), \(L)")
    let rows = batch * H
    try require(K.count == H * L && u.count == rows * L && y.count == rows * L && (D?.count ?? H) == H, .size,
                "K must have H×L = \(H * L), u and y batch×H×L = \(rows * L), D H = \(H) entries")
    if let k = K.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "K[\(k / L), \(k % L)] is not finite") }
    if let k = u.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "u[\(k / L), \(k % L)] is not finite") }
    if let k = D?.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "D[\(k)] is not finite") }
    var n = 1
    while n < 2 * L - 1 { n <<= 1 }
    let half = n / 2 + 1
    let failure = SSMErrorSlot()
    if S.self == Float.self && RealFFTPlan.shared(n).laneCapable {
        let d = D.map(Array.init) ?? [Double](repeating: 0, count: H)
        _ = convolution32(batch: batch, H: H, L: L, n: n,
                          K: UnsafeRawPointer(K.baseAddress!).assumingMemoryBound(to: Float.self),
                          u: UnsafeRawPointer(u.baseAddress!).assumingMemoryBound(to: Float.self), D: d,
                          y: UnsafeMutableRawPointer(y.baseAddress!).assumingMemoryBound(to: Float.self), keepSpectra: false)
        return
    }

    // The kernels' spectra, once; then the rows, each thread a contiguous range in blocks.
    var kernelSpectra = [Complex<Double>](repeating: .zero, count: H * half)
    kernelSpectra.withUnsafeMutableBufferPointer { spectra in
        inBlocks(H, n: n, half: half, failure: failure) { rows, padded, spectrum, _ in
            for (r, h) in rows.enumerated() { for j in 0..<L { padded[r * n + j] = K[h * L + j].doubleValue } }
            try rfft(n: n, count: rows.count, UnsafeBufferPointer(start: padded, count: rows.count * n),
                     into: UnsafeMutableBufferPointer(rebasing: spectra[(rows.lowerBound * half)..<(rows.upperBound * half)]))
        }
    }
    if let error = failure.error { throw error }
    kernelSpectra.withUnsafeBufferPointer { kernels in
        inBlocks(batch * H, n: n, half: half, failure: failure) { rows, padded, spectrum, out in
            for (r, row) in rows.enumerated() { for j in 0..<L { padded[r * n + j] = u[row * L + j].doubleValue } }
            let count = rows.count
            try rfft(n: n, count: count, UnsafeBufferPointer(start: padded, count: count * n),
                     into: UnsafeMutableBufferPointer(start: spectrum, count: count * half))
            for (r, row) in rows.enumerated() {
                let kernel = kernels.baseAddress! + (row % H) * half, s = spectrum + r * half
                for k in 0..<half { s[k] *= kernel[k] }
            }
            try irfft(n: n, count: count, UnsafeBufferPointer(start: spectrum, count: count * half),
                      into: UnsafeMutableBufferPointer(start: out, count: count * n))
            for (r, row) in rows.enumerated() {
                let d = D?[row % H] ?? 0
                for k in 0..<L { y[row * L + k] = S(out[r * n + k] + d * u[row * L + k].doubleValue) }
            }
        }
    }
    if let error = failure.error { throw error }
}

/// Runs `body` on blocks of at most `blockRows` of `count` rows, the blocks split across threads.
/// Each thread has its own zero-padded rows (the body writes only the first L entries of each, so
/// the padding stays zero), spectra and output rows. The first error is kept in `failure`.
func inBlocks(_ count: Int, n: Int, half: Int, failure: SSMErrorSlot,
                      _ body: (Range<Int>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Complex<Double>>,
                               UnsafeMutablePointer<Double>) throws -> Void) {
    let blocks = (count + blockRows - 1) / blockRows
    parallelFor(blocks) { range in
        let rows = min(blockRows, count)
        let padded = UnsafeMutablePointer<Double>.allocate(capacity: rows * n)
        let out = UnsafeMutablePointer<Double>.allocate(capacity: rows * n)
        let spectrum = UnsafeMutablePointer<Complex<Double>>.allocate(capacity: rows * half)
        defer { padded.deallocate(); out.deallocate(); spectrum.deallocate() }
        padded.initialize(repeating: 0, count: rows * n)
        do {
            for b in range { try body((b * blockRows)..<min(count, (b + 1) * blockRows), padded, spectrum, out) }
        } catch let error as SSMError {
            failure.record(error)
        } catch {}
    }
}
