import RealModule
import Testing
@testable import SSMKit

/// The dense SSM's adjoint (DenseSSMModel.swift) against central differences, for (C̄, D̄) only and
/// with (Ā, B̄) trained too, MIMO, and the input gradient.
@Suite struct DenseSSMModelTests {
    @Test(arguments: [false, true])
    func gradientsMatchFiniteDifferences(trainDynamics: Bool) throws {
        let N = 4, m = 2, p = 3, batch = 2, L = 30
        // A contraction (spectral radius < 1) with some rotation.
        let A = (0..<(N * N)).map { i -> Double in i / N == i % N ? 0.8 : 0.15 * Double.sin(Double(i)) }
        let B = (0..<(N * m)).map { Double.cos(Double($0)) }, C = (0..<(p * N)).map { 0.5 - 0.1 * Double($0) }
        let D = (0..<(p * m)).map { 0.2 * Double($0) - 0.3 }
        let model = try DenseSSMModel(A: A, B: B, C: C, D: D, N: N, m: m, p: p, trainDynamics: trainDynamics)
        let u = (0..<(batch * L * m)).map { Double.sin(0.7 * Double($0) + 1) }
        let target = (0..<(batch * L * p)).map { Double.cos(0.3 * Double($0)) }
        func loss(_ model: DenseSSMModel, _ u: [Double]) throws -> Double {
            try meanSquaredError(model.forward(batch: batch, L: L, u: u).y, target: target).loss
        }
        let (y, cache) = try model.forward(batch: batch, L: L, u: u)
        let gy = try meanSquaredError(y, target: target).gradient
        let (g, gu) = try model.backward(cache, gy: gy, inputGradient: true)
        let params = model.parameters
        #expect(g.count == params.count)
        let largest = g.map(abs).max()!
        for i in params.indices {
            var plus = model, minus = model, pp = params, pm = params
            pp[i] += 1e-6; pm[i] -= 1e-6
            try plus.setParameters(pp); try minus.setParameters(pm)
            let numeric = try (loss(plus, u) - loss(minus, u)) / 2e-6
            #expect(abs(numeric - g[i]) <= 1e-6 * max(abs(g[i]), 1e-2 * largest), "parameter \(i): \(numeric) vs \(g[i])")
        }
        let guLargest = gu!.map(abs).max()!
        for j in stride(from: 0, to: u.count, by: 7) {
            var up = u, um = u
            up[j] += 1e-6; um[j] -= 1e-6
            let numeric = try (loss(model, up) - loss(model, um)) / 2e-6
            #expect(abs(numeric - gu![j]) <= 1e-6 * max(abs(gu![j]), 1e-2 * guLargest), "u[\(j)]")
        }
        // The recurrence itself against the diagonal-free direct sum of one output.
        var x = [Double](repeating: 0, count: N), direct = [Double]()
        for k in 0..<L {
            var nx = [Double](repeating: 0, count: N)
            for i in 0..<N {
                for j in 0..<N { nx[i] += A[i * N + j] * x[j] }
                for j in 0..<m { nx[i] += B[i * m + j] * u[k * m + j] }
            }
            x = nx
            var s = 0.0
            for j in 0..<N { s += C[j] * x[j] }
            for j in 0..<m { s += D[j] * u[k * m + j] }
            direct.append(s)
        }
        for k in 0..<L { #expect(abs(y[k * p] - direct[k]) <= 1e-13 * (1 + abs(direct[k]))) }
    }
}
