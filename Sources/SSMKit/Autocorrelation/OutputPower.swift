import ComplexModule
import RealModule

// The output power under a stationary input (MATH.md §5): with y_L = Σ_m ρ_m x_(L−m) and
// E[x_s x_t] = r(|s − t|), E[y_L²] = ρ̃ᵀ R ρ̃, ρ̃ = ρ reversed, R = Toeplitz(r(0…L−1)). A symmetric
// Toeplitz matrix commutes with the reversal J (J R J = R), so this equals ρᵀ R ρ, which is what
// is computed: R ρ by the circulant embedding of ToeplitzOperator (O(L log L)), then a dot product.

extension DiagonalSISO {
    /// E[y_L²] = ρᵀ R ρ for the readout c, step Δ and input autocorrelation r(0…L−1) (L = r.count).
    /// It is a power (≥ 0) when r is a valid autocorrelation (R positive semidefinite); that is not
    /// checked. Rounding: about ε·log L·‖r‖₁‖ρ‖² absolute (the FFT product).
    /// Errors: those of `outputWeights`, `.size`/`.value` for r (empty, non-finite), `.unstable`
    /// (the power overflows).
    public func outputPower(c: [Complex<Double>], dt: Double, autocorrelation r: [Double]) throws -> Double {
        try requireAutocorrelation(r)
        let rho = try outputWeights(c: c, dt: dt, L: r.count)
        let product = try ToeplitzOperator(r).apply(rho)
        var power = 0.0
        for m in rho.indices { power += rho[m] * product[m] }
        try require(power.isFinite, .unstable, "the output power overflows (Δ = \(dt))")
        return power
    }
}
