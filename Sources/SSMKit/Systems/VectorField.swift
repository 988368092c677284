/// The right-hand side of ẋ = f(t, x) on d-dimensional states: writes f(t, x) into `dx` (both of
/// length d). It may throw to abort an integration; the error is passed on unchanged.
public typealias VectorField = (_ t: Double, _ x: UnsafeBufferPointer<Double>, _ dx: UnsafeMutableBufferPointer<Double>) throws -> Void

/// How `integrate` advances between output samples.
public enum ODEMethod: Sendable, Equatable {
    /// Classical fixed-step Runge–Kutta 4 with `substeps` equal steps per sample interval
    /// (step h = dt/substeps, global error O(h⁴)).
    case rk4(substeps: Int)
    /// Adaptive Dormand–Prince 5(4) with error control (see `DormandPrince`).
    case dormandPrince(DormandPrince)
}

/// Integrates ẋ = f(t, x) from x(t0) = x0 and returns the trajectory sampled at t0 + kΔ,
/// k = 0 … steps − 1 (`steps` rows of d = x0.count values, row-major; row 0 is x0).
/// Errors: `.size` (empty x0, steps < 1, too many values), `.value` (non-finite x0, t0 or dt, dt ≤ 0,
/// t0 + (steps − 1)·dt not finite, bad method settings), `.unstable` (the state or f became
/// non-finite), `.notConverged` (Dormand–Prince: step size underflow or step budget exhausted),
/// and whatever `f` throws.
public func integrate(_ f: VectorField, x0: [Double], t0: Double, dt: Double, steps: Int,
                      method: ODEMethod) throws -> [Double] {
    try require(!x0.isEmpty, .size, "x0 is empty: the state dimension d must be ≥ 1")
    try requireFinite(x0, "x0")
    try require(t0.isFinite, .value, "t0 = \(t0) is not finite")
    try require(dt.isFinite && dt > 0, .value, "dt = \(dt) must be finite and > 0")
    let total = try taskElementCount([steps, x0.count], "steps × d")
    try require((t0 + Double(steps - 1) * dt).isFinite, .value, "the last sample time t0 + (steps − 1)·dt is not finite")
    var out = [Double](repeating: 0, count: total)
    switch method {
    case .rk4(let substeps):
        try require(substeps >= 1, .value, "RK4 needs substeps ≥ 1, got \(substeps)")
        try RungeKutta4.run(f, x0: x0, t0: t0, dt: dt, steps: steps, substeps: substeps, into: &out)
    case .dormandPrince(let settings):
        try settings.validate()
        try settings.run(f, x0: x0, t0: t0, dt: dt, steps: steps, into: &out)
    }
    return out
}

/// The sample time t0 + kΔ, computed from k (no accumulated rounding).
@inline(__always)
func sampleTime(_ t0: Double, _ dt: Double, _ k: Int) -> Double { t0 + Double(k) * dt }

/// Throws `.unstable` if a state left the finite numbers at time t.
func requireFiniteState(_ x: [Double], at t: Double) throws {
    if let i = x.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "the state became non-finite (x[\(i)] = \(x[i])) at t = \(t)")
    }
}

/// Calls f on Swift arrays, checking that it produced finite values.
@inline(__always)
func evaluate(_ f: VectorField, _ t: Double, _ x: [Double], _ dx: inout [Double]) throws {
    try x.withUnsafeBufferPointer { xp in try dx.withUnsafeMutableBufferPointer { try f(t, xp, $0) } }
    if let i = dx.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "f(t, x) is non-finite (dx[\(i)] = \(dx[i])) at t = \(t)")
    }
}
