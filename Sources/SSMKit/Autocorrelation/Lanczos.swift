import CLAPACK

// The largest eigenvalue of a symmetric operator known only through its products (the Toeplitz
// R of an autocorrelation at L = 10⁶, MATH.md §4: λ_max(R) sets the timescale rule).
//
// Plain Lanczos: the three-term recurrence β_j v_(j+1) = A v_j − α_j v_j − β_(j−1) v_(j−1), with one
// local reorthogonalization of the new vector against v_j, keeps three vectors of length n. It does
// not reorthogonalize against the whole basis: in floating point the basis loses orthogonality only
// in the directions of Ritz vectors that have converged (Paige 1976, 1980), which costs copies of a
// converged Ritz value later on but not the accuracy of the largest one, and the run stops as soon
// as that one has converged. Full reorthogonalization would store k·n values (8 GB for 1000 steps
// at n = 10⁶) and spend O(k·n) per step to buy nothing for this single extreme eigenvalue.

/// An estimate of the largest eigenvalue of a symmetric matrix.
public struct LargestEigenvalue: Sendable, Equatable {
    /// The largest Ritz value θ (the largest eigenvalue itself for the dense method).
    public var value: Double
    /// Lanczos steps taken (one product with the matrix each); 0 for the dense method.
    public var iterations: Int
    /// Whether `residual` reached the tolerance (always true for the dense method).
    public var converged: Bool
    /// The residual bound β_k·|s_k| = ‖A y − θ y‖ of the Ritz pair (θ, y), s the eigenvector of the
    /// tridiagonal T_k: some eigenvalue of A lies within it of θ. 0 for the dense method.
    public var residual: Double
}

/// λ_max of the symmetric n×n operator `multiply` (v → A v, n values each) by Lanczos from
/// `start` (n values, not all zero; its direction is what matters). Stops when
/// β_k·|s_k| ≤ tolerance·|θ| (or the Krylov space is invariant, β_k = 0), or when the caller's
/// `upperBound` on λ_max is within tolerance·|θ| of θ (θ, a Ritz value, is a lower bound: the
/// bracket [θ, upperBound] then pins λ_max), or after `maxIterations` steps with `converged` false.
/// `residual` reports the smaller of the two error bounds. Errors: `.notConverged` only if LAPACK's
/// tridiagonal eigensolver fails (the result itself reports non-convergence, it does not throw).
func lanczosLargestEigenvalue(n: Int, tolerance: Double, maxIterations: Int, start: [Double],
                              upperBound: Double = .infinity,
                              multiply: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void) throws -> LargestEigenvalue {
    var v = start, previous = [Double](repeating: 0, count: n)
    var w = [Double](repeating: 0, count: n)
    let length = norm(v)
    for i in 0..<n { v[i] /= length }
    var alphas: [Double] = [], betas: [Double] = []
    var beta = 0.0
    while true {
        v.withUnsafeBufferPointer { vp in w.withUnsafeMutableBufferPointer { multiply(vp.baseAddress!, $0.baseAddress!) } }
        var alpha = dot(v, w)
        for i in 0..<n { w[i] -= alpha * v[i] + beta * previous[i] }
        let correction = dot(v, w)   // local reorthogonalization against v_j
        for i in 0..<n { w[i] -= correction * v[i] }
        alpha += correction
        alphas.append(alpha)
        beta = norm(w)
        let (theta, last) = try largestRitzPair(alphas, betas)
        let residual = min(beta * abs(last), max(upperBound - theta, 0))
        if residual <= tolerance * abs(theta) || beta == 0 || alphas.count >= maxIterations {
            return LargestEigenvalue(value: theta, iterations: alphas.count,
                                     converged: residual <= tolerance * abs(theta) || beta == 0, residual: residual)
        }
        betas.append(beta)
        swap(&previous, &v)
        for i in 0..<n { v[i] = w[i] / beta }
    }
}

private func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s0 = 0.0, s1 = 0.0, i = 0
    while i + 1 < a.count { s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]; i += 2 }
    if i < a.count { s0 += a[i] * b[i] }
    return s0 + s1
}

/// The 2-norm, scaled so that squares neither overflow nor underflow.
private func norm(_ a: [Double]) -> Double {
    let largest = a.reduce(0) { max($0, abs($1)) }
    guard largest > 0, largest.isFinite else { return largest }
    var s = 0.0
    for x in a { let y = x / largest; s += y * y }
    return largest * s.squareRoot()
}

/// The largest eigenvalue θ of the symmetric tridiagonal matrix with diagonal `d` (k values) and
/// off-diagonal `e` (k − 1), and the last component of its unit eigenvector: LAPACK's bisection
/// (dstebz) for the one eigenvalue and inverse iteration (dstein) for its vector, O(k) each.
private func largestRitzPair(_ d: [Double], _ e: [Double]) throws -> (theta: Double, last: Double) {
    let k = d.count
    if k == 1 { return (d[0], 1) }
    var found: Int32 = 0, splits: Int32 = 0
    var w = [Double](repeating: 0, count: k)
    var block = [Int32](repeating: 0, count: k), split = [Int32](repeating: 0, count: k)
    let info = LAPACKE_dstebz(73 /* I */, 66 /* B */, Int32(k), 0, 0, Int32(k), Int32(k), 0,
                              d, e, &found, &splits, &w, &block, &split)
    try checkEigenInfo(info, "dstebz")
    try require(found == 1, .notConverged, "dstebz found \(found) eigenvalues instead of the largest one")
    var z = [Double](repeating: 0, count: k)
    var failed: Int32 = 0
    let info2 = LAPACKE_dstein(LAPACK_COL_MAJOR, Int32(k), d, e, 1, w, block, split, &z, Int32(k), &failed)
    try checkEigenInfo(info2, "dstein")
    return (w[0], z[k - 1])
}
