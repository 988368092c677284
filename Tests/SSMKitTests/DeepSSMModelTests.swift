import ComplexModule
import RealModule
import Testing
@testable import SSMKit

/// The deep model's reverse (DeepSSMModel.swift, Loss.swift) against central differences of the
/// forward and the loss, for every parameter, with and without layer norm, each pooling.
@Suite struct DeepSSMModelTests {
    static func model(layerNorm: Bool, pooling: Pooling, outputs: Int) throws -> DeepSSMModel {
        var m = try DeepSSMModel(inputs: 2, H: 3, M: 2, outputs: outputs, depth: 2, layerNorm: layerNorm, pooling: pooling, seed: 4)
        for k in 0..<m.depth {
            // S4D-Lin modes, one with Re λ = 0; B = 1, C varied; Δ per channel.
            let lambda = (0..<(3 * 2)).map { i in Complex<Double>(i % 2 == 0 ? 0 : -0.5, Double.pi * Double(i % 2 + k)) }
            let C = (0..<(3 * 2)).map { i in Complex<Double>(0.3 + 0.1 * Double(i), -0.2 * Double(k)) }
            try m.ssm[k].set(lambda: lambda, B: Array(repeating: .one, count: 6), C: C, D: [0.5, -0.3, 0.1], dt: [0.05, 0.1, 0.2])
        }
        for i in m.dense.indices { m.dense[i] += 0.05 * Double.sin(Double(i)) }   // γ, β, biases away from 1, 0
        return m
    }

    @Test(arguments: [(true, Pooling.none), (false, Pooling.last), (true, Pooling.mean)])
    func gradientsMatchFiniteDifferences(layerNorm: Bool, pooling: Pooling) throws {
        let classes = 3, batch = 2, L = 40
        let m = try Self.model(layerNorm: layerNorm, pooling: pooling, outputs: classes)
        let u = (0..<(batch * 2 * L)).map { Double.sin(0.61 * Double($0)) + 0.2 }
        let target = (0..<(batch * classes * L)).map { Double.cos(0.23 * Double($0)) }
        let labels = [2, 0]
        func loss(_ m: DeepSSMModel) throws -> (Double, [Double]) {
            let (y, _) = try m.forward(batch: batch, L: L, u: u)
            if pooling == .none {
                let (l, g) = try meanSquaredError(y, target: target)
                return (l, g)
            }
            let (l, g, _) = try crossEntropy(logits: y, labels: labels, classes: classes)
            return (l, g)
        }
        let (_, cache) = try m.forward(batch: batch, L: L, u: u)
        let (_, gOut) = try loss(m)
        let g = try m.backward(cache, gOutput: gOut)
        let p = m.parameters
        #expect(g.count == p.count)
        let largest = g.map(abs).max()!
        // Central differences with Richardson extrapolation, (4·D(h/2) − D(h))/3: layer norm of a
        // few channels curves the loss strongly, and plain D(1e-5) is off by ~1e-6 relative there.
        func difference(_ i: Int, _ h: Double) throws -> Double {
            var plus = m, minus = m
            var pp = p, pm = p
            pp[i] += h; pm[i] -= h
            try plus.setParameters(pp); try minus.setParameters(pm)
            return try (loss(plus).0 - loss(minus).0) / (2 * h)
        }
        for i in p.indices {
            let h = 1e-4 * max(1, abs(p[i]))
            let numeric = try (4 * difference(i, h / 2) - difference(i, h)) / 3
            #expect(abs(numeric - g[i]) <= 1e-6 * max(abs(g[i]), 1e-2 * largest), "parameter \(i) of \(p.count): \(numeric) vs \(g[i])")
        }
    }

    /// A float32 model against the same model in float64 (whose reverse is checked above): outputs,
    /// loss and every gradient, both paths.
    @Test(arguments: [(true, Pooling.none), (false, Pooling.last)])
    func float32MatchesFloat64(layerNorm: Bool, pooling: Pooling) throws {
        let classes = 3, batch = 3, L = 50
        let m = try Self.model(layerNorm: layerNorm, pooling: pooling, outputs: classes)
        let u = (0..<(batch * 2 * L)).map { Double.sin(0.61 * Double($0)) + 0.2 }
        let target = (0..<(batch * classes * L)).map { Double.cos(0.23 * Double($0)) }
        for path in [ComputationPath.convolution, .scan] {
            var m64 = m, m32 = m
            m64.path = path; m32.path = path; m32.precision = .float32
            func pass(_ model: DeepSSMModel) throws -> (y: [Double], loss: Double, g: [Double]) {
                let (y, cache) = try model.forward(batch: batch, L: L, u: u)
                let (l, gOut): (Double, [Double])
                if pooling == .none { (l, gOut) = try meanSquaredError(y, target: target) } else {
                    let r = try crossEntropy(logits: y, labels: [2, 0, 1], classes: classes)
                    (l, gOut) = (r.loss, r.gradient)
                }
                return (y, l, try model.backward(cache, gOutput: gOut))
            }
            let (y, loss, g) = try pass(m64), (y32, loss32, g32) = try pass(m32)
            // float32 activations: ~1e-7 per operation through two blocks; 1e-5 of the largest entry.
            let yLargest = y.map(abs).max()!, gLargest = g.map(abs).max()!
            for i in y.indices { #expect(abs(y32[i] - y[i]) <= 1e-5 * yLargest, "\(path) output \(i)") }
            #expect(abs(loss32 - loss) <= 1e-5 * abs(loss))
            for i in g.indices { #expect(abs(g32[i] - g[i]) <= 1e-5 * gLargest, "\(path) parameter \(i): \(g32[i]) vs \(g[i])") }
        }
    }

    @Test func lossesAndBadInput() throws {
        let (l, g, acc) = try crossEntropy(logits: [0, 0, Double.log(2)], labels: [2], classes: 3)
        #expect(abs(l - Double.log(2)) <= 1e-15 && acc == 1)   // p = (1/4, 1/4, 1/2)
        #expect(abs(g[0] - 0.25) <= 1e-15 && abs(g[2] + 0.5) <= 1e-15)
        #expect(throws: SSMError.self) { try crossEntropy(logits: [0, 0], labels: [2], classes: 2) }
        #expect(throws: SSMError.self) { try meanSquaredError([1], target: [1], mask: [0]) }
        let m = try Self.model(layerNorm: true, pooling: .none, outputs: 1)
        #expect(throws: SSMError.self) { try m.forward(batch: 1, L: 4, u: [1, 2, 3]) }
        #expect(throws: SSMError.self) { try m.forward(batch: 1, L: 1, u: [.nan, 1]) }
    }
}
