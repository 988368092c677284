import ComplexModule
import RealModule
import Testing
@testable import SSMKit
import TestSupport

/// The real skew-symmetric eigensolver (SkewEigen.swift) against the complex Hermitian one.
@Suite struct SkewEigenTests {
    @Test(arguments: [1, 2, 3, 4, 7, 33, 64, 100])
    func matchesTheHermitianSolver(n: Int) throws {
        let g = randomMatrix(n, n, seed: UInt64(n) + 3)
        var K = RealMatrix(rows: n, columns: n, repeating: 0)
        var H = ComplexMatrix(rows: n, columns: n, repeating: .zero)
        for r in 0..<n {
            for c in 0..<n {
                K[r, c] = g[r, c] - g[c, r]
                H.elements[r * n + c] = Complex(0, -K[r, c])   // −iK
            }
        }
        let (omega, V) = try skewEigen(K)
        let (reference, _) = try eigh(H)
        let scale = max(1, reference.map(abs).max()!)
        for k in 0..<n { #expect(abs(omega[k] - reference[k]) <= 1e-13 * scale, "n \(n) ω[\(k)]") }
        // K v = iω v and V*V = I.
        var worst = 0.0, orthogonality = 0.0
        for m in 0..<n {
            for r in 0..<n {
                var kv = Complex<Double>.zero
                for c in 0..<n { kv += Complex(K[r, c], 0) * V[c, m] }
                worst = max(worst, (kv - Complex(0, omega[m]) * V[r, m]).length)
            }
            for m2 in 0..<n {
                var dot = Complex<Double>.zero
                for r in 0..<n { dot += V[r, m].conjugate * V[r, m2] }
                orthogonality = max(orthogonality, (dot - (m == m2 ? Complex(1, 0) : .zero)).length)
            }
        }
        #expect(worst <= 1e-13 * scale && orthogonality <= 1e-13, "n \(n): residual \(worst), orthogonality \(orthogonality)")
        // The upper half alone equals the corresponding columns of the full decomposition.
        let (upper, U) = try skewEigen(K, first: n / 2)
        #expect(upper == Array(omega[(n / 2)...]) && U.columns == n - n / 2)
    }
}
