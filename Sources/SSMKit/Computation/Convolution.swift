import ComplexModule

// Causal convolution of SSM kernels with inputs by FFT (MATH.md §7):
//   y[b, h, k] = Σ_(j ≤ k) K[h, j]·u[b, h, k − j] + D[h]·u[b, h, k],   k < L,
// with both sequences zero-padded to a power of two n ≥ 2L − 1, so the circular product is the
// linear one. Rows are processed in chunks (bounded memory); each transform batch uses the FFT's
// SIMD lanes and threads.

/// Rows per chunk: bounds the padded copies and spectra to about 2·chunk·n doubles.
private let chunkRows = 64

/// K (H×L), u and y (batch×H×L, row-major), D (H) optional. K, u and y in float64 or float32;
/// the transforms run in float64 in both (float32 results are the float64 ones rounded once).
/// Errors: `.size`, `.value` (non-finite).
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

    // The kernels' spectra, once.
    var padded = [Double](repeating: 0, count: max(H, min(chunkRows, rows)) * n)
    var kernelSpectra = [Complex<Double>](repeating: .zero, count: H * half)
    for h in 0..<H { for j in 0..<L { padded[h * n + j] = K[h * L + j].doubleValue } }
    try padded.withUnsafeBufferPointer { p in
        try kernelSpectra.withUnsafeMutableBufferPointer {
            try rfft(n: n, count: H, UnsafeBufferPointer(rebasing: p[0..<(H * n)]), into: $0)
        }
    }
    var spectra = [Complex<Double>](repeating: .zero, count: min(chunkRows, rows) * half)
    var start = 0
    while start < rows {
        let count = min(chunkRows, rows - start)
        for r in 0..<count {
            let row = start + r
            for j in 0..<L { padded[r * n + j] = u[row * L + j].doubleValue }
            for j in L..<n { padded[r * n + j] = 0 }
        }
        try padded.withUnsafeBufferPointer { p in
            try spectra.withUnsafeMutableBufferPointer {
                try rfft(n: n, count: count, UnsafeBufferPointer(rebasing: p[0..<(count * n)]),
                         into: UnsafeMutableBufferPointer(rebasing: $0[0..<(count * half)]))
            }
        }
        for r in 0..<count {
            let h = (start + r) % H
            for k in 0..<half { spectra[r * half + k] *= kernelSpectra[h * half + k] }
        }
        try spectra.withUnsafeBufferPointer { s in
            try padded.withUnsafeMutableBufferPointer {
                try irfft(n: n, count: count, UnsafeBufferPointer(rebasing: s[0..<(count * half)]),
                          into: UnsafeMutableBufferPointer(rebasing: $0[0..<(count * n)]))
            }
        }
        for r in 0..<count {
            let row = start + r, d = D?[row % H] ?? 0
            for k in 0..<L { y[row * L + k] = S(padded[r * n + k] + d * u[row * L + k].doubleValue) }
        }
        start += count
    }
}
