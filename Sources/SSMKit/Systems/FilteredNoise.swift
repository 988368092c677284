/// White noise through an alpha filter, as a discrete recipe with sample spacing Δ.
/// The alpha filter h(t) = t/τ²·e^(−t/τ) is two identical first-order low-pass stages in series;
/// each stage is discretized exactly for an input held over a step, with a = e^(−Δ/τ):
///   s₁ ← a·s₁ + (1 − a)·σ·ξ_k,   s₂ ← a·s₂ + (1 − a)·s₁,   u_k = s₂,
/// ξ_k ~ N(0, 1) from SSMRandom(seed), one draw per step k = 1 … steps − 1 in order. Both stages start
/// at x0 (u_0 = x0). The gain at frequency 0 is 1, so the output has the units of σ.
/// The authors' setting: τ = 0.1 s, Δ = 1e−3, 10⁴ steps.
public struct FilteredNoise: Sendable {
    public var tau: Double
    public var sigma: Double

    public init(tau: Double = 0.1, sigma: Double = 1) { self.tau = tau; self.sigma = sigma }

    /// `steps` samples starting at x0. Errors: `.value` (τ ≤ 0, σ < 0, Δ ≤ 0, non-finite), `.size`.
    public func generate(x0: Double, dt: Double, steps: Int, seed: UInt64) throws -> [Double] {
        try require(tau.isFinite && tau > 0, .value, "τ = \(tau) must be finite and > 0")
        try require(sigma.isFinite && sigma >= 0, .value, "σ = \(sigma) must be finite and ≥ 0")
        try require(dt.isFinite && dt > 0, .value, "dt = \(dt) must be finite and > 0")
        try require(x0.isFinite, .value, "x0 = \(x0) is not finite")
        _ = try taskElementCount([steps], "steps")
        let a = Double.exp(-dt / tau)
        var rng = SSMRandom(seed: seed)
        var s1 = x0, s2 = x0
        var u = [Double](repeating: x0, count: steps)
        for k in 1..<max(steps, 1) {
            s1 = a * s1 + (1 - a) * sigma * rng.normal()
            s2 = a * s2 + (1 - a) * s1
            u[k] = s2
        }
        return u
    }
}
