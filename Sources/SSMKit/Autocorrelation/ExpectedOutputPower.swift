import ComplexModule
import RealModule

// The output power averaged over a random readout (MATH.md §5): with c_j independent standard
// complex normals (c ~ CN(0, I): E|c_j|² = 1, E c_j² = 0),
//   E_c E_x[y_L²] = ½ Σ_j |B̄_j|² v_jᴴ R v_j,   v_j = (e^(Δ w_j m))_(m=0…L−1),
// because E_c[(Re Σ_j c_j u_j)²] = ½ Σ_j |u_j|². The quadratic form of the Toeplitz R with a
// geometric vector collapses to one sum over lags k (q = e^(Δw), S(n) = Σ_(m<n) |q|^(2m)):
//   vᴴ R v = r(0) S(L) + 2 Σ_(k=1)^(L−1) r(k) Re(q^k) S(L − k),
// so each mode costs O(L), the model O(N·L) (below the O(N·L log L) of a Toeplitz product per mode).
// Single mode w = 0, B = 1: ½Δ²L for white noise (r = δ), ½Δ²L² for a constant input (r = 1).

extension DiagonalSISO {
    /// E_c E_x[y_L²] for c ~ CN(0, I), step Δ and input autocorrelation r(0…L−1) (L = r.count).
    /// Rounding: about L·ε relative to Σ_k |terms| of each mode's lag sum.
    /// Errors: `.size`/`.value` for r (empty, non-finite) and Δ, `.unstable` (overflow: modes with
    /// Re w > 0 grow as e^(2ΔL Re w)).
    public func expectedOutputPower(dt: Double, autocorrelation r: [Double]) throws -> Double {
        try requireAutocorrelation(r)
        let (z, bBar) = try zeroOrderHold(dt: dt)
        let L = r.count
        var total = 0.0
        for j in 0..<modes {
            let form = geometricToeplitzForm(z[j], r)
            total += 0.5 * bBar[j].lengthSquared * form
        }
        try require(total.isFinite, .unstable, "the expected output power overflows (Δ = \(dt), L = \(L))")
        return total
    }
}

/// vᴴ R v for v_m = e^(z m), m < L = r.count, R_st = r(|s − t|), by the lag sum above.
private func geometricToeplitzForm(_ z: Complex<Double>, _ r: [Double]) -> Double {
    let L = r.count
    // S(n) = Σ_(m<n) e^(2 Re z · m) = expm1(2 Re z · n)/expm1(2 Re z), or n when Re z = 0.
    let x = 2 * z.real, denominator = Double.expMinusOne(x)
    func decaySum(_ n: Int) -> Double {
        denominator == 0 ? Double(n) : Double.expMinusOne(x * Double(n)) / denominator
    }
    var sum = r[0] * decaySum(L)
    for k in 1..<L where r[k] != 0 {
        sum += 2 * r[k] * power(z, k).real * decaySum(L - k)
    }
    return sum
}
