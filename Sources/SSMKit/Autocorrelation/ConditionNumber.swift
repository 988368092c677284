// The spectral condition number of a symmetric matrix (MATH.md §5's conditioning of the Gram matrix
// G, GramMatrix.swift): κ(G) = max|λ| / min|λ| over the eigenvalues from the symmetric
// eigensolver (dsyevd). For a positive definite G (a Gram matrix of independent features) this is
// λ_max/λ_min; for any symmetric matrix it equals the 2-norm condition number σ_max/σ_min
// (numpy.linalg.cond). Eigenvalues are accurate to about ε·‖G‖, so values near 1/ε ≈ 4.5e15 and
// above mean "singular to working precision", not a measured κ.

/// κ(G) = max|λ|/min|λ| of a symmetric n×n matrix; +∞ when an eigenvalue is exactly 0 (or G = 0).
/// Errors: `.size` (not square, empty, n ≥ 2³¹), `.value` (a non-finite entry, or G not symmetric to
/// 1e−12 relative: |G_jk − G_kj| > 1e−12·max|G|), `.notConverged` (the eigensolver failed).
public func conditionNumber(_ G: RealMatrix) throws -> Double {
    try require(G.isSquare && G.rows >= 1 && G.rows <= Int(Int32.max), .size,
                "G must be square, non-empty and below 2³¹ rows, got \(G.rows)×\(G.columns)")
    try requireFiniteEntries(G, "G")
    let n = G.rows
    let scale = G.elements.reduce(0) { max($0, abs($1)) }
    for j in 0..<n {
        for k in 0..<j where abs(G[j, k] - G[k, j]) > 1e-12 * scale {
            throw SSMError(.value, "G is not symmetric: G[\(j), \(k)] = \(G[j, k]) but G[\(k), \(j)] = \(G[k, j])")
        }
    }
    let values = try eigh(G).values.map { abs($0) }
    let largest = values.max()!, smallest = values.min()!
    return smallest == 0 ? .infinity : largest / smallest
}
