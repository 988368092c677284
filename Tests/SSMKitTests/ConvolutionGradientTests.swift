import RealModule
import Testing
@testable import SSMKit

/// The convolution's reverse (ConvolutionGradient.swift) against the direct sums.
@Suite struct ConvolutionGradientTests {
    @Test(arguments: [(1, 1, 1), (3, 2, 7), (20, 3, 100)])
    func matchesDirectSums(batch: Int, H: Int, L: Int) throws {
        let rows = batch * H
        let K = (0..<(H * L)).map { Double.sin(0.3 * Double($0) + 0.1) }
        let u = (0..<(rows * L)).map { Double.cos(0.7 * Double($0)) }
        let gy = (0..<(rows * L)).map { Double.sin(1.3 * Double($0) + 2) }
        let D = (0..<H).map { 0.5 - Double($0) }
        var gK = [Double](repeating: .nan, count: H * L), gD = [Double](repeating: .nan, count: H)
        var gu = [Double](repeating: .nan, count: rows * L)
        try K.withUnsafeBufferPointer { k in
            try u.withUnsafeBufferPointer { up in
                try gy.withUnsafeBufferPointer { g in
                    try D.withUnsafeBufferPointer { d in
                        try gK.withUnsafeMutableBufferPointer { gk in
                            try gD.withUnsafeMutableBufferPointer { gd in
                                try gu.withUnsafeMutableBufferPointer {
                                    try causalConvolutionGradient(batch: batch, H: H, L: L, K: k, u: up, D: d, gy: g,
                                                                  gK: gk, gD: gd, gu: $0)
                                }
                            }
                        }
                    }
                }
            }
        }
        for h in 0..<H {
            var dExpected = 0.0
            for l in 0..<L {
                var s = 0.0
                for b in 0..<batch {
                    let row = b * H + h
                    for k in l..<L { s += gy[row * L + k] * u[row * L + k - l] }
                }
                #expect(abs(gK[h * L + l] - s) <= 1e-12 * Double(batch * L), "gK[\(h), \(l)]")
            }
            for b in 0..<batch {
                let row = b * H + h
                for j in 0..<L {
                    dExpected += gy[row * L + j] * u[row * L + j]
                    var s = D[h] * gy[row * L + j]
                    for k in j..<L { s += gy[row * L + k] * K[h * L + k - j] }
                    #expect(abs(gu[row * L + j] - s) <= 1e-12 * Double(L), "gu[\(row), \(j)]")
                }
            }
            #expect(abs(gD[h] - dExpected) <= 1e-12 * Double(batch * L))
        }
    }
}
