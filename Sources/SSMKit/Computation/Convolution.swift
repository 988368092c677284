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
        convolution32(batch: batch, H: H, L: L, n: n,
                      K: UnsafeRawPointer(K.baseAddress!).assumingMemoryBound(to: Float.self),
                      u: UnsafeRawPointer(u.baseAddress!).assumingMemoryBound(to: Float.self), D: D,
                      y: UnsafeMutableRawPointer(y.baseAddress!).assumingMemoryBound(to: Float.self))
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

/// The float32 convolution: kernel spectra and then every row (rfft, product with its kernel's
/// spectrum, irfft) in float32, four rows at a time in SIMD4<Float> lanes, each group kept in
/// cache from input to output; threads take contiguous ranges of groups. A last group of fewer
/// than four rows repeats its last row in the spare lanes (same input, same bits written to the
/// same place), so every row's result is the same whatever its position. n: a power of two whose
/// real plan is lane-capable. Inputs are checked (finite, sizes) by the caller.
private func convolution32(batch: Int, H: Int, L: Int, n: Int, K: UnsafePointer<Float>, u: UnsafePointer<Float>,
                           D: UnsafeBufferPointer<Double>?, y: UnsafeMutablePointer<Float>) {
    let plan = RealFFTPlan.shared(n)
    let spectrumRow = 2 * (n / 2 + 1)   // Floats per spectrum row, lanes per spectrum
    let kernels = UnsafeMutablePointer<Float>.allocate(capacity: H * spectrumRow)
    defer { kernels.deallocate() }
    /// Runs `body(rows, p, q, k, out)` on the four-row groups of `count` rows: p, q and k lane
    /// buffers of one spectrum each, out four rows of L Floats.
    func inGroups(_ count: Int, _ body: (Range<Int>, UnsafeMutablePointer<SIMD4<Float>>, UnsafeMutablePointer<SIMD4<Float>>,
                                         UnsafeMutablePointer<SIMD4<Float>>, UnsafeMutablePointer<Float>) -> Void) {
        let groups = (count + 3) / 4
        parallelFor(groups, minimumPerThread: max(1, (1 << 16) / (4 * n))) { range in
            let lanes = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: 3 * spectrumRow)
            let out = UnsafeMutablePointer<Float>.allocate(capacity: 4 * L)
            defer { lanes.deallocate(); out.deallocate() }
            for g in range {
                body((4 * g)..<min(count, 4 * g + 4), lanes, lanes + spectrumRow, lanes + 2 * spectrumRow, out)
            }
        }
    }
    /// Row j < 4 of a group of `rows` rows (the last one repeated).
    func lane(_ rows: Range<Int>, _ j: Int) -> Int { rows.lowerBound + min(j, rows.count - 1) }
    inGroups(H) { rows, p, q, _, _ in
        let k = { (j: Int) in K + lane(rows, j) * L }
        gather4(k(0), k(1), k(2), k(3), valid: L, total: n, into: q)
        let z = plan.forward4(p, q)
        let s = { (j: Int) in kernels + lane(rows, j) * spectrumRow }
        scatter4(z, count: spectrumRow, s(0), s(1), s(2), s(3))
    }
    inGroups(batch * H) { rows, p, q, kernel, out in
        let x = { (j: Int) in u + lane(rows, j) * L }
        gather4(x(0), x(1), x(2), x(3), valid: L, total: n, into: q)
        let z = plan.forward4(p, q)
        let k = { (j: Int) in UnsafePointer(kernels + (lane(rows, j) % H) * spectrumRow) }
        gather4(k(0), k(1), k(2), k(3), valid: spectrumRow, total: spectrumRow, into: kernel)
        for j in stride(from: 0, to: spectrumRow, by: 2) {
            let (ar, ai, br, bi) = (z[j], z[j + 1], kernel[j], kernel[j + 1])
            z[j] = ar * br - ai * bi; z[j + 1] = ar * bi + ai * br
        }
        let result = plan.inverse4(z, other: z == p ? q : p)
        let o = { (j: Int) in out + min(j, rows.count - 1) * L }
        scatter4(result, count: L, o(0), o(1), o(2), o(3))
        for (r, row) in rows.enumerated() {
            let d = D?[row % H] ?? 0, o = out + r * L, x = u + row * L, target = y + row * L
            for k in 0..<L { target[k] = Float(Double(o[k]) + d * Double(x[k])) }
        }
    }
}
