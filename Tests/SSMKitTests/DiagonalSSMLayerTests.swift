import ComplexModule
import RealModule
import Testing
@testable import SSMKit

/// The diagonal SSM layer's reverse (DiagonalSSMLayer.swift) against central differences of its
/// forward, for every parameter and every parameterization, with modes at Re λ = 0 and λ = 0.
@Suite struct DiagonalSSMLayerTests {
    static let cases: [(RealPartParameterization, TimescaleTransform)] = [
        (.direct(clamp: false), .exp), (.direct(clamp: true), .softplus), (.negativeExp, .exp), (.negativeSoftplus, .softplus),
    ]

    @Test(arguments: cases)
    func gradientsMatchFiniteDifferences(realPart: RealPartParameterization, step: TimescaleTransform) throws {
        let H = 2, M = 3, L = 70, batch = 2   // L spans three scan chunks, the last partial
        var layer = try DiagonalSSMLayer(H: H, M: M, realPart: realPart, step: step)
        let direct = { if case .direct = realPart { return true } else { return false } }()
        var lambda = [Complex<Double>](), B = lambda, C = lambda
        for k in 0..<(H * M) {
            let x = Double(k)
            // With Re λ stored directly: mode 0 has Re λ = 0, and channel 1's mode 0 is λ = 0.
            let re = direct && k % M == 0 ? 0 : -0.3 - 0.1 * x
            lambda.append(Complex(re, direct && k == M ? 0 : Double.pi * (x + 1) / 2))
            B.append(Complex(1 + 0.1 * x, -0.2 * x)); C.append(Complex(0.5 - 0.05 * x, 0.3))
        }
        try layer.set(lambda: lambda, B: B, C: C, D: [0.7, -0.4], dt: [0.05, 0.2])
        let u = (0..<(batch * H * L)).map { Double.sin(0.9 * Double($0) + 0.3) }
        let gy = (0..<(batch * H * L)).map { Double.cos(0.41 * Double($0)) }
        // Both paths compute the same outputs; each path's reverse is checked below.
        let yConvolution = try layer.forward(batch: batch, L: L, u: u, path: .convolution).y
        let yScan = try layer.forward(batch: batch, L: L, u: u, path: .scan).y
        let yLargest = yConvolution.map(abs).max()!
        for i in yScan.indices { #expect(abs(yScan[i] - yConvolution[i]) <= 1e-13 * yLargest) }
        for path in [ComputationPath.convolution, .scan] {
        func loss(_ l: DiagonalSSMLayer, _ u: [Double]) throws -> Double {
            try zip(l.forward(batch: batch, L: L, u: u, path: path).y, gy).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let (_, cache) = try layer.forward(batch: batch, L: L, u: u, path: path)
        let (g, gu) = try layer.backward(cache, gy: gy, inputGradient: true)
        let largest = g.map(abs).max()!
        for i in layer.values.indices {
            let h = 1e-5 * max(1, abs(layer.values[i]))
            var plus = layer, minus = layer
            plus.values[i] += h; minus.values[i] -= h
            let numeric = try (loss(plus, u) - loss(minus, u)) / (2 * h)
            #expect(abs(numeric - g[i]) <= 1e-6 * max(abs(g[i]), 1e-2 * largest), "\(path) parameter \(i): \(numeric) vs \(g[i])")
        }
        let guLargest = gu!.map(abs).max()!
        for j in stride(from: 0, to: u.count, by: 17) {
            var up = u, um = u
            up[j] += 1e-5; um[j] -= 1e-5
            let numeric = try (loss(layer, up) - loss(layer, um)) / 2e-5
            #expect(abs(numeric - gu![j]) <= 1e-6 * max(abs(gu![j]), 1e-2 * guLargest), "\(path) u[\(j)]")
        }
        }
    }

    /// float32 sequences against float64 (whose reverse is checked above): outputs and every
    /// gradient, both paths, H = 5 (a short channel group of the float32 lanes) and L = 1 (the
    /// float64 fallback of float32 transforms).
    @Test(arguments: [(5, 70), (3, 1)])
    func float32MatchesFloat64(H: Int, L: Int) throws {
        let M = 3, batch = 3
        var layer = try DiagonalSSMLayer(H: H, M: M)
        let hm = H * M
        let lambda = (0..<hm).map { k in Complex<Double>(k % M == 0 ? 0 : -0.2 * Double(k % M), Double.pi * Double(k % M + 1) / 3) }
        let C = (0..<hm).map { k in Complex<Double>(0.5 - 0.05 * Double(k), 0.3) }
        try layer.set(lambda: lambda, B: Array(repeating: .one, count: hm), C: C, D: (0..<H).map { 0.3 - 0.2 * Double($0) },
                      dt: (0..<H).map { 0.02 * Double($0 + 1) })
        let u = (0..<(batch * H * L)).map { Double.sin(0.9 * Double($0) + 0.3) }
        let gy = (0..<(batch * H * L)).map { Double.cos(0.41 * Double($0)) }
        for path in [ComputationPath.convolution, .scan] {
            let (y, cache) = try layer.forward(batch: batch, L: L, u: u, path: path)
            let (g, gu) = try layer.backward(cache, gy: gy, inputGradient: true)
            let (y32, cache32) = try layer.forward(batch: batch, L: L, u: converted(u) as [Float], path: path)
            let (g32, gu32) = try layer.backward(cache32, gy: converted(gy) as [Float], inputGradient: true)
            // Inputs rounded to float32 (6e-8 relative) and float32 transforms: 1e-5 of the largest
            // entry leaves a margin of ~10x over what is measured.
            let yLargest = y.map(abs).max()!, gLargest = g.map(abs).max()!, guLargest = gu!.map(abs).max()!
            for i in y.indices { #expect(abs(Double(y32[i]) - y[i]) <= 1e-5 * yLargest, "\(path) y[\(i)]") }
            for i in g.indices { #expect(abs(g32[i] - g[i]) <= 1e-5 * gLargest, "\(path) parameter \(i): \(g32[i]) vs \(g[i])") }
            for i in gu!.indices { #expect(abs(Double(gu32![i]) - gu![i]) <= 1e-5 * guLargest, "\(path) u[\(i)]") }
        }
    }

    @Test func clampAndInverses() throws {
        var layer = try DiagonalSSMLayer(H: 1, M: 1, realPart: .direct(clamp: true))
        layer.values[layer.aRange.lowerBound] = 0.5
        layer.project()
        #expect(layer.values[layer.aRange.lowerBound] == 0)
        var soft = try DiagonalSSMLayer(H: 1, M: 1, realPart: .negativeSoftplus, step: .softplus)
        try soft.set(lambda: [Complex(-0.25, 3)], B: [.one], C: [.one], D: [0], dt: [0.01])
        let (lambda, dt) = soft.modes()
        #expect(abs(lambda[0].real + 0.25) <= 1e-15 && abs(dt[0] - 0.01) <= 1e-17)
        #expect(throws: SSMError.self) { try soft.set(lambda: [Complex(0, 3)], B: [.one], C: [.one], D: [0], dt: [0.01]) }
    }
}
