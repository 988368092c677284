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
private func inBlocks(_ count: Int, n: Int, half: Int, failure: SSMErrorSlot,
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
/// spectrum, irfft) in float32, four rows at a time in SIMD4<Float> lanes; each thread takes a
/// contiguous range of four-row groups and keeps them in cache from input to output. A last group
/// of fewer than four rows repeats its last row in the spare lanes (same input, same bits written
/// to the same place), so every row's result is the same whatever its position. n: a power of two
/// whose real plan is lane-capable. Inputs are checked (finite, sizes) by the caller.
private func convolution32(batch: Int, H: Int, L: Int, n: Int, K: UnsafePointer<Float>, u: UnsafePointer<Float>,
                           D: UnsafeBufferPointer<Double>?, y: UnsafeMutablePointer<Float>) {
    let plan = RealFFTPlan.shared(n)
    let spectrumRow = 2 * (n / 2 + 1)   // Floats per spectrum row
    let kernels = UnsafeMutablePointer<Float>.allocate(capacity: H * spectrumRow)
    defer { kernels.deallocate() }
    // Per group of four rows: zero-padded inputs (only the first L entries are ever written, so
    // the padding stays zero), spectra, outputs, and the transforms' scratch (8n Floats).
    let groupFloats = 4 * n + 4 * spectrumRow + 4 * n + 8 * n
    /// Runs `body(rows, padded, spectra, outputs, scratch)` on the four-row groups of `count` rows.
    func inGroups(_ count: Int, _ body: (Range<Int>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
                                         UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
        let groups = (count + 3) / 4
        parallelFor(groups, minimumPerThread: max(1, (1 << 16) / (4 * n))) { range in
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: groupFloats)
            defer { buffer.deallocate() }
            buffer.initialize(repeating: 0, count: 4 * n)
            let padded = buffer, spectra = buffer + 4 * n, out = spectra + 4 * spectrumRow, scratch = out + 4 * n
            for g in range { body((4 * g)..<min(count, 4 * g + 4), padded, spectra, out, scratch) }
        }
    }
    /// Lanes 0…3 of a group at `base` with rows of `stride` Floats; lanes past `rows` repeat the last row.
    func quad(_ base: UnsafeMutablePointer<Float>, _ stride: Int, _ rows: Int) -> RowQuad {
        RowQuad(base, base + stride * min(1, rows - 1), base + stride * min(2, rows - 1), base + stride * min(3, rows - 1))
    }
    inGroups(H) { rows, padded, spectra, _, scratch in
        for (r, h) in rows.enumerated() { (padded + r * n).update(from: K + h * L, count: L) }
        plan.forward4(quad(padded, n, rows.count), quad(kernels + rows.lowerBound * spectrumRow, spectrumRow, rows.count),
                      scratch: scratch)
    }
    inGroups(batch * H) { rows, padded, spectra, out, scratch in
        for (r, row) in rows.enumerated() { (padded + r * n).update(from: u + row * L, count: L) }
        plan.forward4(quad(padded, n, rows.count), quad(spectra, spectrumRow, rows.count), scratch: scratch)
        for (r, row) in rows.enumerated() {
            let k = kernels + (row % H) * spectrumRow, s = spectra + r * spectrumRow
            for j in stride(from: 0, to: spectrumRow, by: 2) {
                let (ar, ai, br, bi) = (s[j], s[j + 1], k[j], k[j + 1])
                s[j] = ar * br - ai * bi; s[j + 1] = ar * bi + ai * br
            }
        }
        plan.inverse4(quad(spectra, spectrumRow, rows.count), quad(out, n, rows.count), scratch: scratch)
        for (r, row) in rows.enumerated() {
            let d = D?[row % H] ?? 0, o = out + r * n, x = u + row * L, target = y + row * L
            for k in 0..<L { target[k] = Float(Double(o[k]) + d * Double(x[k])) }
        }
    }
}
