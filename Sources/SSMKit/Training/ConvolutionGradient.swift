import ComplexModule

// The reverse of the causal convolution y[b, h, k] = Σ_(j≤k) K[h, j] u[b, h, k−j] + D[h] u[b, h, k]
// (MATH.md §8): with gy = ∂L/∂y,
//   ∂L/∂K[h, l] = Σ_b Σ_k gy[b, h, k] u[b, h, k − l],      ∂L/∂D[h] = Σ_b Σ_k gy[b, h, k] u[b, h, k],
//   ∂L/∂u[b, h, j] = Σ_k gy[b, h, k] K[h, k − j] + D[h] gy[b, h, j],
// correlations computed as products of spectra, GY·conj(U) and GY·conj(K̂), zero-padded to a power
// of two n ≥ 2L − 1: negative lags wrap to n − |lag| ≥ L and never reach the kept entries 0…L−1.

/// Rows transformed together per channel (bounds the work space).
private let blockRows = 16

/// ∂L/∂K (H×L), ∂L/∂D (H) and, when `gu` is given, ∂L/∂u (batch×H×L) from gy (batch×H×L).
/// Shapes as `causalConvolution`; channels are split across threads. Errors: `.size`, `.value`.
public func causalConvolutionGradient(batch: Int, H: Int, L: Int, K: UnsafeBufferPointer<Double>,
                                      u: UnsafeBufferPointer<Double>, D: UnsafeBufferPointer<Double>?,
                                      gy: UnsafeBufferPointer<Double>, gK: UnsafeMutableBufferPointer<Double>,
                                      gD: UnsafeMutableBufferPointer<Double>, gu: UnsafeMutableBufferPointer<Double>?) throws {
    try require(batch >= 1 && H >= 1 && L >= 1, .size, "batch, H and L must be ≥ 1, got \(batch), \(H), \(L)")
    let rows = batch * H
    try require(K.count == H * L && gK.count == H * L && u.count == rows * L && gy.count == rows * L
                && (gu?.count ?? rows * L) == rows * L && (D?.count ?? H) == H && gD.count == H, .size,
                "K and gK need H×L = \(H * L), u, gy and gu batch×H×L = \(rows * L), D and gD H = \(H) entries")
    for (name, values) in [("K", K), ("u", u), ("gy", gy)] {
        if let k = values.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "\(name)[\(k / L), \(k % L)] is not finite") }
    }
    var n = 1
    while n < 2 * L - 1 { n <<= 1 }
    let half = n / 2 + 1
    let failure = SSMErrorSlot()
    parallelFor(H) { channels in
        let count = min(blockRows, batch)
        // Padded rows: K's, then `count` rows of u and `count` of gy (padding zeroed once); spectra
        // likewise; the gradient's accumulated spectrum; output rows.
        let padded = UnsafeMutablePointer<Double>.allocate(capacity: (1 + 2 * count) * n)
        let spectra = UnsafeMutablePointer<Complex<Double>>.allocate(capacity: (1 + 2 * count) * half)
        let product = UnsafeMutablePointer<Complex<Double>>.allocate(capacity: max(count, 1) * half)
        let accumulated = UnsafeMutablePointer<Complex<Double>>.allocate(capacity: half)
        let out = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1) * n)
        defer { padded.deallocate(); spectra.deallocate(); product.deallocate(); accumulated.deallocate(); out.deallocate() }
        padded.initialize(repeating: 0, count: (1 + 2 * count) * n)
        do {
            for h in channels {
                for j in 0..<L { padded[j] = K[h * L + j] }
                try rfft(n: n, count: 1, UnsafeBufferPointer(start: padded, count: n), into: UnsafeMutableBufferPointer(start: spectra, count: half))
                accumulated.initialize(repeating: .zero, count: half)
                var dSum = 0.0
                var first = 0
                while first < batch {
                    let m = min(count, batch - first)
                    for r in 0..<m {
                        let row = (first + r) * H + h
                        for j in 0..<L {
                            let uj = u[row * L + j], gj = gy[row * L + j]
                            padded[(1 + r) * n + j] = uj; padded[(1 + count + r) * n + j] = gj
                            dSum += uj * gj
                        }
                    }
                    // Both blocks of rows in one batch of transforms (unused rows of a short block are stale but ignored).
                    try rfft(n: n, count: 2 * count, UnsafeBufferPointer(start: padded + n, count: 2 * count * n),
                             into: UnsafeMutableBufferPointer(start: spectra + half, count: 2 * count * half))
                    for r in 0..<m {
                        let us = spectra + (1 + r) * half, gs = spectra + (1 + count + r) * half
                        for k in 0..<half { accumulated[k] += gs[k] * us[k].conjugate }
                        if gu != nil { for k in 0..<half { product[r * half + k] = gs[k] * spectra[k].conjugate } }
                    }
                    if let gu {
                        try irfft(n: n, count: m, UnsafeBufferPointer(start: product, count: m * half),
                                  into: UnsafeMutableBufferPointer(start: out, count: m * n))
                        let d = D?[h] ?? 0
                        for r in 0..<m {
                            let row = (first + r) * H + h
                            for j in 0..<L { gu[row * L + j] = out[r * n + j] + d * gy[row * L + j] }
                        }
                    }
                    first += m
                }
                try irfft(n: n, count: 1, UnsafeBufferPointer(start: accumulated, count: half),
                          into: UnsafeMutableBufferPointer(start: out, count: n))
                for l in 0..<L { gK[h * L + l] = out[l] }
                gD[h] = dSum
            }
        } catch let error as SSMError {
            failure.record(error)
        } catch {}
    }
    if let error = failure.error { throw error }
}
