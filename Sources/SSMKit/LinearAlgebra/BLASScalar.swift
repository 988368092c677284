import CLAPACK
import ComplexModule
import RealModule

/// Makes OpenBLAS single-threaded, once, before its first use. Small and medium problems run
/// much faster on one thread (DESIGN.md), and callers parallelize at a higher level.
private let singleThreadedBLAS: Void = { openblas_set_num_threads(1) }()

/// Call before any BLAS/LAPACK routine.
@inline(__always)
func prepareBLAS() { _ = singleThreadedBLAS }

/// The two scalar types the BLAS/LAPACK bridge handles, with the few kernels written generically
/// over them (expm, norm estimation). All matrices are raw buffers: `gemm`/`gemv` are row-major,
/// `getrf`/`getrs` column-major (callers use the transpose identities they need).
protocol BLASScalar: Sendable, Equatable {
    static var zero: Self { get }
    static var one: Self { get }
    init(real: Double)
    /// |x| (the modulus for complex numbers).
    var modulus: Double { get }
    var isFiniteValue: Bool { get }
    /// e^x.
    var exponential: Self { get }
    /// x·s for a real s.
    func scaled(_ s: Double) -> Self
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func += (a: inout Self, b: Self)
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    /// Re(conj(a)·b), the real inner-product term.
    static func realDot(_ a: Self, _ b: Self) -> Double
    /// x/|x|, or 1 for x = 0 (the "sign" of Hager's norm estimator).
    var unitSign: Self { get }

    /// C (m×n, ldc) = alpha·A (m×k, lda) · B (k×n, ldb) + beta·C, row-major.
    static func gemm(_ m: Int, _ n: Int, _ k: Int, alpha: Double, _ a: UnsafePointer<Self>, _ lda: Int,
                     _ b: UnsafePointer<Self>, _ ldb: Int, beta: Double,
                     _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
    /// y = op(A) x for row-major A (m×n, lda); op is A, or Aᴴ when `adjoint`.
    static func gemv(adjoint: Bool, _ m: Int, _ n: Int, _ a: UnsafePointer<Self>, _ lda: Int,
                     _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>)
    /// Solves op(T) X = B in place for a triangular T (m×m, ldt) and B (m×n, ldb), both row-major;
    /// op is T, or Tᵀ when `transpose` (no conjugate). Only T's `lower` (or upper) triangle is read;
    /// with `unitDiagonal` its diagonal is taken as ones.
    static func trsm(lower: Bool, transpose: Bool, unitDiagonal: Bool, _ m: Int, _ n: Int,
                     _ t: UnsafePointer<Self>, _ ldt: Int, _ b: UnsafeMutablePointer<Self>, _ ldb: Int)
    /// LU factorization with partial pivoting of a column-major n×n matrix; LAPACK info.
    static func getrf(_ n: Int, _ a: UnsafeMutablePointer<Self>, _ lda: Int,
                      _ ipiv: UnsafeMutablePointer<Int32>) -> Int32
    /// Solves op(A) X = B (column-major B, n×nrhs) from getrf's factors; op = A or Aᵀ (no conjugate).
    static func getrs(transpose: Bool, _ n: Int, _ nrhs: Int, _ a: UnsafePointer<Self>, _ lda: Int,
                      _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Self>, _ ldb: Int) -> Int32
}

extension Double: BLASScalar {
    static var one: Double { 1 }
    init(real: Double) { self = real }
    var modulus: Double { Swift.abs(self) }
    var isFiniteValue: Bool { isFinite }
    var exponential: Double { Double.exp(self) }
    func scaled(_ s: Double) -> Double { self * s }
    static func realDot(_ a: Double, _ b: Double) -> Double { a * b }
    var unitSign: Double { self < 0 ? -1 : 1 }

    static func gemm(_ m: Int, _ n: Int, _ k: Int, alpha: Double, _ a: UnsafePointer<Double>, _ lda: Int,
                     _ b: UnsafePointer<Double>, _ ldb: Int, beta: Double,
                     _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        prepareBLAS()
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    static func gemv(adjoint: Bool, _ m: Int, _ n: Int, _ a: UnsafePointer<Double>, _ lda: Int,
                     _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        prepareBLAS()
        cblas_dgemv(CblasRowMajor, adjoint ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), 1,
                    a, Int32(lda), x, 1, 0, y, 1)
    }

    static func trsm(lower: Bool, transpose: Bool, unitDiagonal: Bool, _ m: Int, _ n: Int,
                     _ t: UnsafePointer<Double>, _ ldt: Int, _ b: UnsafeMutablePointer<Double>, _ ldb: Int) {
        prepareBLAS()
        cblas_dtrsm(CblasRowMajor, CblasLeft, lower ? CblasLower : CblasUpper, transpose ? CblasTrans : CblasNoTrans,
                    unitDiagonal ? CblasUnit : CblasNonUnit, Int32(m), Int32(n), 1, t, Int32(ldt), b, Int32(ldb))
    }

    static func getrf(_ n: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int,
                      _ ipiv: UnsafeMutablePointer<Int32>) -> Int32 {
        prepareBLAS()
        return LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, Int32(n), Int32(n), a, Int32(lda), ipiv)
    }

    static func getrs(transpose: Bool, _ n: Int, _ nrhs: Int, _ a: UnsafePointer<Double>, _ lda: Int,
                      _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Double>, _ ldb: Int) -> Int32 {
        prepareBLAS()
        return LAPACKE_dgetrs_work(LAPACK_COL_MAJOR, transpose ? 84 /* T */ : 78 /* N */, Int32(n),
                                   Int32(nrhs), a, Int32(lda), ipiv, b, Int32(ldb))
    }
}

extension Complex: BLASScalar where RealType == Double {
    init(real: Double) { self.init(real, 0) }
    var modulus: Double { length }
    var isFiniteValue: Bool { real.isFinite && imaginary.isFinite }
    var exponential: Complex<Double> { Complex.exp(self) }
    func scaled(_ s: Double) -> Complex<Double> { Complex(real * s, imaginary * s) }
    static func realDot(_ a: Complex<Double>, _ b: Complex<Double>) -> Double {
        a.real * b.real + a.imaginary * b.imaginary
    }
    var unitSign: Complex<Double> {
        let r = length
        return r == 0 ? .one : Complex(real / r, imaginary / r)
    }

    static func gemm(_ m: Int, _ n: Int, _ k: Int, alpha: Double, _ a: UnsafePointer<Complex<Double>>, _ lda: Int,
                     _ b: UnsafePointer<Complex<Double>>, _ ldb: Int, beta: Double,
                     _ c: UnsafeMutablePointer<Complex<Double>>, _ ldc: Int) {
        prepareBLAS()
        var al = Complex<Double>(alpha, 0), be = Complex<Double>(beta, 0)
        cblas_zgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), &al,
                    a, Int32(lda), b, Int32(ldb), &be, c, Int32(ldc))
    }

    static func gemv(adjoint: Bool, _ m: Int, _ n: Int, _ a: UnsafePointer<Complex<Double>>, _ lda: Int,
                     _ x: UnsafePointer<Complex<Double>>, _ y: UnsafeMutablePointer<Complex<Double>>) {
        prepareBLAS()
        var al = Complex<Double>.one, be = Complex<Double>.zero
        cblas_zgemv(CblasRowMajor, adjoint ? CblasConjTrans : CblasNoTrans, Int32(m), Int32(n), &al,
                    a, Int32(lda), x, 1, &be, y, 1)
    }

    static func trsm(lower: Bool, transpose: Bool, unitDiagonal: Bool, _ m: Int, _ n: Int,
                     _ t: UnsafePointer<Complex<Double>>, _ ldt: Int, _ b: UnsafeMutablePointer<Complex<Double>>, _ ldb: Int) {
        prepareBLAS()
        var one = Complex<Double>.one
        cblas_ztrsm(CblasRowMajor, CblasLeft, lower ? CblasLower : CblasUpper, transpose ? CblasTrans : CblasNoTrans,
                    unitDiagonal ? CblasUnit : CblasNonUnit, Int32(m), Int32(n), &one, t, Int32(ldt), b, Int32(ldb))
    }

    static func getrf(_ n: Int, _ a: UnsafeMutablePointer<Complex<Double>>, _ lda: Int,
                      _ ipiv: UnsafeMutablePointer<Int32>) -> Int32 {
        prepareBLAS()
        return a.withMemoryRebound(to: ssm_lapack_complex_double.self, capacity: 1) {
            LAPACKE_zgetrf_work(LAPACK_COL_MAJOR, Int32(n), Int32(n), $0, Int32(lda), ipiv)
        }
    }

    static func getrs(transpose: Bool, _ n: Int, _ nrhs: Int, _ a: UnsafePointer<Complex<Double>>, _ lda: Int,
                      _ ipiv: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Complex<Double>>, _ ldb: Int) -> Int32 {
        prepareBLAS()
        return a.withMemoryRebound(to: ssm_lapack_complex_double.self, capacity: 1) { ap in
            b.withMemoryRebound(to: ssm_lapack_complex_double.self, capacity: 1) { bp in
                LAPACKE_zgetrs_work(LAPACK_COL_MAJOR, transpose ? 84 : 78, Int32(n), Int32(nrhs),
                                    ap, Int32(lda), ipiv, bp, Int32(ldb))
            }
        }
    }
}
