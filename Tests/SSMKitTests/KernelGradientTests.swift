import ComplexModule
import RealModule
import Testing
@testable import SSMKit

/// The kernel's reverse (KernelGradient.swift) against central differences of the forward kernel.
@Suite struct KernelGradientTests {
    /// L(z, w) = Σ_l g_l K_l(z, w) for fixed g: γ from the gradient against (L(x + h) − L(x − h))/2h.
    @Test(arguments: [(1, 1), (5, 2), (300, 3), (1000, 2)])
    func matchesFiniteDifferences(L: Int, N: Int) throws {
        let H = 2
        var z = [Complex<Double>](), w = [Complex<Double>]()
        for k in 0..<(H * N) {
            let x = Double(k)
            // Mode 0 of each channel has Re z = 0 (and channel 1's is z = 0 exactly).
            let re: Double = k % N == 0 ? 0 : -0.002 * (x + 1), im: Double = k == N ? 0 : 0.05 * (x + 1)
            z.append(Complex(re, im)); w.append(Complex(1 - 0.1 * x, 0.3 + 0.05 * x))
        }
        let g = (0..<(H * L)).map { Double.sin(0.37 * Double($0) + 1) }
        func loss(_ z: [Complex<Double>], _ w: [Complex<Double>]) throws -> Double {
            var K = [Double](repeating: 0, count: H * L)
            try z.withUnsafeBufferPointer { zp in
                try w.withUnsafeBufferPointer { wp in
                    try K.withUnsafeMutableBufferPointer { try diagonalKernel(H: H, N: N, L: L, z: zp, w: wp, pairs: true, into: $0) }
                }
            }
            return zip(g, K).reduce(0) { $0 + $1.0 * $1.1 }
        }
        var gz = [Complex<Double>](repeating: .zero, count: H * N), gw = gz
        try z.withUnsafeBufferPointer { zp in
            try w.withUnsafeBufferPointer { wp in
                try g.withUnsafeBufferPointer { gp in
                    try gz.withUnsafeMutableBufferPointer { gzp in
                        try gw.withUnsafeMutableBufferPointer {
                            try diagonalKernelGradient(H: H, N: N, L: L, z: zp, w: wp, pairs: true, gK: gp, gz: gzp, gw: $0)
                        }
                    }
                }
            }
        }
        let h = 1e-6
        for k in 0..<(H * N) {
            for (direction, part) in [(Complex<Double>(1, 0), "re"), (Complex<Double>(0, 1), "im")] {
                var zp = z, zm = z, wp = w, wm = w
                let dz = direction * Complex(h / Double(max(L, 1)), 0)   // z enters as l·z: scale the step
                zp[k] += dz; zm[k] -= dz
                wp[k] += direction * Complex(h, 0); wm[k] -= direction * Complex(h, 0)
                let numericZ = try (loss(zp, w) - loss(zm, w)) / (2 * dz.length)
                let numericW = try (loss(z, wp) - loss(z, wm)) / (2 * h)
                let analyticZ = part == "re" ? gz[k].real : gz[k].imaginary
                let analyticW = part == "re" ? gw[k].real : gw[k].imaginary
                let scaleZ = gz[k].length + 1e-300, scaleW = gw[k].length + 1e-300
                #expect(abs(numericZ - analyticZ) <= 1e-6 * scaleZ, "z[\(k)] \(part): \(numericZ) vs \(analyticZ)")
                #expect(abs(numericW - analyticW) <= 1e-7 * scaleW, "w[\(k)] \(part): \(numericW) vs \(analyticW)")
            }
        }
    }
}
