import RealModule

// λ_max(R) of the Toeplitz autocorrelation matrix, the quantity of the timescale rule
// Δ = κ/√(L·λ_max(R)) (MATH.md §4): white noise gives r(0), a constant input L·r(0), AR(1) tends to
// (1 + φ)/(1 − φ)·r(0) and a power law r(k) ∝ k^(−α) grows like L^(1−α).

/// How `toeplitzLambdaMax` computes λ_max.
public enum EigenvalueMethod: String, Sendable, CaseIterable {
    /// Lanczos with O(L log L) circulant-embedding products (ToeplitzOperator): any L.
    case lanczos
    /// The dense L×L matrix and LAPACK's symmetric eigensolver (dsyevd): O(L³), a check for small L.
    case dense
}

/// The largest dense order `toeplitzLambdaMax(method: .dense)` accepts (LAPACK's 32-bit sizes).
public let denseEigenvalueLimit = 46_340

/// λ_max of the symmetric Toeplitz matrix R_ij = r(|i − j|), L = r.count.
///
/// `.lanczos`: Lanczos (Lanczos.swift). The start vector is cos(ω* t), ω* the frequency where the
/// circulant embedding's spectrum peaks (λ_max's eigenvector is close to that mode when the
/// spectral density has one peak: AR(1), power laws, constant input), plus a normal vector from
/// SSMRandom(seed:) at a tenth of its size so that no eigenvector is missed; deterministic. It
/// stops when the Ritz value's residual bound is at most `tolerance`·|θ|, or when θ is within
/// that of the circulant's largest eigenvalue (an upper bound on λ_max: R is a principal
/// submatrix of the circulant, Cauchy interlacing), or after `maxIterations` products with
/// `converged` false (the estimate is still a lower bound on λ_max: the caller decides).
/// Convergence is fast when λ_max is separated from the rest of the spectrum (power laws, constant
/// input; white noise in one step) and slow when the top eigenvalues cluster (AR(1) with φ near 1
/// at large L: relative gaps ~ 1/L²; the start vector makes the first Ritz value accurate to
/// ~1/L there, measured 5e-5 at L = 2·10⁵, φ = 0.9).
/// `.dense`: every eigenvalue of the dense matrix; `tolerance`, `maxIterations` and `seed` unused.
///
/// Errors: `.size` (r empty; dense with L above `denseEigenvalueLimit`), `.value` (a non-finite
/// entry; tolerance not in (0, 1); maxIterations < 1), `.notConverged` (LAPACK failed).
public func toeplitzLambdaMax(_ r: [Double], method: EigenvalueMethod = .lanczos, tolerance: Double = 1e-12,
                              maxIterations: Int = 1000, seed: UInt64 = 1) throws -> LargestEigenvalue {
    try require(!r.isEmpty, .size, "r must hold at least r(0)")
    try requireFinite(r, "r")
    switch method {
    case .dense:
        try require(r.count <= denseEigenvalueLimit, .size,
                    "the dense method is for small L (≤ \(denseEigenvalueLimit)), got L = \(r.count): use Lanczos")
        let values = try eigvalsh(toeplitzMatrix(r))
        return LargestEigenvalue(value: values[values.count - 1], iterations: 0, converged: true, residual: 0)
    case .lanczos:
        try require(tolerance.isFinite && tolerance > 0 && tolerance < 1, .value,
                    "the tolerance must be in (0, 1), got \(tolerance)")
        try require(maxIterations >= 1, .value, "maxIterations must be ≥ 1, got \(maxIterations)")
        let R = try ToeplitzOperator(r)
        let peak = R.eigenvalues.indices.max { R.eigenvalues[$0] < R.eigenvalues[$1] } ?? 0
        let omega = 2 * Double.pi * Double(peak) / Double(R.m)
        var rng = SSMRandom(seed: seed)
        let noise = 0.1 / Double(r.count).squareRoot()
        var start = (0..<r.count).map { t in Double.cos(omega * Double(t)) / Double(r.count).squareRoot() + noise * rng.normal() }
        if start.allSatisfy({ $0 == 0 }) { start[0] = 1 }
        return try R.withProduct { multiply in
            try lanczosLargestEigenvalue(n: r.count, tolerance: tolerance, maxIterations: maxIterations, start: start,
                                         upperBound: R.eigenvalues[peak], multiply: multiply)
        }
    }
}
