import RealModule
import Testing
@testable import SSMKit

/// Memory kernels (MemoryTarget.swift): targets against the direct O(L²) sum and a recursion, exact
/// delays, the normalization, bad arguments.
@Suite struct MemoryTargetTaskTests {
    static let kernels: [MemoryKernel] = [
        .exponential(tau: 7), .powerLaw(beta: 0.8), .delay(5),
        .dampedSines(amplitudes: [1, -0.5], taus: [20, 4], omegas: [0.3, 1.7]),
    ]

    @Test func targetsEqualTheDirectSum() throws {
        let count = 3, L = 150
        let x = try InputProcess.white.generate(count: count, L: L, seed: 11)
        for kernel in Self.kernels {
            for normalized in [false, true] {
                let w = try kernel.weights(L: L, normalized: normalized)
                let y = try kernel.apply(to: x, count: count, L: L, normalized: normalized)
                for r in 0..<count {
                    for t in 0..<L {
                        var direct = 0.0, scale = 0.0
                        for s in 0...t { direct += w[t - s] * x[r * L + s]; scale += abs(w[t - s] * x[r * L + s]) }
                        // FFT convolution: rounding ~ n·ε·Σ|w||x| (n = 512 here); 1e−13 leaves a margin.
                        #expect(abs(y[r * L + t] - direct) <= 1e-13 * max(scale, 1e-300), "\(kernel) r \(r) t \(t)")
                    }
                }
            }
        }
    }

    @Test func weightsFollowTheirFormulas() throws {
        let w = try MemoryKernel.exponential(tau: 4).weights(L: 10)
        for s in 0..<10 { #expect(abs(w[s] - Double.exp(-Double(s) / 4)) <= 1e-16) }
        let p = try MemoryKernel.powerLaw(beta: 1.5).weights(L: 10)
        #expect(p[0] == 1 && abs(p[3] - 0.125) <= 1e-16)
        let d = try MemoryKernel.dampedSines(amplitudes: [2], taus: [3], omegas: [0.5]).weights(L: 10)
        #expect(abs(d[4] - 2 * Double.exp(-4.0 / 3) * Double.cos(2)) <= 1e-15)
        #expect(MemoryKernel.exponential(tau: 1).weight(-1) == 0)
    }

    @Test func exponentialTargetSatisfiesItsRecursion() throws {
        // y_t = e^(−1/τ) y_(t−1) + x_t: an oracle independent of the convolution.
        let L = 400, tau = 30.0
        let x = try InputProcess.ar1(phi: 0.5).generate(count: 1, L: L, seed: 12)
        let y = try MemoryKernel.exponential(tau: tau).apply(to: x, count: 1, L: L)
        var h = 0.0
        for t in 0..<L {
            h = Double.exp(-1 / tau) * h + x[t]
            #expect(abs(y[t] - h) <= 1e-12 * max(1, abs(h)))
        }
    }

    @Test func delayIsAnExactShift() throws {
        let count = 2, L = 40
        let x = try InputProcess.white.generate(count: count, L: L, seed: 13)
        for d in [0, 1, 17, 39] {
            for normalized in [false, true] {
                let y = try MemoryKernel.delay(d).apply(to: x, count: count, L: L, normalized: normalized)
                for r in 0..<count {
                    for t in 0..<L { #expect(y[r * L + t] == (t < d ? 0 : x[r * L + t - d])) }
                }
            }
        }
        // Past the window the target is zero; normalizing it is refused.
        #expect(try MemoryKernel.delay(40).apply(to: x, count: count, L: L).allSatisfy { $0 == 0 })
        #expect(throws: SSMError.self) { try MemoryKernel.delay(40).apply(to: x, count: count, L: L, normalized: true) }
    }

    @Test func normalizationGivesUnitVarianceForWhiteInput() throws {
        let L = 32, count = 1000
        let x = try InputProcess.white.generate(count: count, L: L, seed: 14)
        for kernel in Self.kernels {
            let w = try kernel.weights(L: L, normalized: true)
            #expect(abs(w.reduce(0) { $0 + $1 * $1 } - 1) <= 1e-14)
            // Var y_(L−1) = Σ w² = 1 exactly; over 1000 Gaussian rows SE = √(2/1000) ≈ 0.045
            // (unnormalized, Var y = Σ w² is 2.1 for this power law and 4.0 for the exponential).
            let y = try kernel.apply(to: x, count: count, L: L, normalized: true)
            let v = (0..<count).reduce(0.0) { $0 + y[$1 * L + L - 1] * y[$1 * L + L - 1] } / Double(count)
            #expect(abs(v - 1) < 5 * (2.0 / Double(count)).squareRoot(), "\(kernel): Var y = \(v)")
        }
        // Without normalization Σ w² is well above 1.
        let raw = try MemoryKernel.powerLaw(beta: 0.8).weights(L: L)
        #expect(raw.reduce(0) { $0 + $1 * $1 } > 1.5)
    }

    @Test func rejectsBadArguments() throws {
        let x = [Double](repeating: 1, count: 20)
        #expect(throws: SSMError.self) { try MemoryKernel.exponential(tau: 0).apply(to: x, count: 2, L: 10) }
        #expect(throws: SSMError.self) { try MemoryKernel.exponential(tau: .nan).apply(to: x, count: 2, L: 10) }
        #expect(throws: SSMError.self) { try MemoryKernel.powerLaw(beta: -1).apply(to: x, count: 2, L: 10) }
        #expect(throws: SSMError.self) { try MemoryKernel.delay(-1).apply(to: x, count: 2, L: 10) }
        #expect(throws: SSMError.self) { try MemoryKernel.dampedSines(amplitudes: [1], taus: [1, 2], omegas: [1]).apply(to: x, count: 2, L: 10) }
        #expect(throws: SSMError.self) { try MemoryKernel.dampedSines(amplitudes: [], taus: [], omegas: []).apply(to: x, count: 2, L: 10) }
        #expect(throws: SSMError.self) { try MemoryKernel.dampedSines(amplitudes: [1], taus: [0], omegas: [1]).apply(to: x, count: 2, L: 10) }
        #expect(throws: SSMError.self) { try MemoryKernel.exponential(tau: 1).apply(to: x, count: 3, L: 10) }
        #expect(throws: SSMError.self) { try MemoryKernel.exponential(tau: 1).apply(to: x, count: 0, L: 10) }
        #expect(throws: SSMError.self) { try MemoryKernel.exponential(tau: 1).weights(L: 0) }
        var bad = x; bad[7] = .nan
        #expect(throws: SSMError.self) { try MemoryKernel.exponential(tau: 1).apply(to: bad, count: 2, L: 10) }
        #expect(throws: SSMError.self) { try MemoryKernel.delay(3).apply(to: bad, count: 2, L: 10) }
    }
}
