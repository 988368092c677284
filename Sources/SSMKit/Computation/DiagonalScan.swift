import ComplexModule
import RealModule

// The recurrence of a diagonal SSM (MATH.md §7), per batch row b and channel h:
//   x_k = λ̄ ⊙ x_(k−1) + B̄ u_k,   y_k = f·Re(C·x_k) + D u_k   (f = 2 for conjugate pairs, else 1)
// with x_(−1) = x0 (or 0), and the final state x_(L−1) out. State in split real/imaginary arrays so
// the update over modes vectorizes; (batch, channel) pairs are split across threads.

/// Shapes: u, y (batch×H×L, row-major: row (b, h) holds the L steps); λ̄, B̄, C (H×N); D (H);
/// x0, xFinal (batch×H×N) optional. Errors: `.size` (mismatched buffers), `.value` (non-finite
/// input), `.unstable` (the state or output overflows).
public func diagonalScan(batch: Int, H: Int, N: Int, L: Int,
                         lambdaBar: UnsafeBufferPointer<Complex<Double>>, bBar: UnsafeBufferPointer<Complex<Double>>,
                         C: UnsafeBufferPointer<Complex<Double>>, D: UnsafeBufferPointer<Double>?, pairs: Bool,
                         u: UnsafeBufferPointer<Double>, x0: UnsafeBufferPointer<Complex<Double>>?,
                         y: UnsafeMutableBufferPointer<Double>, xFinal: UnsafeMutableBufferPointer<Complex<Double>>?) throws {
    try require(batch >= 1 && H >= 1 && N >= 1 && L >= 1, .size,
                "batch, H, N and L must be ≥ 1, got \(batch), \(H), \(N), \(L)")
    let rows = batch * H
    try require(lambdaBar.count == H * N && bBar.count == H * N && C.count == H * N && (D?.count ?? H) == H, .size,
                "λ̄, B̄ and C must have H×N = \(H * N) entries and D H = \(H)")
    try require(u.count == rows * L && y.count == rows * L, .size, "u and y must have batch×H×L = \(rows * L) entries")
    try require((x0?.count ?? rows * N) == rows * N && (xFinal?.count ?? rows * N) == rows * N, .size,
                "x0 and the final state must have batch×H×N = \(rows * N) entries")
    func finite(_ z: Complex<Double>) -> Bool { z.real.isFinite && z.imaginary.isFinite }
    for (name, values) in [("lambda_bar", lambdaBar), ("B_bar", bBar), ("C", C)] {
        if let k = values.firstIndex(where: { !finite($0) }) {
            throw SSMError(.value, "\(name)[\(k / N), \(k % N)] = \(values[k]) is not finite")
        }
    }
    if let k = D?.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "D[\(k)] = \(D![k]) is not finite") }
    if let k = u.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "u[\(k / L), \(k % L)] is not finite") }
    if let x0, let k = x0.firstIndex(where: { !finite($0) }) { throw SSMError(.value, "x0[\(k / N), \(k % N)] is not finite") }

    let f = pairs ? 2.0 : 1.0
    parallelFor(rows) { range in
        // Per thread: λ̄, B̄, f·C and the state as split real/imaginary rows of N (raw memory, so the
        // update over modes vectorizes).
        let work = UnsafeMutablePointer<Double>.allocate(capacity: 8 * N)
        defer { work.deallocate() }
        let lr = work, li = work + N, br = work + 2 * N, bi = work + 3 * N
        let cr = work + 4 * N, ci = work + 5 * N, xr = work + 6 * N, xi = work + 7 * N
        for row in range {
            let h = row % H
            for n in 0..<N {
                let l = lambdaBar[h * N + n], b = bBar[h * N + n], c = C[h * N + n]
                lr[n] = l.real; li[n] = l.imaginary; br[n] = b.real; bi[n] = b.imaginary
                cr[n] = f * c.real; ci[n] = f * c.imaginary
                let start = x0?[row * N + n] ?? .zero
                xr[n] = start.real; xi[n] = start.imaginary
            }
            let d = D?[h] ?? 0
            let input = u.baseAddress! + row * L, output = y.baseAddress! + row * L
            for k in 0..<L {
                let uk = input[k]
                // The state update, element-wise over modes (vectorizes), then the output as a dot
                // product with four partial sums.
                for n in 0..<N {
                    let a = xr[n], b = xi[n]
                    xr[n] = lr[n] * a - li[n] * b + br[n] * uk
                    xi[n] = lr[n] * b + li[n] * a + bi[n] * uk
                }
                var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                var n = 0
                while n + 3 < N {
                    s0 += cr[n] * xr[n] - ci[n] * xi[n]
                    s1 += cr[n + 1] * xr[n + 1] - ci[n + 1] * xi[n + 1]
                    s2 += cr[n + 2] * xr[n + 2] - ci[n + 2] * xi[n + 2]
                    s3 += cr[n + 3] * xr[n + 3] - ci[n + 3] * xi[n + 3]
                    n += 4
                }
                while n < N { s0 += cr[n] * xr[n] - ci[n] * xi[n]; n += 1 }
                output[k] = ((s0 + s1) + (s2 + s3)) + d * uk
            }
            if let xFinal { for n in 0..<N { xFinal[row * N + n] = Complex(xr[n], xi[n]) } }
        }
    }
    if let k = y.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "the output overflows at row \(k / L), step \(k % L): |λ̄| > 1 modes grow")
    }
}
