import ComplexModule
import Testing
@testable import SSMKit

/// The DPLR form (DPLR.swift); numpy cross-checks of the reconstruction are in python/tests/test_init.py.
@Suite struct DPLRTests {
    @Test(arguments: [(HiPPOMeasure.legs, 64), (.legt, 64), (.lagt, 64), (.legs, 2)])
    func pairsReconstructTheNormalPart(measure: HiPPOMeasure, n: Int) throws {
        let d = try dplr(measure, N: n)
        #expect(d.lambda.count == n / 2 && d.V.rows == n && d.V.columns == n / 2)
        #expect(d.reconstructionError < 1e-13)
        // S = V Λ V* + conj(V Λ V*) with S = A + PᵀP, entry by entry.
        let (A, _) = try hippo(measure, N: n)
        let P = try hippoRankCorrection(measure, N: n)
        var worst = 0.0, scale = 0.0
        for j in 0..<n {
            for k in 0..<n {
                var s = A[j, k]
                for i in 0..<P.rows { s += P[i, j] * P[i, k] }
                var r = Complex<Double>.zero
                for m in 0..<(n / 2) { r += d.V[j, m] * d.lambda[m] * d.V[k, m].conjugate }
                worst = max(worst, abs(2 * r.real - s)); scale = max(scale, abs(s))
            }
        }
        #expect(worst <= 1e-12 * scale, "\(measure) N \(n): \(worst)")
        for m in 1..<(n / 2) { #expect(d.lambda[m].imaginary > d.lambda[m - 1].imaginary) }
    }

    @Test func badInputs() {
        #expect(throws: SSMError.self) { try dplr(.fout, N: 5) }          // odd N: no pairs
        #expect((try? dplr(.fout, N: 5, pairs: false))?.lambda.count == 5)
        #expect(throws: SSMError.self) { try dplr(.lmu, N: 4) }
        #expect(throws: SSMError.self) { try dplr(.legs, N: 0) }
    }
}
