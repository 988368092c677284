/// The adaptive Dormand–Prince 5(4) method (Dormand & Prince 1980; Hairer, Nørsett & Wanner,
/// "Solving ODEs I", II.4–5): seven stages with the first-same-as-last property (the last stage
/// f(t + h, x_new) is the next step's first), the fifth-order solution propagated, the embedded
/// fourth-order one used only for the error estimate.
///
/// Error control: err = √(mean_i (e_i / sc_i)²), e = h Σ_j (b_j − b̂_j) k_j,
/// sc_i = atol + rtol·max(|x_i|, |x_new,i|); a step is accepted when err ≤ 1. The next step is
/// h·min(maxFactor, max(minFactor, safety·err^(−1/5))), with maxFactor replaced by 1 right after a
/// rejection. A trial whose stages are non-finite counts as rejected (h·minFactor).
/// Output: steps are shortened so that they land exactly on every sample time t0 + kΔ (no dense
/// output interpolation), so each sample carries the full fifth-order accuracy.
/// The first step size comes from Hairer's starting-step heuristic (HNW I, II.4).
public struct DormandPrince: Sendable, Equatable {
    /// Relative tolerance, > 0 (and ≥ 1e−15 or atol > 0).
    public var rtol: Double
    /// Absolute tolerance, ≥ 0.
    public var atol: Double
    /// Safety factor of the step-size controller, in (0, 1].
    public var safety: Double
    /// Smallest and largest factor by which one step may change h (0 < minFactor < 1 < maxFactor).
    public var minFactor: Double
    public var maxFactor: Double
    /// Largest number of step attempts between two samples before `.notConverged`.
    public var maxStepsPerSample: Int

    public init(rtol: Double = 1e-10, atol: Double = 1e-12, safety: Double = 0.9, minFactor: Double = 0.2,
                maxFactor: Double = 10, maxStepsPerSample: Int = 1_000_000) {
        self.rtol = rtol; self.atol = atol; self.safety = safety
        self.minFactor = minFactor; self.maxFactor = maxFactor; self.maxStepsPerSample = maxStepsPerSample
    }

    /// Errors: `.value` for any setting out of its range.
    public func validate() throws {
        try require(rtol.isFinite && rtol > 0, .value, "rtol = \(rtol) must be finite and > 0")
        try require(atol.isFinite && atol >= 0, .value, "atol = \(atol) must be finite and ≥ 0")
        try require(rtol >= 1e-15 || atol > 0, .value, "rtol = \(rtol) is below 1e-15 with atol = 0: the tolerance cannot be met in double precision")
        try require(safety.isFinite && safety > 0 && safety <= 1, .value, "safety = \(safety) must be in (0, 1]")
        try require(minFactor.isFinite && minFactor > 0 && minFactor < 1, .value, "minFactor = \(minFactor) must be in (0, 1)")
        try require(maxFactor.isFinite && maxFactor > 1, .value, "maxFactor = \(maxFactor) must be finite and > 1")
        try require(maxStepsPerSample >= 1, .value, "maxStepsPerSample = \(maxStepsPerSample) must be ≥ 1")
    }

    // Butcher tableau (c, a) and the error weights e = b − b̂.
    private static let c: [Double] = [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1]
    private static let a: [[Double]] = [
        [],
        [1.0 / 5],
        [3.0 / 40, 9.0 / 40],
        [44.0 / 45, -56.0 / 15, 32.0 / 9],
        [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
        [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
        [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
    ]
    private static let e: [Double] = [71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40]

    /// The scaled RMS norm √(mean (v_i / (atol + rtol·|x_i|))²).
    private func norm(_ v: [Double], _ x: [Double]) -> Double {
        var s = 0.0
        for i in v.indices { let q = v[i] / (atol + rtol * abs(x[i])); s += q * q }
        return (s / Double(v.count)).squareRoot()
    }

    /// Hairer's starting step: h0 = 0.01·‖x0‖/‖f0‖, refined by one Euler step to
    /// h1 = (0.01 / max(‖f0‖, ‖f1 − f0‖/h0))^(1/5), h = min(100·h0, h1, Δ).
    private func initialStep(_ f: VectorField, t0: Double, x0: [Double], f0: [Double], dt: Double) throws -> Double {
        let d0 = norm(x0, x0), d1 = norm(f0, x0)
        var h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1
        h0 = min(h0, dt)
        let x1 = zip(x0, f0).map { $0 + h0 * $1 }
        var f1 = f0
        try evaluate(f, t0 + h0, x1, &f1)
        let d2 = norm(zip(f1, f0).map { $0 - $1 }, x0) / h0
        let big = max(d1, d2)
        let h1 = big <= 1e-15 ? max(1e-6, h0 * 1e-3) : Double.pow(0.01 / big, 1.0 / 5)
        return min(100 * h0, h1, dt)
    }

    /// Fills `out` (steps × d) with the samples at t0 + kΔ.
    func run(_ f: VectorField, x0: [Double], t0: Double, dt: Double, steps: Int, into out: inout [Double]) throws {
        let d = x0.count
        var x = x0, t = t0
        for i in 0..<d { out[i] = x[i] }
        guard steps > 1 else { return }
        var k = [[Double]](repeating: [Double](repeating: 0, count: d), count: 7)
        try evaluate(f, t, x, &k[0])
        var h = try initialStep(f, t0: t0, x0: x0, f0: k[0], dt: dt)
        var y = x, xNew = x, err = x
        var rejected = false
        for sample in 1..<steps {
            let target = sampleTime(t0, dt, sample)
            var attempts = 0
            while t < target {
                attempts += 1
                guard attempts <= maxStepsPerSample else {
                    throw SSMError(.notConverged, "Dormand–Prince needed more than \(maxStepsPerSample) steps between t = \(sampleTime(t0, dt, sample - 1)) and t = \(target) (h = \(h)); the problem may be stiff or the tolerances too tight")
                }
                let lands = t + h >= target
                let step = lands ? target - t : h
                guard step > 16 * Double.ulpOfOne * max(abs(t), abs(target)) || lands else {
                    throw SSMError(.notConverged, "Dormand–Prince step size underflow at t = \(t): h = \(step) (a singularity, a blow-up or a discontinuity in f?)")
                }
                // Stages 2…7 (stage 1 is k[0], carried over: FSAL).
                var finite = true
                for s in 1..<7 {
                    let row = Self.a[s]
                    for i in 0..<d {
                        var acc = 0.0
                        for j in 0..<s { acc += row[j] * k[j][i] }
                        y[i] = x[i] + step * acc
                    }
                    if s == 6 { xNew = y }
                    do { try evaluate(f, t + Self.c[s] * step, y, &k[s]) } catch let error as SSMError where error.kind == .unstable {
                        finite = false; break
                    }
                }
                var errNorm = Double.infinity
                if finite {
                    for i in 0..<d {
                        var acc = 0.0
                        for j in 0..<7 { acc += Self.e[j] * k[j][i] }
                        err[i] = step * acc
                    }
                    var s = 0.0
                    for i in 0..<d {
                        let q = err[i] / (atol + rtol * max(abs(x[i]), abs(xNew[i])))
                        s += q * q
                    }
                    errNorm = (s / Double(d)).squareRoot()
                }
                if errNorm <= 1 {
                    t = lands ? target : t + step
                    x = xNew
                    k[0] = k[6]   // FSAL
                    let grow = errNorm == 0 ? maxFactor : min(maxFactor, max(minFactor, safety * Double.pow(errNorm, -0.2)))
                    let proposal = step * (rejected ? min(1, grow) : grow)
                    // A step shortened to land on a sample says nothing against the longer h.
                    h = lands ? max(proposal, min(h, proposal * maxFactor)) : proposal
                    rejected = false
                } else {
                    let shrink = errNorm.isFinite ? max(minFactor, safety * Double.pow(errNorm, -0.2)) : minFactor
                    h = step * min(1, shrink)
                    rejected = true
                    guard h > 16 * Double.ulpOfOne * max(abs(t), 1e-300) else {
                        throw SSMError(.notConverged, "Dormand–Prince step size underflow at t = \(t): h = \(h) (a singularity, a blow-up or a discontinuity in f?)")
                    }
                }
            }
            try requireFiniteState(x, at: t)
            for i in 0..<d { out[sample * d + i] = x[i] }
        }
    }
}
