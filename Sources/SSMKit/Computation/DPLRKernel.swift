import ComplexModule
import RealModule

// The convolution kernel of a diagonal-plus-low-rank SSM, as S4 computes it (MATH.md §7; Gu, Goel
// & Ré 2022, Algorithm 1). Continuous A = Λ − P Q* (Λ diagonal M×M, P and Q M×r), B, C, step Δ,
// bilinear discretization Ā = (I − αA)⁻¹(I + αA), B̄ = (I − αA)⁻¹ΔB with α = Δ/2. The kernel
// K_l = C Ā^l B̄, l < L, is the inverse DFT of its truncated generating function at the L-th roots
// of unity ω_k = e^(−2πik/L):
//   K̂(ω) = Σ_(l<L) C Ā^l B̄ ω^l = C̃ (I − Āω)⁻¹ B̄,   C̃ = C (I − Ā^L)   (ω^L = 1),
// and (I − Āω)⁻¹B̄ = Δ E⁻¹B with E = D_ω + β P Q*, D_ω = diag((1 − ω) − α(1 + ω)λ_n), β = α(1 + ω).
// Woodbury turns E⁻¹ into Cauchy sums k_ab = Σ_n a_n b_n / d_n (a ∈ {C̃, Q*}, b ∈ {B, P}):
//   K̂(ω) = Δ [k₀₀ − β k₀₁ (I + β k₁₁)⁻¹ k₁₀],
// finite at ω = −1 (written without S4's 2/(1 + ω) factor). C̃ needs C Ā^L: L row-vector steps
// through the structured Ā (O(L·M·r), no M×M matrix). Cost O(L·M·(1 + r)²) per channel.
// Conditioning: an error δ in C̃ reaches K as δ (I − Ā^L)⁻¹; modes with λ̄^L ≈ 1 (Re λ = 0 and a
// frequency on the DFT grid, or λ = 0: d_n = 0 at ω = 1) make the generating function singular —
// use the diagonal or dense kernel for them. A denominator below 1e-9 of its scale is refused.

/// K (H×L, row-major) of H DPLR systems: Λ, B, C (H×M), P and Q (H×r×M: row j of channel h is
/// the j-th column of its P), Δ (H). `Q` nil: Q = P (S4's A = Λ − P P*). `pairs`: the modes are
/// one of each conjugate pair and the system is real: the other halves (conj Λ, P, Q, B, C) are
/// implied, and K is the full system's kernel. Otherwise K = Re(C Ā^l B̄) over the M modes given.
/// Errors: `.size`, `.value` (non-finite input, Δ ≤ 0), `.singular` (a mode with λ = 0, 1 − αλ = 0, or
/// a singular Woodbury system), `.unstable` (K overflows).
public func dplrKernel(H: Int, M: Int, rank r: Int, L: Int, Lambda: UnsafeBufferPointer<Complex<Double>>,
                       P: UnsafeBufferPointer<Complex<Double>>, Q: UnsafeBufferPointer<Complex<Double>>?,
                       B: UnsafeBufferPointer<Complex<Double>>, C: UnsafeBufferPointer<Complex<Double>>,
                       dt: UnsafeBufferPointer<Double>, pairs: Bool, into K: UnsafeMutableBufferPointer<Double>) throws {
    try require(H >= 1 && M >= 1 && r >= 1 && L >= 1, .size, "H, N, rank and L must be ≥ 1, got \(H), \(M), \(r), \(L)")
    try require(r <= M, .size, "the rank \(r) exceeds the number of modes \(M)")
    let modes = H * M, factors = modes * r
    try require(Lambda.count == modes && B.count == modes && C.count == modes && P.count == factors
                && (Q?.count ?? factors) == factors && dt.count == H && K.count == H * L, .size,
                "Lambda, B, C need H×N = \(modes), P and Q H×rank×N = \(factors), dt H = \(H), K H×L = \(H * L) entries")
    for (name, values) in [("Lambda", Lambda), ("P", P), ("B", B), ("C", C)] + (Q.map { [("Q", $0)] } ?? []) {
        if let k = values.firstIndex(where: { !($0.real.isFinite && $0.imaginary.isFinite) }) {
            throw SSMError(.value, "\(name)[\(k)] = \(values[k]) is not finite")
        }
    }
    if let h = dt.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
        throw SSMError(.value, "dt[\(h)] = \(dt[h]) must be finite and > 0")
    }
    let failure = SSMErrorSlot()
    parallelFor(H) { channels in
        do {
            for h in channels {
                let system = DPLRSystem(h: h, M: M, r: r, Lambda: Lambda, P: P, Q: Q ?? P, B: B, C: C,
                                        dt: dt[h], pairs: pairs)
                try system.kernel(L: L, into: K.baseAddress! + h * L)
            }
        } catch let error as SSMError {
            failure.record(error)
        } catch {}
    }
    if let error = failure.error { throw error }
    if let k = K.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "the kernel overflows at channel \(k / L), l = \(k % L)")
    }
}

/// The smallest |d_n| accepted, relative to |1 − ω| + |β|·max|λ| (rounding amplified ≤ ~1e7 times).
private let singularRatio = 1e-9

/// One channel, with the conjugate halves appended when `pairs` (m = 2M modes, else M).
private struct DPLRSystem {
    let m: Int, r: Int, dt: Double, realSystem: Bool
    var lambda: [Complex<Double>], b: [Complex<Double>], c: [Complex<Double>]
    /// Column j of P and of Q* (conjugated Q) as rows j·m …
    var p: [Complex<Double>], qStar: [Complex<Double>]

    init(h: Int, M: Int, r: Int, Lambda: UnsafeBufferPointer<Complex<Double>>, P: UnsafeBufferPointer<Complex<Double>>,
         Q: UnsafeBufferPointer<Complex<Double>>, B: UnsafeBufferPointer<Complex<Double>>,
         C: UnsafeBufferPointer<Complex<Double>>, dt: Double, pairs: Bool) {
        m = pairs ? 2 * M : M
        self.r = r; self.dt = dt; realSystem = pairs
        func expand(_ x: UnsafeBufferPointer<Complex<Double>>, _ start: Int, conjugate: Bool) -> [Complex<Double>] {
            var out = [Complex<Double>]()
            out.reserveCapacity(pairs ? 2 * M : M)
            for n in 0..<M { out.append(conjugate ? x[start + n].conjugate : x[start + n]) }
            if pairs { for n in 0..<M { out.append(conjugate ? x[start + n] : x[start + n].conjugate) } }
            return out
        }
        lambda = expand(Lambda, h * M, conjugate: false)
        b = expand(B, h * M, conjugate: false)
        c = expand(C, h * M, conjugate: false)
        p = []; qStar = []
        for j in 0..<r {
            p += expand(P, (h * r + j) * M, conjugate: false)
            qStar += expand(Q, (h * r + j) * M, conjugate: true)
        }
    }

    /// C Ā^L by L steps x ← x Ā = x (I − αA)⁻¹ (I + αA), with (I − αA)⁻¹ = (D₀ + αPQ*)⁻¹ by
    /// Woodbury: D₀⁻¹ − D₀⁻¹ P G Q* D₀⁻¹, G = α (I + α Q* D₀⁻¹ P)⁻¹ (r×r), D₀ = I − αΛ.
    func cPowerL(_ L: Int) throws -> [Complex<Double>] {
        let alpha = Complex(dt / 2, 0)
        var d0Inverse = [Complex<Double>](repeating: .zero, count: m)
        for n in 0..<m {
            let d = Complex<Double>(1, 0) - alpha * lambda[n]
            try require(d != .zero, .singular, "1 − (Δ/2)·λ = 0 for mode \(n): the bilinear step is singular")
            d0Inverse[n] = Complex<Double>(1, 0) / d
        }
        var g = [Complex<Double>](repeating: .zero, count: r * r)
        for i in 0..<r {
            for j in 0..<r {
                var s = Complex<Double>.zero
                for n in 0..<m { s += qStar[i * m + n] * d0Inverse[n] * p[j * m + n] }
                g[i * r + j] = (i == j ? Complex(1, 0) : .zero) + alpha * s
            }
        }
        g = try smallInverse(g, r).map { $0 * alpha }
        var x = c, z = [Complex<Double>](repeating: .zero, count: m)
        var t = [Complex<Double>](repeating: .zero, count: r), s = t
        for _ in 0..<L {
            for n in 0..<m { z[n] = x[n] * d0Inverse[n] }
            for j in 0..<r { var acc = Complex<Double>.zero; for n in 0..<m { acc += z[n] * p[j * m + n] }; t[j] = acc }
            for j in 0..<r { var acc = Complex<Double>.zero; for i in 0..<r { acc += t[i] * g[i * r + j] }; s[j] = acc }
            for n in 0..<m {
                var correction = Complex<Double>.zero
                for j in 0..<r { correction += s[j] * qStar[j * m + n] }
                z[n] -= correction * d0Inverse[n]
            }
            for j in 0..<r { var acc = Complex<Double>.zero; for n in 0..<m { acc += z[n] * p[j * m + n] }; t[j] = acc * alpha }
            for n in 0..<m {
                var low = Complex<Double>.zero
                for j in 0..<r { low += t[j] * qStar[j * m + n] }
                x[n] = z[n] * (Complex(1, 0) + alpha * lambda[n]) - low
            }
        }
        return x
    }

    /// K̂ at the roots of unity (half of them for a real system), then K by the inverse DFT.
    func kernel(L: Int, into K: UnsafeMutablePointer<Double>) throws {
        let power = try cPowerL(L)
        let cTilde = (0..<m).map { c[$0] - power[$0] }
        let alpha = dt / 2, width = 1 + r
        let largest = lambda.map(\.length).max() ?? 0
        // Per mode, the numerators a_n·b_n of the (1 + r)² Cauchy sums, a ∈ {C̃, Q*_i}, b ∈ {B, P_j}.
        var numerators = [Complex<Double>](repeating: .zero, count: width * width * m)
        for a in 0..<width {
            for bIndex in 0..<width {
                for n in 0..<m {
                    let left = a == 0 ? cTilde[n] : qStar[(a - 1) * m + n]
                    let right = bIndex == 0 ? b[n] : p[(bIndex - 1) * m + n]
                    numerators[(a * width + bIndex) * m + n] = left * right
                }
            }
        }
        // A real system has a Hermitian spectrum: the first L/2 + 1 frequencies suffice.
        let count = realSystem ? L / 2 + 1 : L
        var spectrum = [Complex<Double>](repeating: .zero, count: count)
        var sums = [Complex<Double>](repeating: .zero, count: width * width)
        var system = [Complex<Double>](repeating: .zero, count: r * r)
        for k in 0..<count {
            // ω = e^(−iθ), θ = 2πk/L: 1 − ω = 2 sin²(θ/2) + i sin θ, 1 + ω = 2 cos²(θ/2) − i sin θ,
            // with exact-argument roots (no cancellation near ω = 1).
            let half = unitRoot(k, 2 * L), full = unitRoot(k, L)
            let oneMinus = Complex(2 * half.sin * half.sin, full.sin)
            let onePlus = Complex(2 * half.cos * half.cos, -full.sin)
            let beta = onePlus * Complex(alpha, 0)
            for i in sums.indices { sums[i] = .zero }
            // A denominator that (nearly) vanishes against the scale of its two terms amplifies
            // rounding by about u/ratio: refuse below `singularRatio` (λ = 0, or λ̄ on the grid).
            let scale = oneMinus.length + beta.length * largest
            for n in 0..<m {
                let d = oneMinus - beta * lambda[n]
                try require(d.length > singularRatio * scale, .singular,
                            "the generating function is singular at ω_\(k) = e^(−2πi·\(k)/\(L)) for mode \(n) (λ = \(lambda[n]), |d| = \(d.length) against \(scale)): λ = 0 or λ̄^L = 1; use the diagonal or dense kernel")
                let inverse = Complex<Double>(1, 0) / d
                for i in 0..<(width * width) { sums[i] += numerators[i * m + n] * inverse }
            }
            var value = sums[0]
            if !(beta == .zero) {
                // K̂ = Δ [k₀₀ − β k₀₁ (I + β k₁₁)⁻¹ k₁₀]
                for i in 0..<r { for j in 0..<r { system[i * r + j] = (i == j ? Complex(1, 0) : .zero) + beta * sums[(i + 1) * width + j + 1] } }
                let solved = try smallInverse(system, r)
                for i in 0..<r {
                    for j in 0..<r { value -= beta * sums[i + 1] * solved[i * r + j] * sums[(j + 1) * width] }
                }
            }
            spectrum[k] = value * Complex(dt, 0)
        }
        if realSystem {
            try spectrum.withUnsafeBufferPointer { try irfft(n: L, count: 1, $0, into: UnsafeMutableBufferPointer(start: K, count: L)) }
        } else {
            var values = [Complex<Double>](repeating: .zero, count: L)
            try spectrum.withUnsafeBufferPointer { s in
                try values.withUnsafeMutableBufferPointer { try fft(n: L, count: 1, s, into: $0, inverse: true) }
            }
            for l in 0..<L { K[l] = values[l].real }
        }
    }
}

/// The inverse of a small complex r×r matrix (row-major) by Gauss–Jordan with partial pivoting.
/// Errors: `.singular`.
private func smallInverse(_ a: [Complex<Double>], _ r: Int) throws -> [Complex<Double>] {
    var a = a
    var inverse = [Complex<Double>](repeating: .zero, count: r * r)
    for i in 0..<r { inverse[i * r + i] = Complex(1, 0) }
    for col in 0..<r {
        let pivot = (col..<r).max { a[$0 * r + col].length < a[$1 * r + col].length }!
        try require(a[pivot * r + col].length > 0, .singular, "the Woodbury system of the low-rank part is singular")
        if pivot != col {
            for j in 0..<r { a.swapAt(pivot * r + j, col * r + j); inverse.swapAt(pivot * r + j, col * r + j) }
        }
        let scale = Complex<Double>(1, 0) / a[col * r + col]
        for j in 0..<r { a[col * r + j] *= scale; inverse[col * r + j] *= scale }
        for i in 0..<r where i != col {
            let f = a[i * r + col]
            if f == .zero { continue }
            for j in 0..<r { a[i * r + j] -= f * a[col * r + j]; inverse[i * r + j] -= f * inverse[col * r + j] }
        }
    }
    return inverse
}
