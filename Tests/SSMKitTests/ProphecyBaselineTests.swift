import Testing
@testable import SSMKit

/// Baselines of HiPPO-Prophecy (MATH.md §9): exactness properties and a direct reference.
@Suite struct ProphecyBaselineTests {
    @Test func persistenceReturnsTheSamples() throws {
        let u = (0..<24).map { Double($0 * $0) - 3.5 }
        #expect(try prophecyBaseline(.persistence, u, batch: 2, T: 4, d: 3) == u)
    }

    @Test func extrapolationWeights() {
        #expect(SSMKit.extrapolationWeights(0) == [1])
        #expect(SSMKit.extrapolationWeights(1) == [2, -1])
        #expect(SSMKit.extrapolationWeights(3) == [4, -6, 4, -1])
        #expect(SSMKit.extrapolationWeights(20).reduce(0, +) == 1)   // exact on constants
    }

    @Test func polynomialIsExactOnPolynomialsOfDegreeAtMostP() throws {
        let T = 40
        for p in 0...5 {
            for degree in 0...p {
                // Two coordinates: t^degree and a full polynomial of that degree, t ∈ [−1, 1].
                var u = [Double]()
                for k in 0..<T {
                    let t = -1 + 2 * Double(k) / Double(T - 1)
                    var full = 0.0, power = 1.0
                    for _ in 0..<degree { power *= t }
                    for i in 0...degree { full = full * t + Double(i + 1) * (i % 2 == 0 ? 1 : -0.5) }
                    u += [power, full]
                }
                let pred = try prophecyBaseline(.polynomial(order: p), u, batch: 1, T: T, d: 2)
                let scale = u.map(abs).max()!
                for k in degree..<(T - 1) {
                    for c in 0..<2 {
                        #expect(abs(pred[k * 2 + c] - u[(k + 1) * 2 + c]) <= 1e-12 * scale, "p \(p) degree \(degree) k \(k)")
                    }
                }
            }
        }
    }

    @Test func polynomialStartUsesTheHighestOrderAvailable() throws {
        let u = [3.0, 5, 4, 10, -2]
        let pred = try prophecyBaseline(.polynomial(order: 2), u, batch: 1, T: 5, d: 1)
        #expect(pred == [3, 7, 0, 23, -32])   // 3·10 − 3·4 + 5 = 23, 3·(−2) − 3·10 + 4 = −32
    }

    @Test func parrotIsExactOnAPeriodicSignalAfterOnePeriod() throws {
        var g = SystemRandomNumberGenerator()
        let P = 23, m = 4, d = 2, T = 5 * P
        let period = (0..<(P * d)).map { _ in Double.random(in: -1...1, using: &g) }
        let u = (0..<(T * d)).map { period[$0 % (P * d)] }
        let pred = try prophecyBaseline(.parrot(window: m), u, batch: 1, T: T, d: d)
        for k in (P + m - 1)..<(T - 1) {
            for c in 0..<d { #expect(pred[k * d + c] == u[(k + 1) * d + c]) }
        }
        #expect(Array(pred[0..<(m * d)]) == Array(u[0..<(m * d)]))   // persistence before any earlier window
    }

    @Test func parrotMatchesABruteForceReference() throws {
        var g = SystemRandomNumberGenerator()
        let batch = 2, T = 60, d = 3
        let u = (0..<(batch * T * d)).map { _ in Double.random(in: -1...1, using: &g) }
        for m in [1, 3, 7] {
            let pred = try prophecyBaseline(.parrot(window: m), u, batch: batch, T: T, d: d)
            for b in 0..<batch {
                for k in m..<T {
                    var best = Double.infinity, end = -1
                    for j in (m - 1)..<k {
                        var s = 0.0
                        for i in 0..<m { for c in 0..<d {
                            let e = u[(b * T + k - i) * d + c] - u[(b * T + j - i) * d + c]
                            s += e * e
                        } }
                        if s <= best { (best, end) = (s, j) }   // ascending j: ties go to the most recent
                    }
                    for c in 0..<d { #expect(pred[(b * T + k) * d + c] == u[(b * T + end + 1) * d + c]) }
                }
            }
        }
    }

    @Test func badArguments() {
        #expect(throws: SSMError.self) { try prophecyBaseline(.persistence, [1, 2], batch: 1, T: 3, d: 1) }
        #expect(throws: SSMError.self) { try prophecyBaseline(.persistence, [], batch: 1, T: 0, d: 1) }
        #expect(throws: SSMError.self) { try prophecyBaseline(.polynomial(order: 21), [1, 2], batch: 1, T: 2, d: 1) }
        #expect(throws: SSMError.self) { try prophecyBaseline(.polynomial(order: -1), [1, 2], batch: 1, T: 2, d: 1) }
        #expect(throws: SSMError.self) { try prophecyBaseline(.parrot(window: 0), [1, 2], batch: 1, T: 2, d: 1) }
        #expect(throws: SSMError.self) { try prophecyBaseline(.parrot(window: 1), [1, .nan], batch: 1, T: 2, d: 1) }
        do {
            _ = try prophecyBaseline(.polynomial(order: 1), [-1e308, 1e308], batch: 1, T: 2, d: 1)
            Issue.record("overflow not reported")
        } catch let e as SSMError { #expect(e.kind == .unstable) } catch { Issue.record("\(error)") }
    }
}
