import ComplexModule

// The diagonal SSM layer by its recurrence, and the reverse by the adjoint recurrence (MATH.md §8).
// Per row (b, h) and mode, with a = λ̄ = e^z, b = B̄, f = 2 (conjugate pairs):
//   x_k = a x_(k−1) + b u_k,   y_k = f·Re(Σ c x_k) + d u_k;
//   μ_k = f·conj(c)·ḡ_k + conj(a)·μ_(k+1)   (μ_k = γ of x_k, μ_L = 0),
//   γ_a = Σ_k conj(x_(k−1)) μ_k,  γ_b = Σ_k u_k μ_k,  γ_c = f Σ_k conj(x_k) ḡ_k,
//   ∂u_k = d ḡ_k + Re Σ conj(μ_k) b,  ∂d = Σ ḡ_k u_k,  and γ_z = conj(a)·γ_a.
// The forward keeps the state at the start of every chunk of `chunkSteps` steps; the reverse
// recomputes one chunk's states from its checkpoint, then walks it backwards.

/// Steps between stored states.
private let chunkSteps = 32

extension DiagonalSSMLayer {
    /// y and the chunk states from u (float64; the layer converts float32 sequences).
    func scanForward<S: SequenceScalar>(_ cache: Cache<S>, u: [Double]) throws -> (y: [Double], checkpoints: [Complex<Double>]) {
        let batch = cache.batch, L = cache.L, rows = batch * H
        let chunks = (L + chunkSteps - 1) / chunkSteps
        let aBar = cache.z.map { power($0, 1) }, bBars = (0..<(H * M)).map { bBar($0, cache) }, cs = (0..<(H * M)).map { c($0) }
        var y = [Double](repeating: 0, count: rows * L)
        var checkpoints = [Complex<Double>](repeating: .zero, count: rows * chunks * M)
        let D = Array(values[DRange])
        u.withUnsafeBufferPointer { u in
            y.withUnsafeMutableBufferPointer { yp in
                checkpoints.withUnsafeMutableBufferPointer { saved in
                    parallelFor(rows) { range in
                        let state = ScanState(N: M)
                        for row in range {
                            let h = row % H
                            aBar.withUnsafeBufferPointer { a in bBars.withUnsafeBufferPointer { b in cs.withUnsafeBufferPointer { c in
                                state.load(lambdaBar: a.baseAddress! + h * M, bBar: b.baseAddress! + h * M, C: c.baseAddress! + h * M,
                                           f: 2, x0: nil)
                            } } }
                            for chunk in 0..<chunks {
                                let start = chunk * chunkSteps, count = min(chunkSteps, L - start)
                                state.store(into: saved.baseAddress! + (row * chunks + chunk) * M)
                                state.steps(count, d: D[h], input: u.baseAddress! + row * L + start,
                                            output: yp.baseAddress! + row * L + start)
                            }
                        }
                    }
                }
            }
        }
        return (y, checkpoints)
    }

    func scanBackward<S: SequenceScalar>(_ cache: Cache<S>, u: [Double], gy: [Double], inputGradient: Bool) throws -> PathGradient<Double> {
        let batch = cache.batch, L = cache.L, rows = batch * H, hm = H * M
        let chunks = (L + chunkSteps - 1) / chunkSteps
        let aBar = cache.z.map { power($0, 1) }, bBars = (0..<hm).map { bBar($0, cache) }, cs = (0..<hm).map { c($0) }
        let D = Array(values[DRange])
        // Per row: γ_a, γ_b, γ_c of its channel's modes (summed over the batch afterwards) and ∂d.
        var partial = [Complex<Double>](repeating: .zero, count: rows * 3 * M)
        var partialD = [Double](repeating: 0, count: rows)
        var gu = [Double](repeating: 0, count: inputGradient ? rows * L : 0)
        u.withUnsafeBufferPointer { u in gy.withUnsafeBufferPointer { g in cache.checkpoints.withUnsafeBufferPointer { saved in
        partial.withUnsafeMutableBufferPointer { part in partialD.withUnsafeMutableBufferPointer { pd in gu.withUnsafeMutableBufferPointer { gup in
            parallelFor(rows) { range in
                // States of one chunk: x_(start−1), x_start, …, x_(start+T−1).
                var states = [Complex<Double>](repeating: .zero, count: (chunkSteps + 1) * M)
                var mu = [Complex<Double>](repeating: .zero, count: M)
                for row in range {
                    let h = row % H, modes = h * M
                    let gA = part.baseAddress! + row * 3 * M, gB = gA + M, gC = gB + M
                    for m in 0..<M { mu[m] = .zero; gA[m] = .zero; gB[m] = .zero; gC[m] = .zero }
                    var dSum = 0.0
                    for chunk in stride(from: chunks - 1, through: 0, by: -1) {
                        let start = chunk * chunkSteps, count = min(chunkSteps, L - start)
                        for m in 0..<M { states[m] = saved[(row * chunks + chunk) * M + m] }
                        for t in 0..<count {
                            let uk = u[row * L + start + t]
                            for m in 0..<M {
                                states[(t + 1) * M + m] = aBar[modes + m] * states[t * M + m] + bBars[modes + m] * Complex(uk, 0)
                            }
                        }
                        for t in stride(from: count - 1, through: 0, by: -1) {
                            let k = start + t, gk = g[row * L + k], uk = u[row * L + k]
                            var input = D[h] * gk
                            for m in 0..<M {
                                let mode = modes + m
                                mu[m] = aBar[mode].conjugate * mu[m] + cs[mode].conjugate * Complex(2 * gk, 0)
                                gA[m] += states[t * M + m].conjugate * mu[m]
                                gB[m] += mu[m] * Complex(uk, 0)
                                gC[m] += states[(t + 1) * M + m].conjugate * Complex(2 * gk, 0)
                                input += (mu[m].conjugate * bBars[mode]).real
                            }
                            dSum += gk * uk
                            if inputGradient { gup[row * L + k] = input }
                        }
                    }
                    pd[row] = dSum
                }
            }
        } } } } } }
        var gz = [Complex<Double>](repeating: .zero, count: hm), gBBar = gz, gC = gz
        var gD = [Double](repeating: 0, count: H)
        for row in 0..<rows {
            let h = row % H
            gD[h] += partialD[row]
            for m in 0..<M {
                let mode = h * M + m
                gz[mode] += aBar[mode].conjugate * partial[row * 3 * M + m]   // γ_z = conj(a)·γ_a
                gBBar[mode] += partial[row * 3 * M + M + m]
                gC[mode] += partial[row * 3 * M + 2 * M + m]
            }
        }
        return PathGradient(z: gz, bBar: gBBar, c: gC, D: gD, u: inputGradient ? gu : nil)
    }
}
