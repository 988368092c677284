import ComplexModule

// The causal convolution of a training pass and its reverse (MATH.md §7, §8):
//   y[b, h, k] = Σ_(j≤k) K[h, j] u[b, h, k−j] + D[h] u[b, h, k],
//   ∂L/∂K[h, l] = Σ_b Σ_k gy[b, h, k] u[b, h, k − l],   ∂L/∂D[h] = Σ_b Σ_k gy[b, h, k] u[b, h, k],
//   ∂L/∂u[b, h, j] = Σ_k gy[b, h, k] K[h, k − j] + D[h] gy[b, h, j],
// the correlations as products of spectra, GY·conj(U) and GY·conj(K̂), zero-padded to a power of
// two n ≥ 2L − 1 (negative lags wrap to n − |lag| ≥ L and never reach the kept entries 0…L−1).
// The forward keeps the spectra of the inputs and the kernels, so a forward and reverse pass take
// four transforms per row (u → U, U·K̂ → y; gy → GY, GY·conj K̂ → ∂u) instead of five.
// float64 rows go through the FFT's paired-row path in blocks; float32 rows through float32
// transforms four at a time in SIMD4<Float> lanes, grouped as (batch element, four consecutive
// channels), so a group's kernels, and its ∂K accumulators, are one lane group.

/// What the forward convolution keeps for its reverse.
struct ConvolutionSpectra: Sendable {
    /// The padded length of the transforms.
    let n: Int
    /// float64: the rows' spectra (batch·H rows of n/2 + 1), then the kernels' (H rows).
    var double: [Complex<Double>] = []
    /// float32: per (batch element, channel group) four rows' spectra in lanes (2(n/2 + 1) lanes),
    /// then per channel group its kernels'.
    var float: [SIMD4<Float>] = []
}

/// Rows per block of the float64 reverse (bounds each thread's work space).
private let reverseBlockRows = 16

/// The smallest power of two ≥ 2L − 1.
private func paddedLength(_ L: Int) -> Int {
    var n = 1
    while n < 2 * L - 1 { n <<= 1 }
    return n
}

/// Whether float32 rows run in lanes at padded length n (else they are computed in float64).
private func usesLanes<S: SequenceScalar>(_: S.Type, _ n: Int) -> Bool {
    S.self == Float.self && RealFFTPlan.shared(n).laneCapable
}

/// y = K * u + D·u (K: H×L, u and y: batch×H×L, D: H), and the spectra for the reverse. Inputs are
/// checked by the caller (sizes, finite values).
func trainingConvolution<S: SequenceScalar>(batch: Int, H: Int, L: Int, K: UnsafePointer<S>, u: UnsafePointer<S>,
                                            D: UnsafePointer<Double>, y: UnsafeMutablePointer<S>) throws -> ConvolutionSpectra {
    let n = paddedLength(L)
    if usesLanes(S.self, n) {
        return convolution32(batch: batch, H: H, L: L, n: n, K: rebound(K), u: rebound(u), D: D,
                             y: UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self), keepSpectra: true)
    }
    let half = n / 2 + 1, rows = batch * H
    var spectra: [Complex<Double>] = unsetArray((rows + H) * half)   // written in full: every row's and kernel's spectrum
    let failure = SSMErrorSlot()
    spectra.withUnsafeMutableBufferPointer { buffer in
        let saved = buffer.baseAddress!, kernels = saved + rows * half
        inBlocks(H, n: n, half: half, failure: failure) { channels, padded, _, _ in
            for (r, h) in channels.enumerated() { for j in 0..<L { padded[r * n + j] = K[h * L + j].doubleValue } }
            try rfft(n: n, count: channels.count, UnsafeBufferPointer(start: padded, count: channels.count * n),
                     into: UnsafeMutableBufferPointer(start: kernels + channels.lowerBound * half, count: channels.count * half))
        }
        if failure.error != nil { return }
        inBlocks(rows, n: n, half: half, failure: failure) { block, padded, product, out in
            let count = block.count, spectrum = saved + block.lowerBound * half
            for (r, row) in block.enumerated() { for j in 0..<L { padded[r * n + j] = u[row * L + j].doubleValue } }
            try rfft(n: n, count: count, UnsafeBufferPointer(start: padded, count: count * n),
                     into: UnsafeMutableBufferPointer(start: spectrum, count: count * half))
            for (r, row) in block.enumerated() {
                let k = kernels + (row % H) * half, s = spectrum + r * half, p = product + r * half
                for j in 0..<half { p[j] = s[j] * k[j] }
            }
            try irfft(n: n, count: count, UnsafeBufferPointer(start: product, count: count * half),
                      into: UnsafeMutableBufferPointer(start: out, count: count * n))
            for (r, row) in block.enumerated() {
                let d = D[row % H]
                for j in 0..<L { y[row * L + j] = S(out[r * n + j] + d * u[row * L + j].doubleValue) }
            }
        }
    }
    if let error = failure.error { throw error }
    return ConvolutionSpectra(n: n, double: spectra)
}

/// ∂L/∂K (H×L, float64), ∂L/∂D (H) and, when `gu` is given, ∂L/∂u (batch×H×L) from gy (batch×H×L)
/// and the spectra of the forward pass over the same u. Channels are split across threads.
func trainingConvolutionGradient<S: SequenceScalar>(_ spectra: ConvolutionSpectra, batch: Int, H: Int, L: Int,
                                                    u: UnsafePointer<S>, gy: UnsafePointer<S>, D: UnsafePointer<Double>,
                                                    gK: UnsafeMutablePointer<Double>, gD: UnsafeMutablePointer<Double>,
                                                    gu: UnsafeMutablePointer<S>?) throws {
    let n = spectra.n
    if usesLanes(S.self, n) {
        gradient32(spectra, batch: batch, H: H, L: L, u: rebound(u), gy: rebound(gy), D: D, gK: gK, gD: gD,
                   gu: gu.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Float.self) })
        return
    }
    let half = n / 2 + 1, rows = batch * H
    let failure = SSMErrorSlot()
    spectra.double.withUnsafeBufferPointer { buffer in
        let saved = buffer.baseAddress!, kernels = saved + rows * half
        parallelFor(H) { channels in
            let count = min(reverseBlockRows, batch)
            // Per thread: padded gy rows (padding zeroed once), their spectra, the products, the
            // accumulated ∂K spectrum, output rows.
            let padded = UnsafeMutablePointer<Double>.allocate(capacity: count * n)
            let spectrum = UnsafeMutablePointer<Complex<Double>>.allocate(capacity: count * half)
            let product = UnsafeMutablePointer<Complex<Double>>.allocate(capacity: count * half)
            let accumulated = UnsafeMutablePointer<Complex<Double>>.allocate(capacity: half)
            let out = UnsafeMutablePointer<Double>.allocate(capacity: count * n)
            defer { padded.deallocate(); spectrum.deallocate(); product.deallocate(); accumulated.deallocate(); out.deallocate() }
            padded.initialize(repeating: 0, count: count * n)
            do {
                for h in channels {
                    accumulated.initialize(repeating: .zero, count: half)
                    let k = kernels + h * half, d = D[h]
                    var dSum = 0.0, first = 0
                    while first < batch {
                        let m = min(count, batch - first)
                        for r in 0..<m {
                            let row = (first + r) * H + h
                            for j in 0..<L { padded[r * n + j] = gy[row * L + j].doubleValue }
                            dSum += dot(gy + row * L, u + row * L, L)
                        }
                        try rfft(n: n, count: m, UnsafeBufferPointer(start: padded, count: m * n),
                                 into: UnsafeMutableBufferPointer(start: spectrum, count: m * half))
                        for r in 0..<m {
                            let g = spectrum + r * half, x = saved + ((first + r) * H + h) * half
                            for j in 0..<half { accumulated[j] += g[j] * x[j].conjugate }
                            if gu != nil { for j in 0..<half { product[r * half + j] = g[j] * k[j].conjugate } }
                        }
                        if let gu {
                            try irfft(n: n, count: m, UnsafeBufferPointer(start: product, count: m * half),
                                      into: UnsafeMutableBufferPointer(start: out, count: m * n))
                            for r in 0..<m {
                                let row = (first + r) * H + h
                                for j in 0..<L { gu[row * L + j] = S(out[r * n + j] + d * gy[row * L + j].doubleValue) }
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
    }
    if let error = failure.error { throw error }
}

@inline(__always)
private func rebound<S>(_ p: UnsafePointer<S>) -> UnsafePointer<Float> {
    UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
}

/// Channel j < 4 of channel group g (the last channel repeated in the spare lanes of a short
/// last group: same input, same bits written to the same place).
@inline(__always)
private func channel(_ g: Int, _ j: Int, H: Int) -> Int { min(4 * g + j, H - 1) }

/// The float32 convolution in lanes (also `causalConvolution`'s float32 path): the kernels' spectra
/// per channel group, then per (b, group) the rows' spectra, their products with the kernels', and
/// the inverse transforms. `keepSpectra`: the rows' and kernels' spectra are returned for the
/// reverse (else only the kernels' are held, during the call). n: a power of two whose real plan
/// is lane-capable. Each row goes through the same lane arithmetic wherever it sits in a group.
func convolution32(batch: Int, H: Int, L: Int, n: Int, K: UnsafePointer<Float>, u: UnsafePointer<Float>,
                   D: UnsafePointer<Double>, y: UnsafeMutablePointer<Float>, keepSpectra: Bool) -> ConvolutionSpectra {
    let plan = RealFFTPlan.shared(n)
    let width = 2 * (n / 2 + 1), groups = (H + 3) / 4
    let minimum = max(1, (1 << 16) / (4 * n))
    let kept = keepSpectra ? batch * groups * width : 0
    var spectra: [SIMD4<Float>] = unsetArray(kept + groups * width)   // written in full: every group's spectra
    spectra.withUnsafeMutableBufferPointer { buffer in
        let saved = buffer.baseAddress!, kernels = saved + kept
        parallelFor(groups, minimumPerThread: minimum) { range in
            let lanes = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: 2 * width)
            defer { lanes.deallocate() }
            for g in range {
                let k = { (j: Int) in K + channel(g, j, H: H) * L }
                gather4(k(0), k(1), k(2), k(3), valid: L, total: n, into: lanes + width)
                let z = plan.forward4(lanes, lanes + width)
                (kernels + g * width).update(from: z, count: width)
            }
        }
        parallelFor(batch * groups, minimumPerThread: minimum) { range in
            let lanes = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: 2 * width)
            let out = UnsafeMutablePointer<Float>.allocate(capacity: 4 * L)
            defer { lanes.deallocate(); out.deallocate() }
            let p = lanes, q = lanes + width
            for i in range {
                let b = i / groups, g = i % groups
                let x = { (j: Int) in u + (b * H + channel(g, j, H: H)) * L }
                gather4(x(0), x(1), x(2), x(3), valid: L, total: n, into: q)
                let z = plan.forward4(p, q)
                if keepSpectra { (saved + i * width).update(from: z, count: width) }
                productToRows(z, other: z == p ? q : p, kernel: kernels + g * width, conjugate: false, plan: plan, out: out,
                              b: b, g: g, H: H, L: L, D: D, skip: u, into: y)
            }
        }
    }
    if !keepSpectra { recycle(&spectra) }
    return ConvolutionSpectra(n: n, float: spectra)
}

/// The float32 reverse in lanes: channel groups split across threads; per group, over the batch,
/// GY·conj(U) accumulated (→ ∂K) and GY·conj(K̂) inverted (→ ∂u).
private func gradient32(_ spectra: ConvolutionSpectra, batch: Int, H: Int, L: Int, u: UnsafePointer<Float>,
                        gy: UnsafePointer<Float>, D: UnsafePointer<Double>, gK: UnsafeMutablePointer<Double>,
                        gD: UnsafeMutablePointer<Double>, gu: UnsafeMutablePointer<Float>?) {
    let n = spectra.n, plan = RealFFTPlan.shared(n)
    let width = 2 * (n / 2 + 1), groups = (H + 3) / 4
    spectra.float.withUnsafeBufferPointer { buffer in
        let saved = buffer.baseAddress!, kernels = saved + batch * groups * width
        parallelFor(groups) { range in
            let lanes = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: 3 * width)
            let out = UnsafeMutablePointer<Float>.allocate(capacity: 4 * L)
            defer { lanes.deallocate(); out.deallocate() }
            let p = lanes, q = lanes + width, accumulated = lanes + 2 * width
            for g in range {
                let count = min(4, H - 4 * g), k = kernels + g * width
                accumulated.update(repeating: .zero, count: width)
                var dSum = SIMD4<Double>()
                for b in 0..<batch {
                    let x = { (j: Int) in gy + (b * H + channel(g, j, H: H)) * L }
                    gather4(x(0), x(1), x(2), x(3), valid: L, total: n, into: q)
                    let z = plan.forward4(p, q), s = saved + (b * groups + g) * width
                    for j in stride(from: 0, to: width, by: 2) {
                        let (zr, zi, sr, si) = (z[j], z[j + 1], s[j], s[j + 1])
                        accumulated[j] += zr * sr + zi * si; accumulated[j + 1] += zi * sr - zr * si
                    }
                    for j in 0..<count {
                        let row = (b * H + 4 * g + j) * L
                        dSum[j] += dot(gy + row, u + row, L)
                    }
                    guard let gu else { continue }
                    productToRows(z, other: z == p ? q : p, kernel: k, conjugate: true, plan: plan, out: out,
                                  b: b, g: g, H: H, L: L, D: D, skip: gy, into: gu)
                }
                let result = plan.inverse4(accumulated, other: p)
                let o = { (j: Int) in out + min(j, count - 1) * L }
                scatter4(result, count: L, o(0), o(1), o(2), o(3))
                for j in 0..<count {
                    let h = 4 * g + j
                    for l in 0..<L { gK[h * L + l] = Double(out[j * L + l]) }
                    gD[h] = dSum[j]
                }
            }
        }
    }
}

/// The lane spectra z times the kernels' (conjugated for the reverse), inverted, and written as
/// target = result + D·x to the rows (b, 4g + j) of the group: the forward's y = K * u + D·u, and
/// the reverse's ∂u = gy ⋆ K + D·gy. `other` is the spare lane buffer of `forward4`; `out` holds
/// four rows of L.
@inline(__always)
private func productToRows(_ z: UnsafeMutablePointer<SIMD4<Float>>, other: UnsafeMutablePointer<SIMD4<Float>>,
                           kernel k: UnsafePointer<SIMD4<Float>>, conjugate: Bool, plan: RealFFTPlan,
                           out: UnsafeMutablePointer<Float>, b: Int, g: Int, H: Int, L: Int, D: UnsafePointer<Double>,
                           skip x: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
    let width = 2 * (plan.n / 2 + 1), count = min(4, H - 4 * g)
    for j in stride(from: 0, to: width, by: 2) {
        let (zr, zi, kr) = (z[j], z[j + 1], k[j]), ki = conjugate ? -k[j + 1] : k[j + 1]
        z[j] = zr * kr - zi * ki; z[j + 1] = zr * ki + zi * kr
    }
    let result = plan.inverse4(z, other: other)
    let o = { (j: Int) in out + min(j, count - 1) * L }
    scatter4(result, count: L, o(0), o(1), o(2), o(3))
    for j in 0..<count {
        let h = 4 * g + j, d = D[h], row = (b * H + h) * L, o = out + j * L
        for l in 0..<L { target[row + l] = Float(Double(o[l]) + d * Double(x[row + l])) }
    }
}
