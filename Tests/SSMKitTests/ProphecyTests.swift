import RealModule
import Testing
@testable import SSMKit

/// Gauss–Legendre nodes and weights on [−1, 1] (Newton on P_q).
private func gaussLegendre(_ q: Int) -> (x: [Double], w: [Double]) {
    var xs = [Double](), ws = [Double]()
    for i in 1...q {
        var x = Double.cos(Double.pi * (Double(i) - 0.25) / (Double(q) + 0.5))
        var dp = 0.0
        for _ in 0..<100 {
            var p0 = 1.0, p1 = x
            for n in 2...q { (p0, p1) = (p1, (Double(2 * n - 1) * x * p1 - Double(n - 1) * p0) / Double(n)) }
            dp = Double(q) * (x * p1 - p0) / (x * x - 1)
            let dx = p1 / dp
            x -= dx
            if Swift.abs(dx) < 1e-16 { break }
        }
        xs.append(x); ws.append(2 / ((1 - x * x) * dp * dp))
    }
    return (xs, ws)
}

/// Legendre values P_0…P_(N−1) at x.
private func legendre(_ N: Int, _ x: Double) -> [Double] {
    var p = [1.0, x]
    while p.count < N { let n = p.count; p.append((Double(2 * n - 1) * x * p[n - 1] - Double(n - 1) * p[n - 2]) / Double(n)) }
    return Array(p.prefix(N))
}

/// The exact LegT coefficients c_n(t) = (1/θ)∫₀^θ u(t−s) r_n P_n(1 − 2s/θ) ds by 200-point quadrature.
private func legtCoefficients(_ u: (Double) -> Double, t: Double, N: Int, theta: Double) -> [Double] {
    let (xs, ws) = gaussLegendre(200)
    var c = [Double](repeating: 0, count: N)
    for (x, w) in zip(xs, ws) {
        let s = theta * (1 - x) / 2, p = legendre(N, x), v = u(t - s)
        for n in 0..<N { c[n] += w * v * Double(2 * n + 1).squareRoot() * p[n] / 2 }
    }
    return c
}

private let sine = { (s: Double) in Double.sin(2 * Double.pi * s) }
private let sineDerivative = { (s: Double) in 2 * Double.pi * Double.cos(2 * Double.pi * s) }

@Suite struct ProphecyTests {
    @Test func timeReadoutDerivativeFromExactCoefficients() throws {
        // Must-show: ≤ 1e-4 relative at N = 8, ≤ 1e-8 at N = 12, not growing up to N = 16.
        var errors = [Int: Double]()
        for N in 4...16 {
            let sys = try prophecyReadout(ProphecyConfiguration(N: N, theta: 0.5, dt: 1e-3))
            var worst = 0.0
            for i in 0...16 {
                let t = 1 + Double(i) / 8
                let c = legtCoefficients(sine, t: t, N: N, theta: 0.5)
                var y = sys.D * sine(t)
                for n in 0..<N { y += sys.C[n] * c[n] }
                worst = max(worst, Swift.abs(y - sineDerivative(t)) / (2 * Double.pi))
            }
            errors[N] = worst
        }
        print("prophecy must-show: time-readout derivative errors", errors.sorted { $0.key < $1.key })
        #expect(errors[8]! <= 1e-4)
        #expect(errors[12]! <= 1e-8)
        for N in 13...16 { #expect(errors[N]! <= errors[12]!) }
        #expect(errors[4]! > 1e-2)  // the bound is not vacuous
    }

    @Test func spaceReadoutAndConstants() throws {
        let cfg = ProphecyConfiguration(N: 6, theta: 2, dt: 0.01, readout: .space)
        let s = try prophecyReadout(cfg)
        #expect(s.D == 0)
        #expect(Swift.abs(s.C[3] - 7.0.squareRoot() * 12 / 2) < 1e-14)
        let t = try prophecyReadout(ProphecyConfiguration(N: 6, theta: 2, dt: 0.01))
        #expect(t.D == 18)
        // Space readout with exact coefficients converges too.
        let c = legtCoefficients(sine, t: 1.3, N: 14, theta: 0.5)
        let sp = try prophecyReadout(ProphecyConfiguration(N: 14, theta: 0.5, dt: 0.01, readout: .space))
        let y = zip(sp.C, c).map { $0 * $1 }.reduce(0, +)
        #expect(Swift.abs(y - sineDerivative(1.3)) / (2 * Double.pi) < 1e-8)
    }

    @Test func discreteAveragedLegTTracksProjection() throws {
        // Must-show: Δ = 1e-4, θ = 0.5, N = 16, averaged input, u = sin(2πt): coefficient error and
        // relative derivative error ≤ 1e-6 (after the start-up transient of the zero history, t ≥ 3θ).
        let cfg = ProphecyConfiguration(N: 16, theta: 0.5, dt: 1e-4, stateInput: .average, output: .euler)
        let p = try ProphecyPredictor(cfg)
        var stream = try ProphecyStream(p, d: 1)
        var coefficientError = 0.0, derivativeError = 0.0
        for k in 0...20000 {
            let t = Double(k) * 1e-4, u = sine(t)
            let next = try stream.step([u])[0]
            if k >= 15000 && k % 1000 == 0 {
                let exact = legtCoefficients(sine, t: t, N: 16, theta: 0.5)
                coefficientError = max(coefficientError, zip(stream.state, exact).map { Swift.abs($0 - $1) }.max()!)
                let derivative = (next - u) / 1e-4
                derivativeError = max(derivativeError, Swift.abs(derivative - sineDerivative(t)) / (2 * Double.pi))
            }
        }
        print("prophecy must-show: discrete LegT N=16 coefficient error \(coefficientError), derivative error \(derivativeError)")
        #expect(coefficientError <= 1e-6)
        #expect(derivativeError <= 1e-6)
        #expect(coefficientError > 0)
    }

    @Test func plainInputCostsHalfAStep() throws {
        // Plain input: relative derivative error ≈ N²Δ/(2θ) (MATH.md §9).
        let N = 8, dt = 1e-3, theta = 0.5
        let p = try ProphecyPredictor(ProphecyConfiguration(N: N, theta: theta, dt: dt, stateInput: .plain))
        let T = 3000
        let u = (0..<T).map { sine(Double($0) * dt) }
        let pred = try p.predict(u, batch: 1, T: T, d: 1)
        var num = 0.0, den = 0.0
        for k in 2000..<T {
            let est = (pred[k] - u[k]) / dt, truth = sineDerivative(Double(k) * dt)
            num = max(num, Swift.abs(est - truth)); den = max(den, Swift.abs(truth))
        }
        let expected = Double(N * N) * dt / (2 * theta)
        #expect(Swift.abs(num / den - expected) < 0.3 * expected)
    }

    @Test func guardRejectsAuthorsConfiguration() throws {
        let cfg = ProphecyConfiguration.authors(N: 128, T: 1000, dt: 0.01)
        do {
            _ = try ProphecyPredictor(cfg)
            Issue.record("N = 128, T = 1000 was accepted")
        } catch let e as SSMError {
            #expect(e.kind == .value)
            #expect(e.message.contains("largest allowed N for this dt and theta is 44"))
        }
        #expect(prophecyLargestTrapezoidN(theta: 10, dt: 0.01) == 44)
        _ = try ProphecyPredictor(.authors(N: 44, T: 1000, dt: 0.01))
        #expect(errorKind { _ = try ProphecyPredictor(.authors(N: 45, T: 1000, dt: 0.01)) } == .value)
        // D = 0 readouts are never guarded.
        _ = try ProphecyPredictor(ProphecyConfiguration(N: 128, theta: 10, dt: 0.01, readout: .space, output: .trapezoid))
    }

    @Test func badArguments() {
        #expect(errorKind { _ = try ProphecyPredictor(ProphecyConfiguration(N: 0, theta: 1, dt: 0.1)) } == .size)
        #expect(errorKind { _ = try ProphecyPredictor(ProphecyConfiguration(N: 4, theta: -1, dt: 0.1)) } == .value)
        #expect(errorKind { _ = try ProphecyPredictor(ProphecyConfiguration(N: 4, theta: 1, dt: .nan)) } == .value)
        #expect(errorKind { _ = try ProphecyPredictor(ProphecyConfiguration(N: 4, theta: 1, dt: 0.1, basis: .fout)) } == .size)
        #expect(errorKind { _ = try ProphecyPredictor(ProphecyConfiguration(N: 4, theta: 1, dt: 0.1, basis: .legs, output: .trapezoid)) } == .unsupported)
        #expect(errorKind {
            let p = try ProphecyPredictor(ProphecyConfiguration(N: 4, theta: 1, dt: 0.1))
            _ = try p.predict([1, .infinity], batch: 1, T: 2, d: 1)
        } == .value)
        #expect(errorKind {
            let p = try ProphecyPredictor(ProphecyConfiguration(N: 4, theta: 1, dt: 0.1))
            _ = try p.predict([1, 2, 3], batch: 1, T: 2, d: 1)
        } == .size)
        #expect(errorKind { _ = try prophecyExport(ProphecyPredictor(ProphecyConfiguration(N: 4, theta: 1, dt: 0.1, basis: .legs))) } == .unsupported)
    }

    /// A deterministic multi-coordinate signal (batch 2, T, d 3).
    private func signal(T: Int, dt: Double) -> [Double] {
        var u = [Double]()
        for b in 0..<2 { for k in 0..<T { for j in 0..<3 {
            let t = Double(k) * dt
            u.append(Double.sin(Double(j + 1) * t + Double(b)) + 0.3 * Double.cos(2.7 * t * Double(b + 1)))
        } } }
        return u
    }

    /// Streaming runs the recurrence; batch prediction runs it too for LegS (identical numbers) and
    /// in chunks for LegT/FouT (T = 300 spans 9 chunks of 32 plus 12 samples), which sums the same
    /// terms in another order: rounding only, within 1e-13·max|u| (measured 4e-16).
    @Test(arguments: [ProphecyBasis.legt, .fout, .legs])
    func streamingMatchesBatch(basis: ProphecyBasis) throws {
        for (input, rule, disc) in [(ProphecyStateInput.average, ProphecyOutputRule.euler, ProphecyDiscretization.bilinear),
                                    (.plain, .trapezoid, .zoh), (.plain, .euler, .zoh)] {
            if basis == .legs && rule == .trapezoid { continue }
            let p = try ProphecyPredictor(ProphecyConfiguration(N: 7, theta: 0.4, dt: 0.01, basis: basis, stateInput: input,
                                                                output: rule, discretization: disc))
            let T = 300, u = signal(T: T, dt: 0.01), scale = u.map { Swift.abs($0) }.max()!
            #expect(p.usesChunks(T: T, lanes: 6) == (basis != .legs))
            let batch = try p.predict(u, batch: 2, T: T, d: 3)
            var stream = try ProphecyStream(p, d: 3)
            for b in 0..<2 {
                stream.reset()
                for k in 0..<T {
                    let i = (b * T + k) * 3
                    let out = try stream.step(Array(u[i..<(i + 3)]))
                    if basis == .legs {
                        #expect(out == Array(batch[i..<(i + 3)]))
                    } else {
                        let gap = zip(out, batch[i..<(i + 3)]).map { Swift.abs($0 - $1) }.max()!
                        #expect(gap <= 1e-13 * scale)
                    }
                }
            }
        }
    }

    @Test(arguments: [ProphecyStateInput.average, .plain])
    func exportedSSMReproducesPredict(input: ProphecyStateInput) throws {
        for (basis, rule, disc) in [(ProphecyBasis.legt, ProphecyOutputRule.euler, ProphecyDiscretization.bilinear),
                                    (.legt, .trapezoid, .zoh), (.fout, .euler, .bilinear)] {
            let p = try ProphecyPredictor(ProphecyConfiguration(N: 7, samples: 40, dt: 0.01, basis: basis, stateInput: input,
                                                                output: rule, discretization: disc))
            let T = 500, u = (0..<T).map { Double.sin(3 * Double($0) * 0.01) + 0.2 }
            let pred = try p.predict(u, batch: 1, T: T, d: 1)
            let e = try prophecyExport(p)
            #expect(e.A.rows == (input == .average ? 8 : 7))
            var y = [Double](repeating: 0, count: T)
            try e.A.elements.withUnsafeBufferPointer { a in try e.B.elements.withUnsafeBufferPointer { b in
                try e.C.elements.withUnsafeBufferPointer { c in try e.D.elements.withUnsafeBufferPointer { d in
                    try u.withUnsafeBufferPointer { uu in try y.withUnsafeMutableBufferPointer { yy in
                        try denseScan(batch: 1, N: e.A.rows, m: 1, p: 1, L: T, A: a, B: b, C: c, D: d, u: uu, x0: nil, y: yy, xFinal: nil)
                    } }
                } }
            } }
            #expect(relativeError(y, pred) < 1e-12)
        }
    }

    @Test func rolloutRadiusMatchesRecurrence() throws {
        let p = try ProphecyPredictor(ProphecyConfiguration(N: 6, samples: 20, dt: 0.01, stateInput: .average))
        let rho = try prophecyRolloutRadius(p)
        #expect(rho.isFinite && rho > 0)
        // The rollout equals iterating M on [z; u] from the teacher-forced state.
        let context = (0..<100).map { Double.sin(Double($0) * 0.05) }
        let roll = try prophecyRollout(p, context: context, steps: 30)
        var stream = try ProphecyStream(p, d: 1)
        var next = 0.0
        for u in context { next = try stream.step([u])[0] }
        let M = try prophecyRolloutMatrix(p)
        // Closed-loop state [z_k; u_k] with z_k = [x_k; u_k] for averaged input.
        var w = stream.state + [context.last!, context.last!]
        var out = [Double]()
        for _ in 0..<30 {
            var nw = [Double](repeating: 0, count: w.count)
            for i in 0..<w.count { for j in 0..<w.count { nw[i] += M[i, j] * w[j] } }
            w = nw
            out.append(w[w.count - 1])
        }
        // After one step of M the last entry is û_(k+1), the first rolled-out value.
        #expect(relativeError(out, roll) < 1e-10)
        #expect(roll[0] == next)
    }
}
