// The autocorrelation-aware rule of thumb (MATH.md §4, reconstructed): Δ = κ / √(L · λ_max(R)),
// κ = O(1). It keeps the bound Δ² L λ_max (Σ|c_j B_j|)² of OutputPowerBound.swift at O(1): white
// noise (λ_max = r(0)) gives Δ ∝ L^(−½), a constant input (λ_max = L r(0)) the classical Δ ∝ 1/L.

/// κ / √(L λ_max) for a window L ≥ 1, the largest eigenvalue λ_max > 0 of the input's L×L
/// autocorrelation matrix, and κ > 0. Errors: `.size` (L < 1), `.value` (λ_max or κ not finite and
/// > 0), `.unstable` (the result overflows, e.g. a subnormal λ_max).
public func timescaleRule(L: Int, lambdaMax: Double, kappa: Double = 1) throws -> Double {
    try require(L >= 1, .size, "the window L = \(L) must be at least 1")
    try require(lambdaMax.isFinite && lambdaMax > 0, .value, "λ_max = \(lambdaMax) must be finite and > 0")
    try require(kappa.isFinite && kappa > 0, .value, "κ = \(kappa) must be finite and > 0")
    // √L · √λ_max rather than √(L λ_max): the product cannot overflow or underflow.
    let dt = kappa / (Double(L).squareRoot() * lambdaMax.squareRoot())
    try require(dt.isFinite && dt > 0, .unstable, "Δ = κ/√(L λ_max) is not representable (κ = \(kappa), L = \(L), λ_max = \(lambdaMax))")
    return dt
}
