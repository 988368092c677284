import CLAPACK

// The recurrence of a dense discrete system (scipy.signal.dlsim's convention, with the state
// update first): x_k = Ā x_(k−1) + B̄ u_k, y_k = C x_k + D u_k, from x_(−1) = x0, per batch row.

/// u (batch×L×m), y (batch×L×p), x0 and the final state (batch×N) optional; Ā N×N, B̄ N×m, C p×N,
/// D p×m optional (0), all row-major. Batch rows are split across threads.
/// Errors: `.size`, `.value` (non-finite input), `.unstable` (the output overflows).
public func denseScan(batch: Int, N: Int, m: Int, p: Int, L: Int, A: UnsafeBufferPointer<Double>,
                      B: UnsafeBufferPointer<Double>, C: UnsafeBufferPointer<Double>, D: UnsafeBufferPointer<Double>?,
                      u: UnsafeBufferPointer<Double>, x0: UnsafeBufferPointer<Double>?,
                      y: UnsafeMutableBufferPointer<Double>, xFinal: UnsafeMutableBufferPointer<Double>?) throws {
    try require(batch >= 1 && N >= 1 && m >= 1 && p >= 1 && L >= 1, .size,
                "batch, N, m, p and L must be ≥ 1, got \(batch), \(N), \(m), \(p), \(L)")
    try require(A.count == N * N && B.count == N * m && C.count == p * N && (D?.count ?? p * m) == p * m, .size,
                "A must have N×N, B N×m, C p×N and D p×m entries")
    try require(u.count == batch * L * m && y.count == batch * L * p, .size,
                "u must have batch×L×m = \(batch * L * m) and y batch×L×p = \(batch * L * p) entries")
    try require((x0?.count ?? batch * N) == batch * N && (xFinal?.count ?? batch * N) == batch * N, .size,
                "x0 and the final state must have batch×N = \(batch * N) entries")
    for (name, values) in [("A", A), ("B", B), ("C", C), ("u", u)] {
        if let k = values.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "\(name)[\(k)] = \(values[k]) is not finite") }
    }
    if let k = D?.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "D[\(k)] is not finite") }
    if let k = x0?.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "x0[\(k)] is not finite") }
    prepareBLAS()
    let a = A.baseAddress!, b = B.baseAddress!, c = C.baseAddress!
    parallelFor(batch) { rows in
        var x = [Double](repeating: 0, count: N), next = x
        for r in rows {
            for n in 0..<N { x[n] = x0?[r * N + n] ?? 0 }
            for k in 0..<L {
                let uk = u.baseAddress! + (r * L + k) * m, yk = y.baseAddress! + (r * L + k) * p
                // next = Ā x + B̄ u_k; y_k = C next + D u_k.
                cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(N), Int32(N), 1, a, Int32(N), x, 1, 0, &next, 1)
                cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(N), Int32(m), 1, b, Int32(m), uk, 1, 1, &next, 1)
                cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(p), Int32(N), 1, c, Int32(N), next, 1, 0, yk, 1)
                if let D { cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(p), Int32(m), 1, D.baseAddress!, Int32(m), uk, 1, 1, yk, 1) }
                swap(&x, &next)
            }
            if let xFinal { for n in 0..<N { xFinal[r * N + n] = x[n] } }
        }
    }
    if let k = y.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "the output overflows at entry \(k): the spectral radius of A exceeds 1")
    }
}
