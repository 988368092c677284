import CLAPACK

// The convolution kernel of a dense discrete system (MATH.md §7): K_l = C Ā^l B̄ (p×m), l < L, by
// the Krylov sequence V_0 = B̄, V_(l+1) = Ā V_l (one product N×N by N×m per step) and K_l = C V_l.

/// K (L×p×m, row-major: K[l] is the p×m block) from Ā (N×N), B̄ (N×m), C (p×N), all row-major.
/// Errors: `.size` (mismatched buffers), `.value` (non-finite input), `.unstable` (K overflows:
/// a spectral radius above 1).
public func denseKernel(N: Int, m: Int, p: Int, L: Int, A: UnsafeBufferPointer<Double>, B: UnsafeBufferPointer<Double>,
                        C: UnsafeBufferPointer<Double>, into K: UnsafeMutableBufferPointer<Double>) throws {
    try require(N >= 1 && m >= 1 && p >= 1 && L >= 1, .size, "N, m, p and L must be ≥ 1, got \(N), \(m), \(p), \(L)")
    try require(A.count == N * N && B.count == N * m && C.count == p * N && K.count == L * p * m, .size,
                "A must have N×N = \(N * N), B N×m = \(N * m), C p×N = \(p * N) and K L×p×m = \(L * p * m) entries")
    for (name, values) in [("A", A), ("B", B), ("C", C)] {
        if let k = values.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "\(name)[\(k)] = \(values[k]) is not finite") }
    }
    prepareBLAS()
    var v = Array(B), next = [Double](repeating: 0, count: N * m)
    let a = A.baseAddress!, c = C.baseAddress!, out = K.baseAddress!
    for l in 0..<L {
        v.withUnsafeBufferPointer { vp in
            // K_l = C V_l.
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(p), Int32(m), Int32(N), 1, c, Int32(N),
                        vp.baseAddress!, Int32(m), 0, out + l * p * m, Int32(m))
            if l + 1 < L {
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(N), Int32(m), Int32(N), 1, a, Int32(N),
                            vp.baseAddress!, Int32(m), 0, &next, Int32(m))
            }
        }
        swap(&v, &next)
    }
    if let k = K.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "the kernel overflows at l = \(k / (p * m)): the spectral radius of A exceeds 1")
    }
}
