import CLAPACK
import ComplexModule
import RealModule

// The approximation side of the approximation–estimation tradeoff (MATH.md §5): how well the fixed
// features φ_j(t) = e^(a_j t) cos(b_j t) (GramMatrix.swift) can represent a target memory kernel
// ρ* sampled at t_m = mΔ, m < L:
//   E = min_c ‖ρ* − Σ_j c_j φ_j‖² / ‖ρ*‖².
// Solved stably by the singular value decomposition of Φᵀ (L×N, dgesdd): E = ‖(I − U_r U_rᵀ)ρ*‖²/‖ρ*‖²
// with U_r the left singular vectors of the r singular values above rcond·σ_max. The residual is
// formed as a projection, not from c, so it stays accurate to about ε‖ρ*‖ even when the features are
// nearly dependent (huge κ(G), huge c): exactly representable targets give E ≈ 1e−30, not κ·ε.

/// E for the features of eigenvalues w on the window t_m = mΔ, m < L = target.count, and the target
/// samples ρ*(t_m). `rcond`: singular values at or below rcond·σ_max count as zero (nil: numpy's
/// lstsq default max(L, N)·ε). Errors: `.size` (no mode, empty target, N or L ≥ 2³¹), `.value`
/// (non-finite w, target or Δ; Δ ≤ 0; a target that is all zero; rcond negative or not finite),
/// `.unstable` (a feature overflows), `.notConverged` (the SVD failed).
public func approximationError(_ w: [Complex<Double>], dt: Double, target: [Double], rcond: Double? = nil) throws -> Double {
    try require(!target.isEmpty, .size, "the target needs at least one sample (L ≥ 1)")
    try requireFinite(target, "target")
    try require(w.count <= Int(Int32.max) && target.count <= Int(Int32.max), .size,
                "N = \(w.count) and L = \(target.count) must be below 2³¹ for LAPACK")
    if let rcond { try require(rcond.isFinite && rcond >= 0, .value, "rcond = \(rcond) must be finite and ≥ 0") }
    let norm = target.reduce(0) { $0 + $1 * $1 }
    try require(norm > 0, .value, "the target is zero on the whole window: the relative error is undefined")
    let L = target.count, n = w.count, k = min(L, n)
    let phi = try dampedCosineFeatures(w, dt: dt, L: L)
    // Φᵀ, L×N row-major, is Φ's elements read column-major: transpose explicitly for LAPACK.
    var a = [Double](repeating: 0, count: L * n)
    for j in 0..<n { for m in 0..<L { a[m * n + j] = phi[j, m] } }
    var sigma = [Double](repeating: 0, count: k)
    var u = [Double](repeating: 0, count: L * k), vt = [Double](repeating: 0, count: k * n)
    prepareBLAS()
    let info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 83 /* S */, Int32(L), Int32(n), &a, Int32(n), &sigma,
                              &u, Int32(k), &vt, Int32(n))
    try checkEigenInfo(info, "dgesdd")
    let cutoff = (rcond ?? Double(max(L, n)) * Double.ulpOfOne) * sigma[0]
    let rank = sigma.prefix { $0 > cutoff }.count
    // r = ρ* − U_r (U_rᵀ ρ*).
    var residual = target
    for col in 0..<rank {
        var p = 0.0
        for m in 0..<L { p += u[m * k + col] * target[m] }
        for m in 0..<L { residual[m] -= u[m * k + col] * p }
    }
    return residual.reduce(0) { $0 + $1 * $1 } / norm
}
