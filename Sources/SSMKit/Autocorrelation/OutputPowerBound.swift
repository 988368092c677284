import ComplexModule
import RealModule

// The bound of Theorem 4.1's direction (MATH.md §5): for Re w_j ≤ 0,
//   E[y_L²] ≤ Δ² L λ_max(R) (Σ_j |c_j B_j|)².
// Why: |φ1(z)| = |∫_0^1 e^(zs) ds| ≤ 1 for Re z ≤ 0, so |B̄_j| ≤ Δ|B_j| and |ρ_m| ≤ Δ Σ_j |c_j B_j|;
// then ρᵀRρ ≤ λ_max ‖ρ‖² ≤ λ_max L max_m ρ_m². Equality for w = 0, c_j B_j real and of one sign,
// and a constant input (R = r(0)·11ᵀ, λ_max = L r(0)). Keeping it O(1) gives Δ ∝ 1/√(L λ_max),
// the rule of TimescaleRule.swift.

extension DiagonalSISO {
    /// Δ² L λ_max (Σ_j |c_j B_j|)² for the readout c, step Δ, window L and the caller's λ_max(R)
    /// (the largest eigenvalue of the input's L×L autocorrelation matrix; any upper bound of it gives
    /// a valid, looser bound). Errors: `.value` (some Re w > 0, Δ not finite and > 0, λ_max not
    /// finite and ≥ 0, non-finite c), `.size` (L < 1, c of another length), `.unstable` (overflow).
    public func outputPowerBound(c: [Complex<Double>], dt: Double, L: Int, lambdaMax: Double) throws -> Double {
        try requireReadout(c)
        try requireStable(for: "the output power bound")
        try requireStep(dt)
        try require(L >= 1, .size, "the window L = \(L) must be at least 1")
        try require(lambdaMax.isFinite && lambdaMax >= 0, .value, "λ_max = \(lambdaMax) must be finite and ≥ 0")
        var gain = 0.0
        for j in 0..<modes { gain += (c[j] * B[j]).length }
        let bound = dt * dt * Double(L) * lambdaMax * gain * gain
        try require(bound.isFinite, .unstable, "the bound overflows (Δ = \(dt), L = \(L), λ_max = \(lambdaMax))")
        return bound
    }
}
