/// A trajectory of a named system: `steps` rows of d values (row-major), the samples at t0 + kΔ,
/// k = 0 … steps − 1. `parameters` nil: the defaults; `x0` nil: the default initial state (required
/// for the linear ODE). ODE systems are integrated by `method` (`.rk4(substeps:)` or Dormand–Prince,
/// default rtol 1e−10, atol 1e−12); explicit systems are evaluated at the sample times (x0 and method
/// unused); filtered noise follows `FilteredNoise` with `seed` (method unused).
/// Errors: `.size` (parameter or x0 length, steps < 1), `.value` (non-finite or out-of-range
/// arguments), and the errors of `integrate`.
public func simulate(_ system: DynamicalSystem, parameters: [Double]? = nil, x0: [Double]? = nil, t0: Double = 0,
                     dt: Double, steps: Int, method: ODEMethod = .dormandPrince(DormandPrince()),
                     seed: UInt64 = 0) throws -> [Double] {
    let p = parameters ?? system.defaultParameters
    try system.validate(parameters: p)
    let d = try system.dimension(parameterCount: p.count)
    try require(t0.isFinite, .value, "t0 = \(t0) is not finite")
    try require(dt.isFinite && dt > 0, .value, "dt = \(dt) must be finite and > 0")
    _ = try taskElementCount([steps, d], "steps × d")
    var start = system.defaultInitialState
    if let x0 {
        try require(x0.count == d, .size, "\(system.name) has dimension \(d) but x0 has \(x0.count) values")
        try requireFinite(x0, "x0")
        start = x0
    }
    try require(start.count == d, .value, "\(system.name) has no default initial state: give x0 (\(d) values)")
    switch system.kind {
    case .explicit:
        return (0..<steps).map { system.value(at: sampleTime(t0, dt, $0), parameters: p) }
    case .noise:
        return try FilteredNoise(tau: p[0], sigma: p[1]).generate(x0: start[0], dt: dt, steps: steps, seed: seed)
    case .ode:
        return try integrate(system.vectorField(parameters: p), x0: start, t0: t0, dt: dt, steps: steps, method: method)
    }
}
