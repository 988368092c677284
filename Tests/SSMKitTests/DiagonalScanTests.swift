import ComplexModule
import Testing
@testable import SSMKit

/// The diagonal scan (DiagonalScan.swift); numpy, dense-system and kernel cross-checks are in
/// python/tests/test_scan.py.
@Suite struct DiagonalScanTests {
    @Test func geometricSeriesAndFinalState() throws {
        // One mode λ̄ = ½ + 0i, B̄ = 1, C = 1, f = 1, D = 3: y_k = Σ_j ½^(k−j) u_j + 3 u_k.
        let u: [Double] = [1, 0, 0, 2]
        var y = [Double](repeating: 0, count: 4)
        var final = [Complex<Double>](repeating: .zero, count: 1)
        let one = [Complex<Double>(1, 0)], half = [Complex<Double>(0.5, 0)], d: [Double] = [3]
        try half.withUnsafeBufferPointer { l in
            try one.withUnsafeBufferPointer { b in
                try d.withUnsafeBufferPointer { dp in
                    try u.withUnsafeBufferPointer { up in
                        try y.withUnsafeMutableBufferPointer { yp in
                            try final.withUnsafeMutableBufferPointer { fp in
                                try diagonalScan(batch: 1, H: 1, N: 1, L: 4, lambdaBar: l, bBar: b, C: b, D: dp, pairs: false,
                                                 u: up, x0: nil, y: yp, xFinal: fp)
                            }
                        }
                    }
                }
            }
        }
        #expect(y == [4, 0.5, 0.25, 8.125])
        #expect(final == [Complex(2.125, 0)])
    }
}
