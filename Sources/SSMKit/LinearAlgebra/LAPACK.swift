import CLAPACK
import ComplexModule
import RealModule

// The public bridge to OpenBLAS/LAPACKE for the matrix type: products, linear solves and
// eigendecompositions. Everything is row-major (LAPACK_ROW_MAJOR), single-threaded (prepareBLAS).

/// Checks that a matrix is square and finite; `name` is used in the error message.
private func requireSquareFinite<S: BLASScalar>(_ a: Matrix<S>, _ name: String) throws {
    try require(a.isSquare && a.rows >= 1, .size, "\(name) must be square and non-empty, got \(a.rows)×\(a.columns)")
    try requireFiniteEntries(a, name)
}

/// Throws `.value` naming the first non-finite entry of `a` as name[row, column].
func requireFiniteEntries<S: BLASScalar>(_ a: Matrix<S>, _ name: String) throws {
    for (k, v) in a.elements.enumerated() where !v.isFiniteValue {
        throw SSMError(.value, "\(name)[\(k / max(a.columns, 1)), \(k % max(a.columns, 1))] = \(v) is not finite")
    }
}

/// a·b (cblas_dgemm). The inner dimensions must agree.
public func matmul(_ a: RealMatrix, _ b: RealMatrix) -> RealMatrix { product(a, b) }

/// a·b (cblas_zgemm). The inner dimensions must agree.
public func matmul(_ a: ComplexMatrix, _ b: ComplexMatrix) -> ComplexMatrix { product(a, b) }

private func product<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>) -> Matrix<S> {
    precondition(a.columns == b.rows, "matmul: \(a.rows)×\(a.columns) times \(b.rows)×\(b.columns)")
    var c = Matrix<S>(rows: a.rows, columns: b.columns, repeating: .zero)
    if a.rows == 0 || b.columns == 0 || a.columns == 0 { return c }
    a.elements.withUnsafeBufferPointer { ap in
        b.elements.withUnsafeBufferPointer { bp in
            c.elements.withUnsafeMutableBufferPointer { cp in
                S.gemm(a.rows, b.columns, a.columns, alpha: 1, ap.baseAddress!, a.columns,
                       bp.baseAddress!, b.columns, beta: 0, cp.baseAddress!, b.columns)
            }
        }
    }
    return c
}

/// Solves a·x = b (dgesv, LU with partial pivoting). Throws `.singular` on an exactly zero pivot
/// or a non-finite solution, `.size`/`.value` on bad input.
public func solve(_ a: RealMatrix, _ b: RealMatrix) throws -> RealMatrix { try luSolve(a, b) }

/// Solves a·x = b (zgesv); errors as the real version.
public func solve(_ a: ComplexMatrix, _ b: ComplexMatrix) throws -> ComplexMatrix { try luSolve(a, b) }

/// Column-major trick: row-major a is aᵀ column-major. Factor aᵀ, then solve (aᵀ)ᵀ x = b with
/// getrs('T') on a column-major copy of b; no LAPACKE transposition copies of a.
private func luSolve<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>) throws -> Matrix<S> {
    try requireSquareFinite(a, "a")
    try require(b.rows == a.rows, .size, "b must have \(a.rows) rows, got \(b.rows)")
    try requireFiniteEntries(b, "b")
    let n = a.rows, k = b.columns
    if k == 0 { return b }
    var lu = a.elements
    var ipiv = [Int32](repeating: 0, count: n)
    var cm = [S](repeating: .zero, count: n * k)   // b column-major
    for i in 0..<n { for j in 0..<k { cm[i + j * n] = b.elements[i * k + j] } }
    let info: Int32 = lu.withUnsafeMutableBufferPointer { lp in
        ipiv.withUnsafeMutableBufferPointer { pp in
            let f = S.getrf(n, lp.baseAddress!, n, pp.baseAddress!)
            if f != 0 { return f }
            return cm.withUnsafeMutableBufferPointer { cp in
                S.getrs(transpose: true, n, k, lp.baseAddress!, n, pp.baseAddress!, cp.baseAddress!, n)
            }
        }
    }
    if info > 0 { throw SSMError(.singular, "the matrix is singular: pivot \(info) is exactly zero") }
    if info < 0 { throw SSMError(.internal, "LAPACK getrf/getrs: argument \(-info) is invalid") }
    var x = Matrix<S>(rows: n, columns: k, repeating: .zero)
    for i in 0..<n { for j in 0..<k { x.elements[i * k + j] = cm[i + j * n] } }
    if x.elements.contains(where: { !$0.isFiniteValue }) {
        throw SSMError(.singular, "the matrix is singular to working precision (the solution overflows)")
    }
    return x
}

/// Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric matrix (dsyevd).
/// Only the lower triangle of `a` is read.
public func eigh(_ a: RealMatrix) throws -> (values: [Double], vectors: RealMatrix) {
    let (w, v) = try symmetricEigen(a, vectors: true)
    return (w, RealMatrix(rows: a.rows, columns: a.rows, elements: v))
}

/// Eigenvalues (ascending) of a symmetric matrix, without eigenvectors (dsyevd, jobz N).
/// Only the lower triangle of `a` is read.
public func eigvalsh(_ a: RealMatrix) throws -> [Double] { try symmetricEigen(a, vectors: false).values }

/// dsyevd on the lower triangle of `a`: eigenvalues (ascending) and, if `vectors`, the eigenvectors
/// as columns of the returned row-major elements (otherwise those elements are scratch).
private func symmetricEigen(_ a: RealMatrix, vectors: Bool) throws -> (values: [Double], elements: [Double]) {
    try requireSquareFinite(a, "a")
    prepareBLAS()
    let n = a.rows
    var v = a.elements
    var w = [Double](repeating: 0, count: n)
    let info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, vectors ? 86 /* V */ : 78 /* N */, 76 /* L */, Int32(n), &v, Int32(n), &w)
    try checkEigenInfo(info, "dsyevd")
    return (w, v)
}

/// Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a Hermitian matrix (zheevd).
/// Only the lower triangle of `a` is read.
public func eigh(_ a: ComplexMatrix) throws -> (values: [Double], vectors: ComplexMatrix) {
    try requireSquareFinite(a, "a")
    prepareBLAS()
    let n = a.rows
    var v = a.elements
    var w = [Double](repeating: 0, count: n)
    let info = v.withUnsafeMutableBufferPointer { vp in
        vp.baseAddress!.withMemoryRebound(to: ssm_lapack_complex_double.self, capacity: n * n) {
            LAPACKE_zheevd(LAPACK_ROW_MAJOR, 86, 76, Int32(n), $0, Int32(n), &w)
        }
    }
    try checkEigenInfo(info, "zheevd")
    return (w, ComplexMatrix(rows: n, columns: n, elements: v))
}

/// Eigenvalues of a general real matrix (dgeev), in LAPACK's order (conjugate pairs adjacent,
/// positive imaginary part first).
public func eig(_ a: RealMatrix) throws -> [Complex<Double>] {
    try requireSquareFinite(a, "a")
    prepareBLAS()
    let n = a.rows
    var m = a.elements
    var wr = [Double](repeating: 0, count: n), wi = [Double](repeating: 0, count: n)
    var vl = [Double](repeating: 0, count: 1), vr = [Double](repeating: 0, count: 1)
    let info = LAPACKE_dgeev(LAPACK_ROW_MAJOR, 78, 78, Int32(n), &m, Int32(n), &wr, &wi,
                             &vl, 1, &vr, 1)
    try checkEigenInfo(info, "dgeev")
    return (0..<n).map { Complex(wr[$0], wi[$0]) }
}

/// Eigenvalues and right eigenvectors (columns, unit 2-norm) of a general complex matrix (zgeev).
public func eig(_ a: ComplexMatrix) throws -> (values: [Complex<Double>], vectors: ComplexMatrix) {
    try requireSquareFinite(a, "a")
    prepareBLAS()
    let n = a.rows
    var m = a.elements
    var w = [Complex<Double>](repeating: .zero, count: n)
    var vr = [Complex<Double>](repeating: .zero, count: n * n)
    var vl = [Complex<Double>](repeating: .zero, count: 1)
    let info = m.withUnsafeMutableBufferPointer { mp in
        w.withUnsafeMutableBufferPointer { wp in
            vr.withUnsafeMutableBufferPointer { vp in
                vl.withUnsafeMutableBufferPointer { lp in
                    mp.baseAddress!.withMemoryRebound(to: ssm_lapack_complex_double.self, capacity: n * n) { mq in
                        wp.baseAddress!.withMemoryRebound(to: ssm_lapack_complex_double.self, capacity: n) { wq in
                            vp.baseAddress!.withMemoryRebound(to: ssm_lapack_complex_double.self, capacity: n * n) { vq in
                                lp.baseAddress!.withMemoryRebound(to: ssm_lapack_complex_double.self, capacity: 1) { lq in
                                    LAPACKE_zgeev(LAPACK_ROW_MAJOR, 78, 86, Int32(n), mq, Int32(n), wq, lq, 1, vq, Int32(n))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    try checkEigenInfo(info, "zgeev")
    return (w, ComplexMatrix(rows: n, columns: n, elements: vr))
}

func checkEigenInfo(_ info: Int32, _ routine: String) throws {
    if info > 0 { throw SSMError(.notConverged, "\(routine) did not converge (info = \(info))") }
    if info < 0 { throw SSMError(.internal, "\(routine): argument \(-info) is invalid") }
}
