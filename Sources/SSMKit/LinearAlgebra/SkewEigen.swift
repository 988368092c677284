import CLAPACK
import ComplexModule

// Eigen-decomposition of a real skew-symmetric matrix K in real arithmetic: the Hermitian −iK has
// eigenvalues ω (real) and K = V diag(iω) V*. Householder reflectors reduce K to a skew tridiagonal
// T = QᵀKQ (sub-diagonal e), blocked so half the work is matrix products (as LAPACK's dsytrd/dlatrd
// do for symmetric matrices; for skew K each reflector's update is K + v pᵀ − p vᵀ with p = τKv,
// since vᵀKv = 0). With D = diag((−i)^k), D*(−iT)D is the real symmetric tridiagonal with zero
// diagonal and off-diagonal e, solved by dstevd; then V = Q·D·Z. About a quarter of the work of
// the complex Hermitian solver on −iK.

/// Panel width of the blocked reduction.
private let panel = 32

/// ω ascending and the unit eigenvectors of −iK for the modes first..<N (V is N × (N − first),
/// row-major). K is N×N row-major and must be exactly skew-symmetric (only its strict lower
/// triangle is read).
func skewEigen(_ K: RealMatrix, first: Int = 0) throws -> (omega: [Double], V: ComplexMatrix) {
    let n = K.rows
    precondition(K.columns == n && n >= 1 && first >= 0 && first < n)
    prepareBLAS()
    // Column-major working copy, full skew matrix from the lower triangle.
    var a = [Double](repeating: 0, count: n * n)
    for c in 0..<n { for r in (c + 1)..<n { let x = K[r, c]; a[r + c * n] = x; a[c + r * n] = -x } }
    var tau = [Double](repeating: 0, count: max(n - 1, 1)), e = [Double](repeating: 0, count: max(n - 1, 1))
    if n > 2 {
        a.withUnsafeMutableBufferPointer { ap in
            tridiagonalize(ap.baseAddress!, n: n, tau: &tau, e: &e)
        }
    }
    if n >= 2 { e[n - 2] = a[(n - 1) + (n - 2) * n]; tau[n - 2] = 0 }

    // Q from the reflectors (LAPACK's dsytrd 'L' storage), then the tridiagonal eigenproblem.
    let info = LAPACKE_dorgtr(LAPACK_COL_MAJOR, 76 /* L */, Int32(n), &a, Int32(n), &tau)
    try checkEigenInfo(info, "dorgtr")
    var d = [Double](repeating: 0, count: n), z = [Double](repeating: 0, count: n * n)
    var off = e
    let info2 = LAPACKE_dstevd(LAPACK_COL_MAJOR, 86 /* V */, Int32(n), &d, &off, &z, Int32(n))
    try checkEigenInfo(info2, "dstevd")

    // V = Q·D·Z for the kept columns: Re and Im parts by two real products (D_kk = (−i)^k).
    let m = n - first
    var zr = [Double](repeating: 0, count: n * m), zi = zr
    for c in 0..<m {
        for k in 0..<n {
            let v = z[k + (first + c) * n]
            switch k % 4 {
            case 0: zr[k + c * n] = v
            case 1: zi[k + c * n] = -v
            case 2: zr[k + c * n] = -v
            default: zi[k + c * n] = v
            }
        }
    }
    var vr = [Double](repeating: 0, count: n * m), vi = vr
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(m), Int32(n), 1, a, Int32(n), zr, Int32(n), 0, &vr, Int32(n))
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(m), Int32(n), 1, a, Int32(n), zi, Int32(n), 0, &vi, Int32(n))
    var V = ComplexMatrix(rows: n, columns: m, repeating: .zero)
    for r in 0..<n { for c in 0..<m { V.elements[r * m + c] = Complex(vr[r + c * n], vi[r + c * n]) } }
    return (Array(d[first...]), V)
}

/// Reduces the full skew matrix `a` (column-major, n > 2) to tridiagonal form in place: reflector j
/// (j ≤ n − 3) is stored as in dsytrd 'L' (v_(j+1) = 1 implied, v below in column j), τ_j in `tau`,
/// the sub-diagonal T_(j+1, j) in `e`. Column n − 2's sub-diagonal is left in `a`.
private func tridiagonalize(_ a: UnsafeMutablePointer<Double>, n: Int, tau: inout [Double], e: inout [Double]) {
    let reflectors = n - 2
    // V, W (n × panel, column-major), y (n), t1, t2 (panel): one allocation.
    let buffer = UnsafeMutablePointer<Double>.allocate(capacity: 2 * n * panel + n + 2 * panel)
    defer { buffer.deallocate() }
    let V = buffer, W = buffer + n * panel, y = W + n * panel, t1 = y + n, t2 = t1 + panel
    var j0 = 0
    while j0 < reflectors {
        let jb = min(panel, reflectors - j0)
        V.update(repeating: 0, count: 2 * n * panel)   // V and W
        for i in 0..<jb {
            let j = j0 + i, start = j + 1, m = n - start
            let col = a + start + j * n
            // Column j with the panel's earlier reflectors applied: += V·W[j, :]ᵀ − W·V[j, :]ᵀ.
            for t in 0..<i {
                let wj = W[j + t * n], vj = V[j + t * n]
                for r in 0..<m { col[r] += V[start + r + t * n] * wj - W[start + r + t * n] * vj }
            }
            // Householder: x = col, v = [1, x(1:)/(α − β)], β = −sign(α)‖x‖, τ = (β − α)/β.
            let alpha = col[0]
            var norm2 = 0.0
            for r in 1..<m { norm2 += col[r] * col[r] }
            if norm2 == 0 {
                tau[j] = 0; e[j] = alpha
                continue   // H = I: its V and W columns stay zero
            }
            let beta = (alpha >= 0 ? -1.0 : 1.0) * (alpha * alpha + norm2).squareRoot()
            tau[j] = (beta - alpha) / beta
            let scale = 1 / (alpha - beta)
            for r in 1..<m { col[r] *= scale }
            e[j] = beta
            col[0] = 1
            // v in V[:, i]; p = τ·(A v + V(Wᵀv) − W(Vᵀv)) over rows ≥ start, into W[:, i].
            for r in 0..<m { V[start + r + i * n] = col[r] }
            let v = V + start + i * n
            cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(m), Int32(m), 1, a + start + start * n, Int32(n), v, 1, 0, y, 1)
            if i > 0 {
                // t1 = Wᵀv, t2 = Vᵀv over the first i columns (rows ≥ start); y += V t1 − W t2.
                cblas_dgemv(CblasColMajor, CblasTrans, Int32(m), Int32(i), 1, W + start, Int32(n), v, 1, 0, t1, 1)
                cblas_dgemv(CblasColMajor, CblasTrans, Int32(m), Int32(i), 1, V + start, Int32(n), v, 1, 0, t2, 1)
                cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(m), Int32(i), 1, V + start, Int32(n), t1, 1, 1, y, 1)
                cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(m), Int32(i), -1, W + start, Int32(n), t2, 1, 1, y, 1)
            }
            for r in 0..<m { W[start + r + i * n] = tau[j] * y[r] }
            col[0] = beta
        }
        // Trailing block (indices ≥ j0 + jb): A += V Wᵀ − W Vᵀ.
        let s = j0 + jb, m = n - s
        if m > 0 {
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(m), Int32(jb), 1,
                        V + s, Int32(n), W + s, Int32(n), 1, a + s + s * n, Int32(n))
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(m), Int32(jb), -1,
                        W + s, Int32(n), V + s, Int32(n), 1, a + s + s * n, Int32(n))
        }
        j0 += jb
    }
}
