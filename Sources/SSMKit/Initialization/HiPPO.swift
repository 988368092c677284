import RealModule

/// The HiPPO measures (MATH.md §1). Raw values are the C enum `ssm_measure_t`.
public enum HiPPOMeasure: Int32, CaseIterable, Sendable {
    /// Scaled Legendre (scale-invariant memory of the whole past).
    case legs = 0
    /// Translated Legendre with window θ.
    case legt = 1
    /// Voelker's Legendre memory unit (a diagonal rescaling of LegT).
    case lmu = 2
    /// Translated Laguerre (state-spaces/s4's A = ½I − tril(ones)).
    case lagt = 3
    /// Translated Fourier with window θ (N odd).
    case fout = 4

    /// Parses "legs", "legt", "lmu", "lagt", "fout", case-insensitively.
    public init?(name: String) {
        switch name.lowercased() {
        case "legs": self = .legs
        case "legt": self = .legt
        case "lmu": self = .lmu
        case "lagt": self = .lagt
        case "fout": self = .fout
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .legs: return "LegS"
        case .legt: return "LegT"
        case .lmu: return "LMU"
        case .lagt: return "LagT"
        case .fout: return "FouT"
        }
    }
}

/// Which published scaling the HiPPO functions return. `.s4` is state-spaces/s4's `transition()`:
/// the paper's matrices for LegS, LMU and LagT, LegT with window 2θ ("halved"); FouT is not provided.
public enum HiPPOConvention: Int32, Sendable {
    case paper = 0
    case s4 = 1
}

/// Checks N, θ and the measure/convention combination; returns the effective window.
private func hippoWindow(_ measure: HiPPOMeasure, N: Int, theta: Double, convention: HiPPOConvention) throws -> Double {
    try require(N >= 1, .size, "N = \(N) must be at least 1")
    try require(theta.isFinite && theta > 0, .value, "theta = \(theta) must be finite and > 0")
    if measure == .fout {
        try require(N % 2 == 1, .size, "N = \(N) must be odd for FouT: the state is the constant term plus (cos, sin) pairs")
        try require(convention == .paper, .unsupported, "FouT in the s4 convention (another state order) is not provided; use the paper convention")
    }
    let window = measure == .legt && convention == .s4 ? 2 * theta : theta
    try require(window.isFinite, .value, "theta = \(theta) is too large: the s4 convention's window 2·theta overflows")
    return window
}

/// Throws `.unstable` if an extreme θ made an entry overflow (e.g. θ = 1e-320 gives r/θ = inf).
private func requireNoOverflow(_ values: [Double], _ name: String, theta: Double) throws {
    if let k = values.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "theta = \(theta) makes \(name) overflow (entry \(k) is \(values[k]))")
    }
}

/// The continuous HiPPO system (A N×N, B) of a measure, by the formulas of MATH.md §1.
/// Errors: `.size` (N < 1, or even N for FouT), `.value` (θ not finite and > 0),
/// `.unsupported` (FouT in the s4 convention).
public func hippo(_ measure: HiPPOMeasure, N: Int, theta: Double = 1,
                  convention: HiPPOConvention = .paper) throws -> (A: RealMatrix, B: [Double]) {
    let th = try hippoWindow(measure, N: N, theta: theta, convention: convention)
    let r = (0..<N).map { Double(2 * $0 + 1).squareRoot() }
    var A = RealMatrix(rows: N, columns: N, repeating: 0)
    var B = [Double](repeating: 0, count: N)
    switch measure {
    case .legs:
        for n in 0..<N {
            for k in 0..<n { A[n, k] = -r[n] * r[k] }
            A[n, n] = -Double(n + 1)
            B[n] = r[n]
        }
    case .legt:
        for n in 0..<N {
            for k in 0..<N {
                let sign: Double = (n >= k || (n - k) % 2 == 0) ? 1 : -1
                A[n, k] = -(r[n] * r[k] / th) * sign
            }
            B[n] = r[n] / th
        }
    case .lmu:
        for n in 0..<N {
            let q = Double(2 * n + 1) / th
            for k in 0..<N {
                // −1 above the diagonal, (−1)^(n−k+1) on and below it.
                let sign: Double = n < k ? -1 : ((n - k + 1) % 2 == 0 ? 1 : -1)
                A[n, k] = q * sign
            }
            B[n] = n % 2 == 0 ? q : -q
        }
    case .lagt:
        for n in 0..<N {
            for k in 0..<n { A[n, k] = -1 }
            A[n, n] = -0.5
            B[n] = 1
        }
    case .fout:
        let g = fourierG(N)
        for n in 0..<N {
            for k in 0..<N { A[n, k] = -2 * g[n] * g[k] / th }
            B[n] = 2 * g[n] / th
        }
        for m in stride(from: 1, through: (N - 1) / 2, by: 1) {
            let w = 2 * Double.pi * Double(m) / th
            A[2 * m, 2 * m - 1] += w
            A[2 * m - 1, 2 * m] -= w
        }
    }
    try requireNoOverflow(A.elements, "A", theta: theta)
    try requireNoOverflow(B, "B", theta: theta)
    return (A, B)
}

/// g = (1, √2, 0, √2, 0, …): the value at lag 0 of the FouT basis [1, cos, sin, cos, sin, …].
private func fourierG(_ N: Int) -> [Double] {
    (0..<N).map { $0 == 0 ? 1 : ($0 % 2 == 1 ? 2.0.squareRoot() : 0) }
}

/// The rank of a measure's normal-plus-low-rank correction: 1 for LegS, LagT, FouT; 2 for LegT.
/// LMU throws `.unsupported`: it is a non-orthogonal diagonal rescaling of LegT, so A + PPᵀ is not
/// normal for any low-rank P of this family.
public func hippoRank(_ measure: HiPPOMeasure) throws -> Int {
    switch measure {
    case .legs, .lagt, .fout: return 1
    case .legt: return 2
    case .lmu:
        throw SSMError(.unsupported, "LMU has no normal-plus-low-rank form: it is a non-orthogonal diagonal rescaling of LegT (use LegT)")
    }
}

/// The low-rank correction P (rank×N, rows p_i) with S = A + Σ p_i p_iᵀ = c·I + skew-symmetric:
/// LegS p = √(n+½) (c = −½); LegT p₀ = r_n/√θ on even n, p₁ = r_n/√θ on odd n (c = 0);
/// LagT p = √½·1 (c = 0); FouT p = √(2/θ)·g (c = 0). Same θ and convention as `hippo`.
public func hippoRankCorrection(_ measure: HiPPOMeasure, N: Int, theta: Double = 1,
                                convention: HiPPOConvention = .paper) throws -> RealMatrix {
    let rank = try hippoRank(measure)
    let th = try hippoWindow(measure, N: N, theta: theta, convention: convention)
    var P = RealMatrix(rows: rank, columns: N, repeating: 0)
    switch measure {
    case .legs:
        for n in 0..<N { P[0, n] = (Double(n) + 0.5).squareRoot() }
    case .legt:
        for n in 0..<N { P[n % 2, n] = (Double(2 * n + 1) / th).squareRoot() }
    case .lagt:
        for n in 0..<N { P[0, n] = 0.5.squareRoot() }
    case .fout:
        let g = fourierG(N), s = (2 / th).squareRoot()
        for n in 0..<N { P[0, n] = s * g[n] }
    case .lmu:
        break   // unreachable: hippoRank throws
    }
    try requireNoOverflow(P.elements, "P", theta: theta)
    return P
}
