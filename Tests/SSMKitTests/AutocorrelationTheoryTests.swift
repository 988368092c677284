import ComplexModule
import RealModule
import Testing
@testable import SSMKit

/// The autocorrelation theory (Sources/SSMKit/Autocorrelation, MATH.md §5): closed forms of the
/// output power, dense O(L²) oracles, the bound, monotonicity and the critical timescale, the Gram
/// matrices against numerical integration and Euler–Maclaurin, conditioning, least squares.
@Suite struct AutocorrelationTheoryTests {
    /// A stable three-mode model with a real, a slow and a fast oscillating mode.
    static let w: [Complex<Double>] = [Complex(-0.3, 0), Complex(-0.5, 1), Complex(-0.1, 7)]
    static let B: [Complex<Double>] = [Complex(1, 0), Complex(0.5, -1), Complex(2, 0.3)]
    static let c: [Complex<Double>] = [Complex(1, 1), Complex(-0.3, 0), Complex(0, 0.7)]

    static func white(_ L: Int) -> [Double] { (0..<L).map { $0 == 0 ? 1 : 0 } }
    static func constant(_ L: Int) -> [Double] { Array(repeating: 1, count: L) }
    static func ar1(_ L: Int, _ phi: Double) -> [Double] { (0..<L).map { Double.pow(phi, $0) } }
    static func powerLaw(_ L: Int, _ alpha: Double) -> [Double] { (0..<L).map { Double.pow(1 + Double($0), -alpha) } }

    /// B̄_j = Δ (e^(Δw) − 1)/(Δw) B_j by the plain formula (every Δw here is far from 0).
    static func bBar(_ w: Complex<Double>, _ b: Complex<Double>, _ dt: Double) -> Complex<Double> {
        let z = Complex(dt, 0) * w
        if z == .zero { return Complex(dt, 0) * b }
        return (Complex.exp(z) - .one) / w * b
    }

    /// v_m = e^(Δ w m) by the library-independent complex exponential.
    static func geometric(_ w: Complex<Double>, _ dt: Double, _ L: Int) -> [Complex<Double>] {
        (0..<L).map { Complex.exp(Complex(dt * Double($0), 0) * w) }
    }

    /// Σ_(s,t) x̄_s r(|s − t|) y_t by the dense double sum.
    static func denseForm(_ x: [Complex<Double>], _ r: [Double], _ y: [Complex<Double>]) -> Complex<Double> {
        var sum = Complex<Double>.zero
        for s in x.indices { for t in y.indices { sum = sum + x[s].conjugate * Complex(r[abs(s - t)], 0) * y[t] } }
        return sum
    }

    @Test func outputWeightsFollowTheirFormula() throws {
        let model = try DiagonalSISO(w: Self.w, B: Self.B)
        let dt = 0.07, L = 300
        let rho = try model.outputWeights(c: Self.c, dt: dt, L: L)
        for m in 0..<L {
            var sum = Complex<Double>.zero
            for j in 0..<3 { sum = sum + Self.c[j] * Self.bBar(Self.w[j], Self.B[j], dt) * Self.geometric(Self.w[j], dt, m + 1)[m] }
            // A few tens of ulps per power (DiagonalKernel.swift), times terms of size ≤ 0.3.
            #expect(abs(rho[m] - sum.real) <= 1e-14, "m = \(m)")
        }
    }

    @Test func outputPowerEqualsTheDenseQuadraticFormReversedOrNot() throws {
        let model = try DiagonalSISO(w: Self.w, B: Self.B)
        let L = 97   // odd, so the circulant embedding pads to a power of two above 2L − 1
        for r in [Self.white(L), Self.constant(L), Self.ar1(L, 0.9), Self.powerLaw(L, 0.4)] {
            let power = try model.outputPower(c: Self.c, dt: 0.05, autocorrelation: r)
            let rho = try model.outputWeights(c: Self.c, dt: 0.05, L: L).map { Complex($0, 0) }
            let direct = Self.denseForm(rho, r, rho).real
            let reversed = Self.denseForm(rho.reversed(), r, rho.reversed()).real
            #expect(abs(power - direct) <= 1e-12 * direct)
            #expect(abs(reversed - direct) <= 1e-12 * direct)
        }
    }

    @Test func expectedPowerClosedFormsOfOneMode() throws {
        let zero = try DiagonalSISO(w: [.zero])
        for (L, dt) in [(1, 0.3), (64, 0.01), (1000, 0.002)] {
            let white = try zero.expectedOutputPower(dt: dt, autocorrelation: Self.white(L))
            let constant = try zero.expectedOutputPower(dt: dt, autocorrelation: Self.constant(L))
            #expect(abs(white - 0.5 * dt * dt * Double(L)) <= 1e-14 * white)
            #expect(abs(constant - 0.5 * dt * dt * Double(L * L)) <= 1e-13 * constant)
        }
        // a < 0, white noise: ½|B̄|² Σ_m e^(2Δam) = (1/(2a²)) tanh(u/2)(1 − e^(−2uL)), u = −Δa.
        let a = -0.7, dt = 0.2, L = 50, u = -dt * a
        let decaying = try DiagonalSISO(w: [Complex(a, 0)]).expectedOutputPower(dt: dt, autocorrelation: Self.white(L))
        let closed = Double.tanh(u / 2) * (1 - Double.exp(-2 * u * Double(L))) / (2 * a * a)
        #expect(abs(decaying - closed) <= 1e-14 * closed)
    }

    @Test func expectedPowerEqualsTheDenseAverageOverReadouts() throws {
        let model = try DiagonalSISO(w: Self.w, B: Self.B)
        let L = 80, dt = 0.09
        for r in [Self.ar1(L, -0.6), Self.powerLaw(L, 0.3), Self.constant(L)] {
            let expected = try model.expectedOutputPower(dt: dt, autocorrelation: r)
            var dense = 0.0
            for j in 0..<3 {
                let v = Self.geometric(Self.w[j], dt, L)
                dense += 0.5 * Self.bBar(Self.w[j], Self.B[j], dt).lengthSquared * Self.denseForm(v, r, v).real
            }
            #expect(abs(expected - dense) <= 1e-12 * dense)
            // E_c[(Re Σ c_j u_j)²] = ½ Σ_j E|u_j|² = ½ Σ_j (P(e_j) + P(i e_j)): the two functions agree.
            var fromPowers = 0.0
            for j in 0..<3 {
                for unit in [Complex<Double>(1, 0), Complex(0, 1)] {
                    var e = [Complex<Double>](repeating: .zero, count: 3)
                    e[j] = unit
                    fromPowers += 0.5 * (try model.outputPower(c: e, dt: dt, autocorrelation: r))
                }
            }
            #expect(abs(expected - fromPowers) <= 1e-12 * expected)
        }
    }

    @Test func boundHoldsAndIsTightForAZeroModeUnderConstantInput() throws {
        let L = 60
        for r in [Self.white(L), Self.constant(L), Self.ar1(L, 0.95), Self.powerLaw(L, 0.5)] {
            var R = RealMatrix(rows: L, columns: L, repeating: 0)
            for s in 0..<L { for t in 0..<L { R[s, t] = r[abs(s - t)] } }
            let lambdaMax = try eigh(R).values.last!
            let model = try DiagonalSISO(w: Self.w + [.zero, Complex(0, 2)], B: Self.B + [.one, Complex(0.3, 0.3)])
            let c = Self.c + [Complex(0.2, 0), Complex(-1, 0.5)]
            for dt in [0.01, 0.1, 1.0] {
                let power = try model.outputPower(c: c, dt: dt, autocorrelation: r)
                let bound = try model.outputPowerBound(c: c, dt: dt, L: L, lambdaMax: lambdaMax)
                #expect(power <= bound * (1 + 1e-12), "dt \(dt)")
            }
        }
        // w = 0 with c_j B_j > 0 and constant input: ρ_m = Δ Σ c_j B_j, E[y²] = (LΔ Σ c_j B_j)², λ_max = L.
        let zero = try DiagonalSISO(w: [.zero, .zero], B: [Complex(2, 0), Complex(0, 1)])
        let c: [Complex<Double>] = [Complex(0.5, 0), Complex(0, -3)]
        let power = try zero.outputPower(c: c, dt: 0.01, autocorrelation: Self.constant(L))
        let bound = try zero.outputPowerBound(c: c, dt: 0.01, L: L, lambdaMax: Double(L))
        #expect(abs(power - bound) <= 1e-12 * bound && abs(bound - Double.pow(Double(L) * 0.01 * 4, 2)) <= 1e-12 * bound)
    }

    @Test func expectedPowerIncreasesWithTheStepForRealModes() throws {
        let model = try DiagonalSISO(w: [Complex(-0.2, 0), Complex(-3, 0), .zero], B: [.one, Complex(2, 0), Complex(0.1, 0)])
        let L = 200
        for r in [Self.white(L), Self.constant(L), Self.ar1(L, 0.8)] {
            var previous = 0.0
            for k in 0..<60 {
                let power = try model.expectedOutputPower(dt: 1e-4 * Double.pow(1.25, Double(k)), autocorrelation: r)
                #expect(power > previous, "k = \(k)")
                previous = power
            }
        }
    }

    @Test func criticalTimescaleSolvesItsEquation() throws {
        // One zero mode: ½Δ²L = 1 (white) and ½Δ²L² = 1 (constant) in closed form.
        let zero = try DiagonalSISO(w: [.zero])
        for L in [16, 1000] {
            let white = try zero.criticalTimescale(autocorrelation: Self.white(L))
            let constant = try zero.criticalTimescale(autocorrelation: Self.constant(L))
            #expect(abs(white.dt - (2 / Double(L)).squareRoot()) <= 1e-14 * white.dt)
            #expect(abs(constant.dt - 2.0.squareRoot() / Double(L)) <= 1e-14 * constant.dt)
            #expect(white.iterations >= 1 && white.evaluations > white.iterations)
        }
        // A general model: the power at Δ* is the target; just below Δ* it is smaller.
        let model = try DiagonalSISO(w: [.zero, Complex(-0.5, 3), Complex(0, 9)], B: Self.B)
        let r = Self.ar1(256, 0.7)
        for target in [0.01, 1.0, 30.0] {
            let result = try model.criticalTimescale(autocorrelation: r, target: target)
            let at = try model.expectedOutputPower(dt: result.dt, autocorrelation: r)
            #expect(abs(at - target) <= 1e-12 * target)
            #expect(try model.expectedOutputPower(dt: result.dt * (1 - 1e-9), autocorrelation: r) < target)
        }
    }

    @Test func criticalTimescaleReportsMissingRoots() throws {
        // Re w < 0 saturates at ½|B/w|² r(0) = ½ here: a target of 1 is never reached.
        let decaying = try DiagonalSISO(w: [Complex(-1, 0)])
        #expect(errorKind { _ = try decaying.criticalTimescale(autocorrelation: Self.white(64)) } == .notConverged)
        let zero = try DiagonalSISO(w: [.zero])
        #expect(errorKind { _ = try zero.criticalTimescale(autocorrelation: Self.white(64), dtMin: 10, dtMax: 20) } == .notConverged)
        #expect(errorKind { _ = try zero.criticalTimescale(autocorrelation: Self.white(64), dtMin: 1e-6, dtMax: 1e-3) } == .notConverged)
        #expect(errorKind { _ = try zero.criticalTimescale(autocorrelation: Self.white(64), dtMin: 1, dtMax: 1) } == .value)
        #expect(errorKind { _ = try zero.criticalTimescale(autocorrelation: Self.white(64), target: 0) } == .value)
        let unstable = try DiagonalSISO(w: [Complex(0.1, 0)])
        #expect(errorKind { _ = try unstable.criticalTimescale(autocorrelation: Self.white(64)) } == .value)
    }

    @Test func ruleOfThumbAndFirstTokenWeight() throws {
        #expect(try timescaleRule(L: 400, lambdaMax: 4, kappa: 2) == 0.05)
        #expect(abs(try timescaleRule(L: 1 << 20, lambdaMax: 1e-300) - 1 / (1024 * 1e-150)) <= 1e-15 * 1e147)
        let L = 10_000, dt = 1 / Double(L).squareRoot()
        let weights = try firstTokenWeight(realParts: [-0.5, 0, -2], dt: dt, L: L)
        // e^(−(L−1)/(2√L)) ≈ e^(−√L/2): the curse of memory; a = 0 keeps 1.
        #expect(abs(weights[0] - Double.exp(-0.5 * Double(L - 1) * dt)) <= 1e-15 * weights[0])
        #expect(weights[1] == 1 && weights[2] < 1e-80)
        #expect(try firstTokenWeight(realParts: [-3], dt: 0.1, L: 1) == [1])
        // Δ·(L−1) overflows: a = 0 still weighs 1, a < 0 nothing.
        #expect(try firstTokenWeight(realParts: [0, -1], dt: 1e300, L: 1 << 40) == [1, 0])
        #expect(errorKind { _ = try firstTokenWeight(realParts: [800], dt: 1, L: 3) } == .unstable)
    }

    /// ∫_0^T f by composite Simpson with n (even) intervals.
    static func simpson(_ T: Double, _ n: Int, _ f: (Double) -> Double) -> Double {
        let h = T / Double(n)
        var sum = f(0) + f(T)
        for i in 1..<n { sum += (i % 2 == 1 ? 4 : 2) * f(Double(i) * h) }
        return sum * h / 3
    }

    @Test func continuousGramEqualsNumericalIntegration() throws {
        let w: [Complex<Double>] = [Complex(-0.5, 0), Complex(-0.5, 3), Complex(-1, 3.2), Complex(-2, -1)]
        let G = try continuousGram(w)
        for j in 0..<4 {
            for k in 0..<4 {
                let s = -(w[j].real + w[k].real)
                // e^(−s·60) < 1e−26: the tail beyond T is negligible. Simpson with h = 2.5e−4:
                // h⁴·T·max|f⁗|/180 ≈ 1e−12 for |b| ≤ 3.2.
                let T = 60 / s
                let integral = Self.simpson(T, 2 * Int((T / 5e-4).rounded())) { t in
                    Double.exp(-s * t) * Double.cos(w[j].imaginary * t) * Double.cos(w[k].imaginary * t)
                }
                #expect(abs(G[j, k] - integral) <= 1e-10, "G[\(j), \(k)]")
                #expect(G[j, k] == G[k, j])
            }
        }
        #expect(errorKind { _ = try continuousGram([Complex(-1, 0), Complex(0, 2)]) } == .value)
    }

    @Test func discreteGramTendsToTheContinuousOne() throws {
        let w: [Complex<Double>] = [Complex(-0.5, 0), Complex(-0.5, 3), Complex(-1, 2)]
        let continuous = try continuousGram(w)
        for dt in [0.02, 0.01, 0.005] {
            // L·Δ = 80: the tail e^(−80 s) is gone. Euler–Maclaurin for the left Riemann sum with f(0) = 1,
            // f'(0) = −s: G_disc = G_cont + Δ/2 + Δ² s/12 + O(Δ⁴ |f'''(0)|/720).
            let L = Int((80 / dt).rounded())
            let G = try discreteGram(w, dt: dt, L: L)
            for j in 0..<3 {
                for k in 0..<3 {
                    let s = -(w[j].real + w[k].real)
                    let corrected = continuous[j, k] + dt / 2 + dt * dt * s / 12
                    #expect(abs(G[j, k] - corrected) <= 1e-7 * Double.pow(dt / 0.02, 3), "Δ \(dt), G[\(j), \(k)]")
                    #expect(abs(G[j, k] - continuous[j, k]) <= 0.51 * dt + dt * dt)
                }
            }
        }
    }

    @Test func aliasingMakesTheDiscreteGramSingular() throws {
        let dt = 0.1, b = 1.3
        // Δ(b + 2π/Δ) = Δb + 2π and Δ(2π/Δ − b) = 2π − Δb: both alias onto b.
        for other in [b + 2 * Double.pi / dt, 2 * Double.pi / dt - b] {
            let G = try discreteGram([Complex(-0.2, b), Complex(-0.2, other)], dt: dt, L: 400)
            #expect(try conditionNumber(G) > 1e12)
            // The continuous Gram of the same modes is well conditioned.
            #expect(try conditionNumber(continuousGram([Complex(-0.2, b), Complex(-0.2, other)])) < 1.1)
        }
        let distinct = try discreteGram([Complex(-0.2, b), Complex(-0.2, b + 1)], dt: dt, L: 400)
        #expect(try conditionNumber(distinct) < 10)
    }

    @Test func conditionNumbers() throws {
        #expect(abs(try conditionNumber(RealMatrix(rows: 2, columns: 2, elements: [2, 1, 1, 2])) - 3) <= 1e-15 * 3)
        #expect(abs(try conditionNumber(RealMatrix(rows: 2, columns: 2, elements: [1, 2, 2, 1])) - 3) <= 1e-15 * 3)
        #expect(try conditionNumber(RealMatrix(rows: 2, columns: 2, elements: [1, 0, 0, 0])) == .infinity)
        #expect(errorKind { _ = try conditionNumber(RealMatrix(rows: 2, columns: 2, elements: [1, 0.5, 0.4, 1])) } == .value)
        // S4D-Real (b = 0, a_n = −(n+1)): G_jk = 1/(j + k + 2), κ grows exponentially;
        // S4D-Lin (a = −½, b_n = πn) stays below 3.
        var previous = 0.0
        for N in [2, 4, 6, 8] {
            let real = try conditionNumber(continuousGram((0..<N).map { Complex(-Double($0 + 1), 0) }))
            let lin = try conditionNumber(continuousGram((0..<N).map { Complex(-0.5, Double.pi * Double($0)) }))
            // Measured: 38, 4.6e4, 5.1e7, 5.6e10 (S4D-Real); 2.05 … 2.38 (S4D-Lin).
            #expect(real > 1000 * previous && lin < 3, "N = \(N)")
            previous = real
        }
    }

    @Test func approximationErrorByLeastSquares() throws {
        let dt = 0.05, L = 400
        let w: [Complex<Double>] = [Complex(-0.5, 0), Complex(-0.5, 2), Complex(-0.5, 2.2)]
        let t = (0..<L).map { Double($0) * dt }
        // In the span: zero error (rounding only).
        let inSpan = t.map { 3 * Double.exp(-0.5 * $0) - Double.exp(-0.5 * $0) * Double.cos(2.2 * $0) }
        #expect(try approximationError(w, dt: dt, target: inSpan) <= 1e-28)
        // Out of the span: the normal equations (well conditioned here) give the same residual.
        let target = t.map { Double.exp(-0.3 * $0) * Double.cos(1.1 * $0) }
        let error = try approximationError(w, dt: dt, target: target)
        let phi = try dampedCosineFeatures(w, dt: dt, L: L)
        var G = RealMatrix(rows: 3, columns: 3, repeating: 0), rhs = RealMatrix(rows: 3, columns: 1, repeating: 0)
        for j in 0..<3 {
            for m in 0..<L { rhs[j, 0] += phi[j, m] * target[m] }
            for k in 0..<3 { for m in 0..<L { G[j, k] += phi[j, m] * phi[k, m] } }
        }
        let coefficients = try solve(G, rhs)
        var residual = 0.0, norm = 0.0
        for m in 0..<L {
            var fit = 0.0
            for j in 0..<3 { fit += coefficients[j, 0] * phi[j, m] }
            residual += (target[m] - fit) * (target[m] - fit)
            norm += target[m] * target[m]
        }
        // κ(G) ≈ 1e3 here: the normal equations lose about 3 digits of the coefficients.
        #expect(error > 0.05 && abs(error - residual / norm) <= 1e-10 * error)
        #expect(errorKind { _ = try approximationError(w, dt: dt, target: [0, 0]) } == .value)
        #expect(errorKind { _ = try approximationError(w, dt: dt, target: target, rcond: -1) } == .value)
    }

    @Test func badArguments() throws {
        #expect(errorKind { _ = try DiagonalSISO(w: []) } == .size)
        #expect(errorKind { _ = try DiagonalSISO(w: [Complex(.nan, 0)]) } == .value)
        #expect(errorKind { _ = try DiagonalSISO(w: [.zero], B: [.one, .one]) } == .size)
        let model = try DiagonalSISO(w: [Complex(-1, 1)])
        #expect(errorKind { _ = try model.outputWeights(c: [.one], dt: 0, L: 4) } == .value)
        #expect(errorKind { _ = try model.outputWeights(c: [.one], dt: .infinity, L: 4) } == .value)
        #expect(errorKind { _ = try model.outputWeights(c: [.one, .one], dt: 1, L: 4) } == .size)
        #expect(errorKind { _ = try model.outputWeights(c: [.one], dt: 1, L: 0) } == .size)
        #expect(errorKind { _ = try model.outputPower(c: [.one], dt: 1, autocorrelation: []) } == .size)
        #expect(errorKind { _ = try model.expectedOutputPower(dt: 1, autocorrelation: [1, .nan]) } == .value)
        #expect(errorKind { _ = try model.outputPowerBound(c: [.one], dt: 1, L: 4, lambdaMax: -1) } == .value)
        let growing = try DiagonalSISO(w: [Complex(1, 0)])
        #expect(errorKind { _ = try growing.outputPowerBound(c: [.one], dt: 1, L: 4, lambdaMax: 1) } == .value)
        #expect(errorKind { _ = try growing.outputWeights(c: [.one], dt: 1, L: 2000) } == .unstable)
        #expect(errorKind { _ = try growing.expectedOutputPower(dt: 1, autocorrelation: Self.white(2000)) } == .unstable)
        #expect(errorKind { _ = try timescaleRule(L: 4, lambdaMax: 0) } == .value)
        #expect(errorKind { _ = try discreteGram([Complex(1, 0)], dt: 1, L: 2000) } == .unstable)
    }
}
