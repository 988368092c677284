import ComplexModule
import RealModule

/// The diagonal-plus-low-rank (DPLR) form of a HiPPO matrix (MATH.md §2): with the rank correction
/// P (rows p_i, from hippoRankCorrection) the normal part S = A + Σ p_i p_iᵀ = c·I + K (K skew-
/// symmetric) is diagonalized by a unitary V, S = V Λ V*, so in modal coordinates
/// V* A V = Λ − Σ p̃_i p̃_i* with p̃_i = V* p_i, and B̃ = V* B.
///
/// In conjugate-pair form (`pairs`), only the N/2 modes with Im λ > 0 are kept, in increasing Im λ;
/// the others are their complex conjugates, so S = 2·Re(V Λ V*) restricted to those columns.
public struct DPLRForm: Sendable {
    /// Λ: c + iω for the kept modes (ω ascending).
    public var lambda: [Complex<Double>]
    /// P̃ (rank × modes): row i is V* p_i.
    public var P: ComplexMatrix
    /// B̃ = V* B (modes).
    public var B: [Complex<Double>]
    /// V (N × modes): orthonormal eigenvectors of S, one per column.
    public var V: ComplexMatrix
    /// ‖S V − V Λ‖_F / ‖S‖_F over all N modes (the reconstruction error ‖V Λ V* − S‖_F / ‖S‖_F for
    /// unitary V), plus the departure of S from c·I + skew, ‖sym(S) − c·I‖_F / ‖S‖_F.
    public var reconstructionError: Double
}

/// The DPLR form of `measure` with the same N, θ and convention as `hippo`. The normal part is
/// diagonalized in float64 by a real skew-symmetric eigensolver (`skewEigen`: Householder to
/// tridiagonal, dstevd), never A itself (LegS's eigenvector matrix has condition ≈ 4e20 at N = 64).
/// Errors: as `hippoRankCorrection` (LMU has no NPLR form: `.unsupported`); `pairs` with odd N
/// (FouT) or a zero frequency: `.size` — those need all N modes (`pairs: false`).
public func dplr(_ measure: HiPPOMeasure, N: Int, theta: Double = 1, convention: HiPPOConvention = .paper,
                 pairs: Bool = true) throws -> DPLRForm {
    let (A, B) = try hippo(measure, N: N, theta: theta, convention: convention)
    let P = try hippoRankCorrection(measure, N: N, theta: theta, convention: convention)
    if pairs {
        try require(N % 2 == 0, .size, "N = \(N) is odd: conjugate pairs need even N (use all N modes, pairs = false)")
    }
    let rank = P.rows
    // S = A + Pᵀ P, its mean diagonal c, skew part K and symmetric departure from c·I.
    var S = A
    for i in 0..<rank { for j in 0..<N { for k in 0..<N { S.elements[j * N + k] += P[i, j] * P[i, k] } } }
    let c = (0..<N).reduce(0.0) { $0 + S[$1, $1] } / Double(N)
    var K = RealMatrix(rows: N, columns: N, repeating: 0)   // skew part
    var normS = 0.0, departure = 0.0
    for j in 0..<N {
        for k in 0..<N {
            let s = S[j, k], t = S[k, j]
            normS += s * s
            let symmetric = 0.5 * (s + t) - (j == k ? c : 0)
            departure += symmetric * symmetric
            K.elements[j * N + k] = 0.5 * (s - t)
        }
    }
    normS = normS.squareRoot()
    // Kept modes: the upper half of the ascending ω (positive frequencies), or all.
    let first = pairs ? N / 2 : 0
    let (omega, V) = try skewEigen(K, first: first)
    if pairs {
        try require(omega[0] > 0, .size,
                    "the normal part of \(measure.name) at N = \(N) has a zero frequency (ω = \(omega[0])): it is not in conjugate pairs (use pairs = false)")
    }
    let modes = N - first

    // Residual ‖S V − V Λ‖_F with S real: S·Re V and S·Im V by two real products. In pairs form the
    // conjugate modes have the same residual norms (S is real), so the sum over all N doubles.
    var re = RealMatrix(rows: N, columns: modes, repeating: 0), im = re
    for k in 0..<(N * modes) { re.elements[k] = V.elements[k].real; im.elements[k] = V.elements[k].imaginary }
    let SRe = matmul(S, re), SIm = matmul(S, im)
    var residual = 0.0
    for j in 0..<N {
        for m in 0..<modes {
            let u = V.elements[j * modes + m], l = Complex(c, omega[m])
            let d = Complex(SRe[j, m], SIm[j, m]) - l * u
            residual += d.lengthSquared
        }
    }
    if pairs { residual *= 2 }
    let error = normS > 0 ? (residual.squareRoot() + departure.squareRoot()) / normS : 0

    var Bt = [Complex<Double>](repeating: .zero, count: modes)
    var Pt = ComplexMatrix(rows: rank, columns: modes, repeating: .zero)
    for m in 0..<modes {
        var b = Complex<Double>.zero
        for j in 0..<N { b += V.elements[j * modes + m].conjugate * Complex(B[j], 0) }
        Bt[m] = b
        for i in 0..<rank {
            var p = Complex<Double>.zero
            for j in 0..<N { p += V.elements[j * modes + m].conjugate * Complex(P[i, j], 0) }
            Pt.elements[i * modes + m] = p
        }
    }
    return DPLRForm(lambda: omega.map { Complex(c, $0) }, P: Pt, B: Bt, V: V, reconstructionError: error)
}
