import CLAPACK
import RealModule

// The element types of sequence-sized arrays — kernels, inputs, outputs, steps — in float64 or
// float32. Parameters (λ, B, C, D) and states stay float64 in both: they are small, and they set
// the accuracy (a float32 λ̄ raised to the power 65536 keeps 3 digits; MATH.md §7). The float32
// variants therefore halve the memory and traffic of the large arrays and round once at the end.

/// Float or Double: the element type of the sequence-sized arrays of kernels, scans and convolution.
public protocol SequenceScalar: BinaryFloatingPoint, Real, SIMDScalar, Sendable {
    init(_ value: Double)
    /// The value in float64 (exact).
    var doubleValue: Double { get }
    /// C (m×n, ldc) = α·op(A)·op(B) + β·C, row-major, in this precision; op(A) is m×k (A itself,
    /// or Aᵀ when `transposeA`), op(B) k×n.
    static func matrixProduct(transposeA: Bool, transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, alpha: Self,
                              _ a: UnsafePointer<Self>, _ lda: Int, _ b: UnsafePointer<Self>, _ ldb: Int,
                              beta: Self, _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
}

extension SequenceScalar {
    /// C (m×n, ldc) = A (m×k, lda) · B (k×n, ldb), row-major, in this precision.
    @inline(__always)
    public static func matrixProduct(_ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Self>, _ lda: Int,
                                     _ b: UnsafePointer<Self>, _ ldb: Int, _ c: UnsafeMutablePointer<Self>, _ ldc: Int) {
        matrixProduct(transposeA: false, transposeB: false, m, n, k, alpha: 1, a, lda, b, ldb, beta: 0, c, ldc)
    }
}

extension Double: SequenceScalar {
    @inline(__always) public var doubleValue: Double { self }
    public static func matrixProduct(transposeA: Bool, transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, alpha: Double,
                                     _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
                                     beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        prepareBLAS()
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension Float: SequenceScalar {
    @inline(__always) public var doubleValue: Double { Double(self) }
    public static func matrixProduct(transposeA: Bool, transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, alpha: Float,
                                     _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                                     beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        prepareBLAS()
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
