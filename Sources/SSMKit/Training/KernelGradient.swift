import ComplexModule
import RealModule

// The reverse of the diagonal kernel (MATH.md §8), on its power table (DiagonalKernel.swift). With K_l = f·Re Σ_n w_n e^(l z_n) and
// g_l = ∂L/∂K_l for a real loss L, write a complex parameter's gradient as
// γ_x = ∂L/∂Re x + i ∂L/∂Im x (so a holomorphic y = φ(x) passes it back as γ_x = conj(φ'(x))·γ_y).
// Then
//   γ_w = f·conj(S0),   γ_z = f·conj(w·S1),   S0_n = Σ_l g_l e^(l z_n),   S1_n = Σ_l l·g_l e^(l z_n).
// S0 and S1 are transposed Vandermonde products, computed with the forward kernel's blocked power
// table (l = bT + t, e^(lz) = e^(bTz)·e^(tz), anchors exact in float64 every few blocks): per
// group of blocks, the rows g[b, t] and l·g[b, t] times the table are matrix products.

/// γ_z and γ_w (H×N) from g = ∂L/∂K (H×L); z, w as `diagonalKernel`. `pairs`: f = 2.
/// Errors: `.size`, `.value` (non-finite input).
public func diagonalKernelGradient(H: Int, N: Int, L: Int, z: UnsafeBufferPointer<Complex<Double>>,
                                   w: UnsafeBufferPointer<Complex<Double>>, pairs: Bool, gK: UnsafeBufferPointer<Double>,
                                   gz: UnsafeMutableBufferPointer<Complex<Double>>,
                                   gw: UnsafeMutableBufferPointer<Complex<Double>>) throws {
    try require(H >= 1 && N >= 1 && L >= 1, .size, "H, N and L must be ≥ 1, got H = \(H), N = \(N), L = \(L)")
    try require(z.count == H * N && w.count == H * N && gz.count == H * N && gw.count == H * N && gK.count == H * L,
                .size, "z, w and their gradients need H×N = \(H * N) entries, gK H×L = \(H * L)")
    for (name, values) in [("z", z), ("w", w)] {
        if let k = values.firstIndex(where: { !($0.real.isFinite && $0.imaginary.isFinite) }) {
            throw SSMError(.value, "\(name)[\(k / N), \(k % N)] = \(values[k]) is not finite")
        }
    }
    if let k = gK.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "gK[\(k / L), \(k % L)] is not finite") }
    let f = pairs ? 2.0 : 1.0
    let T = min(blockLength, L), blocks = (L + T - 1) / T
    parallelFor(H) { channels in
        // Per thread: the table e^(t z_n) as T rows of [Re (N) | Im (N)], a group of g rows and
        // l·g rows (zero-padded past L), and their products with the table.
        var table = [Double](repeating: 0, count: T * 2 * N)
        var rows = [Double](repeating: 0, count: 2 * blockGroup * T)
        var products = [Double](repeating: 0, count: 2 * blockGroup * 2 * N)
        var anchor = [Complex<Double>](repeating: .zero, count: N), step = anchor
        var s0 = anchor, s1 = anchor
        for h in channels {
            let zh = z.baseAddress! + h * N, g = gK.baseAddress! + h * L
            for n in 0..<N {
                step[n] = power(zh[n], T)
                anchoredPowers(zh[n], count: T) { t, p in table[t * 2 * N + n] = p.real; table[t * 2 * N + N + n] = p.imaginary }
                s0[n] = .zero; s1[n] = .zero
            }
            var first = 0
            while first < blocks {
                let group = min(blockGroup, blocks - first)
                for b in 0..<group {
                    for t in 0..<T {
                        let l = (first + b) * T + t, value = l < L ? g[l] : 0
                        rows[b * T + t] = value
                        rows[(group + b) * T + t] = Double(l) * value
                    }
                }
                rows.withUnsafeBufferPointer { r in
                    table.withUnsafeBufferPointer { tab in
                        products.withUnsafeMutableBufferPointer { out in
                            Double.matrixProduct(2 * group, 2 * N, T, r.baseAddress!, T, tab.baseAddress!, 2 * N, out.baseAddress!, 2 * N)
                        }
                    }
                }
                for b in 0..<group {
                    let block = first + b
                    for n in 0..<N { anchor[n] = blockStart(block, zh[n], T: T, previous: anchor[n], step: step[n]) }
                    let p0 = b * 2 * N, p1 = (group + b) * 2 * N
                    for n in 0..<N {
                        s0[n] += anchor[n] * Complex(products[p0 + n], products[p0 + N + n])
                        s1[n] += anchor[n] * Complex(products[p1 + n], products[p1 + N + n])
                    }
                }
                first += group
            }
            let wh = w.baseAddress! + h * N
            for n in 0..<N {
                gw[h * N + n] = (s0[n] * Complex(f, 0)).conjugate
                gz[h * N + n] = (wh[n] * s1[n] * Complex(f, 0)).conjugate
            }
        }
    }
}
