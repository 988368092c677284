import ComplexModule
import RealModule

// The output power under a stationary input (MATH.md §5): with y_L = Σ_m ρ_m x_(L−m) and
// E[x_s x_t] = r(|s − t|), E[y_L²] = ρ̃ᵀ R ρ̃, ρ̃ = ρ reversed, R = Toeplitz(r(0…L−1)). A symmetric
// Toeplitz matrix commutes with the reversal J (J R J = R), so this equals ρᵀ R ρ, which is what
// is computed: R ρ by a circulant embedding (two real FFTs and one inverse, O(L log L)), then a dot
// product.

extension DiagonalSISO {
    /// E[y_L²] = ρᵀ R ρ for the readout c, step Δ and input autocorrelation r(0…L−1) (L = r.count).
    /// It is a power (≥ 0) when r is a valid autocorrelation (R positive semidefinite); that is not
    /// checked. Rounding: about ε·log L·‖r‖₁‖ρ‖² absolute (the FFT product).
    /// Errors: those of `outputWeights`, `.size`/`.value` for r (empty, non-finite), `.unstable`
    /// (the power overflows).
    public func outputPower(c: [Complex<Double>], dt: Double, autocorrelation r: [Double]) throws -> Double {
        try requireAutocorrelation(r)
        let rho = try outputWeights(c: c, dt: dt, L: r.count)
        let product = try symmetricToeplitzProduct(r, rho)
        var power = 0.0
        for m in rho.indices { power += rho[m] * product[m] }
        try require(power.isFinite, .unstable, "the output power overflows (Δ = \(dt))")
        return power
    }
}

/// R x for the symmetric Toeplitz matrix R_st = r(|s − t|) (L = r.count = x.count), by embedding R
/// in the circulant matrix of size n (the power of two ≥ 2L − 1) whose first column is
/// (r(0), …, r(L−1), 0, …, 0, r(L−1), …, r(1)): its product with (x, 0…0) holds R x in its first L
/// entries, and a circulant product is a pointwise product of spectra.
private func symmetricToeplitzProduct(_ r: [Double], _ x: [Double]) throws -> [Double] {
    let L = r.count
    if L == 1 { return [r[0] * x[0]] }
    var n = 1
    while n < 2 * L - 1 { n <<= 1 }
    var column = [Double](repeating: 0, count: n), padded = column
    for k in 0..<L { column[k] = r[k]; padded[k] = x[k] }
    for k in 1..<L { column[n - k] = r[k] }
    let spectrum = try rfft(column), input = try rfft(padded)
    let product = try irfft(zip(spectrum, input).map { $0 * $1 }, n: n)
    return Array(product[0..<L])
}
