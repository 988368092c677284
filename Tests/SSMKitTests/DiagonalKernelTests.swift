import ComplexModule
import RealModule
import Testing
@testable import SSMKit

/// The diagonal kernel (DiagonalKernel.swift) against the direct sum; numpy and 50-digit
/// cross-checks are in python/tests/test_kernel.py.
@Suite struct DiagonalKernelTests {
    @Test(arguments: [1, 127, 128, 129, 1025, 4101, 8269])
    func matchesTheDirectSum(L: Int) throws {
        let H = 3, N = 4
        var z = [Complex<Double>](), w = [Complex<Double>]()
        for k in 0..<(H * N) {
            let x = Double(k)
            let decay: Double = -0.01 * Double(k % 5), frequency: Double = 0.3 * x
            z.append(Complex(decay, frequency))
            let wr: Double = 1 + 0.1 * x, wi: Double = -0.2 * Double(k % 3)
            w.append(Complex(wr, wi))
        }
        var K = [Double](repeating: .nan, count: H * L)
        var K32 = [Float](repeating: .nan, count: H * L)
        try z.withUnsafeBufferPointer { zp in
            try w.withUnsafeBufferPointer { wp in
                try K.withUnsafeMutableBufferPointer { try diagonalKernel(H: H, N: N, L: L, z: zp, w: wp, pairs: true, into: $0) }
                try K32.withUnsafeMutableBufferPointer { try diagonalKernel(H: H, N: N, L: L, z: zp, w: wp, pairs: true, into: $0) }
            }
        }
        for h in 0..<H {
            for l in 0..<L {
                var sum = 0.0, scale = 0.0
                for n in 0..<N {
                    let term = w[h * N + n] * power(z[h * N + n], l)
                    sum += 2 * term.real; scale += 2 * w[h * N + n].length
                }
                #expect(abs(K[h * L + l] - sum) <= 1e-13 * scale, "h \(h) l \(l)")
                // float32: table, coefficients and products rounded (2N + 2 roundings of terms ≤ scale).
                #expect(abs(Double(K32[h * L + l]) - sum) <= 6e-7 * scale, "float32 h \(h) l \(l)")
            }
        }
    }

    @Test func threadCountSetting() throws {
        let before = threadCount
        try setThreadCount(1)
        #expect(threadCount == 1)
        try setThreadCount(0)
        #expect(threadCount == before)
        #expect(throws: SSMError.self) { try setThreadCount(-1) }
    }
}
