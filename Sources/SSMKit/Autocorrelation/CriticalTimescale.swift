import RealModule

// The critical timescale Δ* (MATH.md §4–§5): the step at which the c-averaged output power
// E_c E_x[y_L²](Δ) (ExpectedOutputPower.swift) reaches a target (1: an output of unit size).
// Solved in s = log Δ: the power grows like Δ² for small Δ, so log Δ is the natural scale.
//
// Monotonicity. One real mode w = a < 0 gives, with u = −Δa, ½|B/a|² tanh(u/2)(1 − e^(−2uL)) for
// white noise and ½|B/a|² (1 − e^(−uL))² for a constant input: both increase with Δ, and so does
// the w = 0 term ½Δ²|B|²·Σ_st r(|s − t|). Oscillating modes are not monotone (w = ib, constant
// input: 2|B|² sin²(LΔb/2)/b²), and modes with Re w < 0 saturate (at ½|B/w|² r(0)), so a target may
// have several roots or none. What is computed: the power on the grid Δ_k = dt_min·2^k (the last
// point dt_max); the first interval where it crosses the target from below is refined by Brent's
// method. That is the smallest root, unless the power crosses the target and comes back within one
// factor of 2 below it.

/// Δ*, with the work it took.
public struct CriticalTimescale: Sendable, Equatable {
    /// The step Δ* with E_c E_x[y_L²](Δ*) = target (to about 1e−14 relative in Δ).
    public let dt: Double
    /// Iterations of Brent's method inside the bracketing interval.
    public let iterations: Int
    /// Evaluations of the power in all (the grid and Brent's method).
    public let evaluations: Int
}

extension DiagonalSISO {
    /// The smallest Δ in [dtMin, dtMax] with E_c E_x[y_L²](Δ) = target, for the input
    /// autocorrelation r(0…L−1) (L = r.count), as described above. Needs Re w ≤ 0.
    /// Errors: `.value` (some Re w > 0; target not finite and > 0; unless 0 < dtMin < dtMax, finite;
    /// r non-finite), `.size` (r empty), `.notConverged` (no root: the power is already above the
    /// target at dtMin, or stays below it up to dtMax; or Brent's method did not converge).
    public func criticalTimescale(autocorrelation r: [Double], target: Double = 1,
                                  dtMin: Double = 1e-8, dtMax: Double = 1e3) throws -> CriticalTimescale {
        try requireStable(for: "the critical timescale")
        try requireAutocorrelation(r)
        try require(target.isFinite && target > 0, .value, "the target power \(target) must be finite and > 0")
        try require(dtMin.isFinite && dtMax.isFinite && dtMin > 0 && dtMin < dtMax, .value,
                    "the bracket needs 0 < dt_min < dt_max, both finite, got dt_min = \(dtMin), dt_max = \(dtMax)")
        var evaluations = 0
        func excess(_ dt: Double) throws -> Double {
            evaluations += 1
            return try expectedOutputPower(dt: dt, autocorrelation: r) / target - 1
        }
        // Bracket on the grid.
        var low = dtMin, gLow = try excess(low)
        if gLow == 0 { return CriticalTimescale(dt: low, iterations: 0, evaluations: evaluations) }
        try require(gLow < 0, .notConverged,
                    "no root in [dt_min, dt_max]: the expected output power is already \((gLow + 1) * target) > target \(target) at dt_min = \(dtMin); lower dt_min")
        var high = low, gHigh = gLow
        while gHigh < 0 {
            try require(high < dtMax, .notConverged,
                        "no root in [dt_min, dt_max]: the expected output power stays below the target \(target) up to dt_max = \(dtMax) (it is \((gHigh + 1) * target) there)")
            (low, gLow) = (high, gHigh)
            high = min(2 * high, dtMax)
            gHigh = try excess(high)
        }
        if gHigh == 0 { return CriticalTimescale(dt: high, iterations: 0, evaluations: evaluations) }
        let (s, iterations) = try brentRoot(Double.log(low), gLow, Double.log(high), gHigh) { try excess(Double.exp($0)) }
        return CriticalTimescale(dt: min(max(Double.exp(s), low), high), iterations: iterations, evaluations: evaluations)
    }
}

/// A root of g in [a, b] where g(a) = ga and g(b) = gb have opposite signs, by Brent's method
/// (inverse quadratic interpolation and secant steps, falling back to bisection whenever a step would
/// not shrink the bracket fast enough): the bracket always holds a sign change, so it converges.
/// Stops when the bracket is below 4ε|s| + 1e−15 or g = 0. Returns the root and the iterations.
/// Errors: those of g, `.notConverged` after 200 iterations (not reached in practice: bisection alone
/// needs about 60).
private func brentRoot(_ a0: Double, _ ga0: Double, _ b0: Double, _ gb0: Double,
                       _ g: (Double) throws -> Double) throws -> (Double, Int) {
    // b: the best estimate; a: the previous b; c: the other end of the bracket (g(b), g(c) differ
    // in sign); step/previousStep: the last two steps taken.
    var (a, ga, b, gb) = (a0, ga0, b0, gb0)
    var (c, gc) = (a, ga)
    var step = b - a, previousStep = step
    for iteration in 1...200 {
        if (gb > 0) == (gc > 0) { (c, gc) = (a, ga); step = b - a; previousStep = step }
        if abs(gc) < abs(gb) { (a, ga) = (b, gb); (b, gb) = (c, gc); (c, gc) = (a, ga) }
        let tolerance = 2 * Double.ulpOfOne * abs(b) + 0.5e-15
        let half = 0.5 * (c - b)
        if abs(half) <= tolerance || gb == 0 { return (b, iteration - 1) }
        if abs(previousStep) >= tolerance && abs(ga) > abs(gb) {
            // Interpolate: secant when only two distinct points are known, else inverse quadratic.
            var p: Double, q: Double
            let t = gb / ga
            if a == c {
                p = 2 * half * t
                q = 1 - t
            } else {
                let u = ga / gc, v = gb / gc
                p = t * (2 * half * u * (u - v) - (b - a) * (v - 1))
                q = (u - 1) * (v - 1) * (t - 1)
            }
            if p > 0 { q = -q } else { p = -p }
            // Accept the interpolation only if it lands inside the bracket and shrinks faster than
            // the step before last; otherwise bisect.
            if 2 * p < min(3 * half * q - abs(tolerance * q), abs(previousStep * q)) {
                previousStep = step
                step = p / q
            } else {
                step = half
                previousStep = step
            }
        } else {
            step = half
            previousStep = step
        }
        (a, ga) = (b, gb)
        b += abs(step) > tolerance ? step : (half > 0 ? tolerance : -tolerance)
        gb = try g(b)
    }
    throw SSMError(.notConverged, "Brent's method did not converge in 200 iterations (bracket [\(min(b, c)), \(max(b, c))] in log Δ)")
}
