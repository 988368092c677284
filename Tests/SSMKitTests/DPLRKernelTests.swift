import ComplexModule
import RealModule
import Testing
@testable import SSMKit

/// The DPLR kernel (DPLRKernel.swift) on systems with closed forms; HiPPO and random systems
/// against numpy's dense powers are in python/tests/test_kernel_dplr.py.
@Suite struct DPLRKernelTests {
    /// Two modes with a rank-one coupling, pairs off: against the dense 2×2 bilinear system's powers.
    @Test(arguments: [1, 2, 7, 64, 129])
    func twoModesMatchTheDensePowers(L: Int) throws {
        let lambda = [Complex<Double>(-0.3, 1), Complex(-1, -0.5)], p = [Complex<Double>(0.4, 0.1), Complex(-0.2, 0.3)]
        let q = [Complex<Double>(0.1, -0.2), Complex(0.5, 0)], b = [Complex<Double>(1, 0), Complex(0.5, -1)]
        let c = [Complex<Double>(0.3, 0.2), Complex(-1, 0.1)], dt = 0.2
        let K = try kernel(lambda, p, q, b, c, dt: dt, L: L)
        // Dense A = diag(λ) − p q*, then Ā = (I − αA)⁻¹(I + αA), B̄ = (I − αA)⁻¹ Δ b (2×2 by hand).
        let alpha = Complex(dt / 2, 0), one = Complex<Double>(1, 0)
        var A = [[Complex<Double>]](repeating: [.zero, .zero], count: 2)
        for i in 0..<2 { for j in 0..<2 { A[i][j] = (i == j ? lambda[i] : .zero) - p[i] * q[j].conjugate } }
        let m = [[one - alpha * A[0][0], -alpha * A[0][1]], [-alpha * A[1][0], one - alpha * A[1][1]]]
        let det = m[0][0] * m[1][1] - m[0][1] * m[1][0]
        let inv = [[m[1][1] / det, -m[0][1] / det], [-m[1][0] / det, m[0][0] / det]]
        let plus = [[one + alpha * A[0][0], alpha * A[0][1]], [alpha * A[1][0], one + alpha * A[1][1]]]
        var abar = [[Complex<Double>]](repeating: [.zero, .zero], count: 2)
        for i in 0..<2 { for j in 0..<2 { abar[i][j] = inv[i][0] * plus[0][j] + inv[i][1] * plus[1][j] } }
        var x = (0..<2).map { i in (inv[i][0] * b[0] + inv[i][1] * b[1]) * Complex(dt, 0) }
        for l in 0..<L {
            let expected = (c[0] * x[0] + c[1] * x[1]).real
            #expect(abs(K[l] - expected) <= 1e-14, "l = \(l): \(K[l]) vs \(expected)")
            x = (0..<2).map { i in abar[i][0] * x[0] + abar[i][1] * x[1] }
        }
    }

    @Test func refusesSingularAndBadInput() {
        let lambda = [Complex<Double>.zero], one = [Complex<Double>(1, 0)]
        func run(_ l: [Complex<Double>], dt: Double) throws { _ = try kernel(l, one, nil, one, one, dt: dt, L: 8) }
        #expect { try run(lambda, dt: 0.1) } throws: { ($0 as? SSMError)?.kind == .singular }
        #expect { try run([Complex(-1, 0)], dt: 0) } throws: { ($0 as? SSMError)?.kind == .value }
        #expect { try run([Complex(.nan, 0)], dt: 0.1) } throws: { ($0 as? SSMError)?.kind == .value }
    }

    /// dplrKernel of one channel, pairs off.
    private func kernel(_ lambda: [Complex<Double>], _ p: [Complex<Double>], _ q: [Complex<Double>]?, _ b: [Complex<Double>],
                        _ c: [Complex<Double>], dt: Double, L: Int) throws -> [Double] {
        var K = [Double](repeating: .nan, count: L)
        let M = lambda.count, rank = p.count / M
        try lambda.withUnsafeBufferPointer { lp in
            try p.withUnsafeBufferPointer { pp in
                try (q ?? p).withUnsafeBufferPointer { qp in
                    try b.withUnsafeBufferPointer { bp in
                        try c.withUnsafeBufferPointer { cp in
                            try [dt].withUnsafeBufferPointer { dp in
                                try K.withUnsafeMutableBufferPointer {
                                    try dplrKernel(H: 1, M: M, rank: rank, L: L, Lambda: lp, P: pp, Q: q == nil ? nil : qp,
                                                   B: bp, C: cp, dt: dp, pairs: false, into: $0)
                                }
                            }
                        }
                    }
                }
            }
        }
        return K
    }
}
