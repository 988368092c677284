import RealModule

// Timescales Δ (MATH.md §4): log-uniform on [dt_min, dt_max], one per channel or per mode, and the
// transforms models store Δ through (exp/log, softplus/inverse softplus), with exact inverses.

/// How a model stores Δ. Raw values are the C enum `ssm_dt_transform_t`.
public enum TimescaleTransform: Int32, Sendable {
    /// Δ = exp(p), p = log Δ (S4, S4D, S5's log_step).
    case exp = 0
    /// Δ = softplus(p) = log(1 + e^p), p = Δ + log(−expm1(−Δ)) (Mamba's dt_bias).
    case softplus = 1
}

/// `count` timescales Δ = exp(U(log dt_min, log dt_max)) from SSMRandom(seed), one uniform each, in
/// order. Errors: `.value` unless 0 < dt_min ≤ dt_max, both finite.
public func logUniformTimescales(count: Int, dtMin: Double = 1e-3, dtMax: Double = 1e-1, seed: UInt64 = 0) throws -> [Double] {
    try require(count >= 0, .size, "count = \(count) must be ≥ 0")
    try require(dtMin.isFinite && dtMax.isFinite && dtMin > 0 && dtMin <= dtMax, .value,
                "timescales need 0 < dt_min ≤ dt_max, got dt_min = \(dtMin), dt_max = \(dtMax)")
    var rng = SSMRandom(seed: seed)
    let lo = Double.log(dtMin), hi = Double.log(dtMax)
    // Clamped: exp(log x) may round just outside [dt_min, dt_max].
    return (0..<count).map { _ in min(max(Double.exp(lo + rng.uniform() * (hi - lo)), dtMin), dtMax) }
}

/// Δ from a stored parameter p (exp or softplus), evaluated without overflow: softplus(p) =
/// max(p, 0) + log1p(e^−|p|).
public func timescale(fromParameter p: Double, _ transform: TimescaleTransform) -> Double {
    switch transform {
    case .exp: return Double.exp(p)
    case .softplus: return softplus(p)
    }
}

/// The stored parameter p with Δ = transform(p), for Δ > 0; softplus first raises Δ to `floor` (Mamba
/// clamps at 1e-4 before inverting). Inverse softplus p = Δ + log(−expm1(−Δ)), accurate for tiny and
/// large Δ. Errors: `.value` for Δ not finite and positive, or a floor that is not finite and ≥ 0.
public func timescaleParameter(_ dt: Double, _ transform: TimescaleTransform, floor: Double = 0) throws -> Double {
    try require(dt.isFinite && dt > 0, .value, "dt = \(dt) must be finite and > 0")
    try require(floor.isFinite && floor >= 0, .value, "floor = \(floor) must be finite and ≥ 0")
    switch transform {
    case .exp: return Double.log(dt)
    case .softplus:
        return inverseSoftplus(max(dt, floor))
    }
}

/// softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^−|x|), without overflow.
@inline(__always)
func softplus(_ x: Double) -> Double { max(x, 0) + Double.log(onePlus: Double.exp(-abs(x))) }

/// softplus⁻¹(y) = log(e^y − 1) = y + log(−expm1(−y)) for y > 0, accurate for tiny and large y.
@inline(__always)
func inverseSoftplus(_ y: Double) -> Double { y + Double.log(-Double.expMinusOne(-y)) }

/// The logistic function 1/(1 + e^−x), softplus' derivative, without overflow.
@inline(__always)
func sigmoid(_ x: Double) -> Double { x >= 0 ? 1 / (1 + Double.exp(-x)) : Double.exp(x) / (1 + Double.exp(x)) }
