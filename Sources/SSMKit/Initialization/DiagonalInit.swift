import ComplexModule
import RealModule

// Diagonal SSM initializations (MATH.md §3): per channel h and mode n = 0…M−1,
//   S4D-LegS  λ = −½ + iω_n (the LegS normal part's frequencies, `dplr`)
//   S4D-Lin   λ = −½ + iπn
//   S4D-Inv   λ = −½ + i(N/π)(N/(2n+1) − 1)
//   S4D-Real  λ = −(n+1)
//   random    λ = −½ + i·exp(𝒩(0,1))
//   LRU       λ̄ = exp(−e^ν + i e^θ) (discrete), ν = log(−½ log U(r_min², r_max²)), θ = log(U·max_phase)
//   Mamba-2   one real λ = −exp(A_log) per head, A_log = log U(a_min, a_max)
// with M = N/2 conjugate-pair modes (Mamba-2: M = 1). Options: real part override (0 allowed),
// real and imaginary scales, B (ones, HiPPO = LegS's B̃, random), C complex normal, S4's
// normalize, S5's block-diagonal LegS (J blocks of N/J), H channels, one seed (SSMRandom).

/// The diagonal schemes. Raw values are the C enum `ssm_diag_scheme_t`.
public enum DiagonalScheme: Int32, CaseIterable, Sendable {
    case legs = 0, lin = 1, inv = 2, real = 3, random = 4, lru = 5, mamba2 = 6

    /// Parses "legs", "lin", "inv", "real", "random", "lru", "mamba2" (case-insensitive; the
    /// prefix "s4d-" is accepted).
    public init?(name: String) {
        var key = name.lowercased()
        if key.hasPrefix("s4d-") || key.hasPrefix("s4d_") { key.removeFirst(4) }
        switch key {
        case "legs": self = .legs
        case "lin": self = .lin
        case "inv": self = .inv
        case "real": self = .real
        case "random", "rand": self = .random
        case "lru": self = .lru
        case "mamba2", "mamba-2", "mamba_2": self = .mamba2
        default: return nil
        }
    }
}

/// How B is initialized. Raw values are the C enum `ssm_b_init_t`.
public enum DiagonalBInit: Int32, Sendable {
    /// B = 1.
    case ones = 0
    /// LegS's B̃ = V*B from the DPLR form (per block with `blocks`), as S4D-LegS and S5.
    case hippo = 1
    /// Complex normal, real and imaginary parts of variance ½.
    case random = 2
}

/// Options of `diagonalInit`; defaults follow state-spaces/s4's S4D and the LRU/Mamba-2 papers.
public struct DiagonalInitOptions: Sendable {
    public var scheme: DiagonalScheme = .lin
    /// Channels (Mamba-2: heads).
    public var H = 1
    /// State size: M = N/2 conjugate-pair modes (even N). Mamba-2: the head's state size (M = 1).
    public var N = 64
    /// Replaces every Re λ when set (0 gives the "zero real part" init). Not for LRU, Mamba-2.
    public var realPart: Double? = nil
    /// Multiplies Re λ (after the override) and Im λ. Not for LRU, Mamba-2.
    public var realScale = 1.0, imagScale = 1.0
    public var bInit: DiagonalBInit = .ones
    /// S4's B /= √(2 Σ_n |B_n/λ_n|²) per channel (needs λ ≠ 0).
    public var normalize = false
    /// S5's block-diagonal LegS: J blocks, each the DPLR of LegS at N/J (legs scheme only).
    public var blocks = 1
    public var seed: UInt64 = 0
    /// LRU ring: r_min ≤ |λ̄| ≤ r_max, arg λ̄ ∈ [0, max_phase).
    public var rMin = 0.0, rMax = 1.0, maxPhase = 2 * Double.pi
    /// Mamba-2: A_log = log U(a_min, a_max).
    public var aMin = 1.0, aMax = 16.0

    public init() {}
}

/// Diagonal parameters for H channels × M modes (row-major). λ is continuous-time except for LRU
/// (discrete λ̄, with γ = √(1 − |λ̄|²)); γ is 1 for the other schemes.
public struct DiagonalInit: Sendable {
    public var modes: Int
    public var lambda: [Complex<Double>]
    public var B: [Complex<Double>]
    public var C: [Complex<Double>]
    public var gamma: [Double]
}

/// Modes per channel for a scheme and state size (N/2, or 1 for Mamba-2).
public func diagonalModes(_ scheme: DiagonalScheme, N: Int) -> Int { scheme == .mamba2 ? 1 : N / 2 }

/// The diagonal initialization of `options`. Random draws, in this order from one SSMRandom(seed):
/// λ (random: Im λ for h, n in order; LRU: for each h, n the two uniforms of ν then θ; Mamba-2: one
/// uniform per head), then B (random: re, im per h, n), then C (re, im per h, n).
/// Errors: `.size` (H < 1, N < 2 or odd; blocks not dividing N into even parts), `.value`
/// (non-finite or out-of-range options, normalize with λ = 0), `.unsupported` (option not
/// meaningful for the scheme).
public func diagonalInit(_ o: DiagonalInitOptions) throws -> DiagonalInit {
    try require(o.H >= 1, .size, "H = \(o.H) must be ≥ 1")
    if o.scheme == .mamba2 {
        try require(o.N >= 1, .size, "N = \(o.N) must be ≥ 1")
    } else {
        try require(o.N >= 2 && o.N % 2 == 0, .size, "N = \(o.N) must be even and ≥ 2: conjugate-pair modes")
    }
    let M = diagonalModes(o.scheme, N: o.N)
    let (count, overflow) = o.H.multipliedReportingOverflow(by: M)
    try require(!overflow, .size, "H × M overflows")
    if let r = o.realPart { try require(r.isFinite, .value, "real_part = \(r) must be finite") }
    try require(o.realScale.isFinite && o.imagScale.isFinite, .value, "real_scale and imag_scale must be finite")
    let continuousScheme = o.scheme != .lru && o.scheme != .mamba2
    if !continuousScheme {
        try require(o.realPart == nil && o.realScale == 1 && o.imagScale == 1, .unsupported,
                    "real_part, real_scale and imag_scale apply to the S4D schemes, not to \(o.scheme)")
    }
    try require(o.blocks >= 1, .size, "blocks = \(o.blocks) must be ≥ 1")
    if o.blocks > 1 {
        try require(o.scheme == .legs, .unsupported, "blocks (S5's block-diagonal init) apply to the legs scheme only")
        try require(o.N % o.blocks == 0 && (o.N / o.blocks) % 2 == 0, .size,
                    "blocks = \(o.blocks) must divide N = \(o.N) into blocks of even size")
    }
    var rng = SSMRandom(seed: o.seed)
    var lambda = [Complex<Double>](repeating: .zero, count: count)
    var gamma = [Double](repeating: 1, count: count)
    let N = Double(o.N)

    // λ of one channel for the deterministic schemes (LegS per block).
    var legsB: [Complex<Double>] = []
    func legsModes() throws -> [Complex<Double>] {
        var modes: [Complex<Double>] = []
        let size = o.N / o.blocks
        let form = try dplr(.legs, N: size)
        for _ in 0..<o.blocks { modes += form.lambda; legsB += form.B }
        return modes
    }
    switch o.scheme {
    case .legs, .lin, .inv, .real:
        let row: [Complex<Double>]
        switch o.scheme {
        case .legs: row = try legsModes()
        case .lin: row = (0..<M).map { Complex(-0.5, Double.pi * Double($0)) }
        case .inv: row = (0..<M).map { Complex(-0.5, N / Double.pi * (N / Double(2 * $0 + 1) - 1)) }
        default: row = (0..<M).map { Complex(-Double($0 + 1), 0) }
        }
        for h in 0..<o.H { for n in 0..<M { lambda[h * M + n] = row[n] } }
    case .random:
        for k in 0..<count { lambda[k] = Complex(-0.5, Double.exp(rng.normal())) }
    case .lru:
        try require(o.rMin.isFinite && o.rMax.isFinite && 0 <= o.rMin && o.rMin < o.rMax && o.rMax <= 1, .value,
                    "the LRU ring needs 0 ≤ r_min < r_max ≤ 1, got r_min = \(o.rMin), r_max = \(o.rMax)")
        try require(o.maxPhase.isFinite && o.maxPhase > 0, .value, "max_phase = \(o.maxPhase) must be finite and > 0")
        for k in 0..<count {
            let u1 = rng.uniform(), u2 = rng.uniform()
            // |λ̄|² uniform on [r_min², r_max²]: ν = log(−½ log|λ̄|²); θ = log(U·max_phase).
            let radius2 = u1 * (o.rMax * o.rMax - o.rMin * o.rMin) + o.rMin * o.rMin
            let expNu = -0.5 * Double.log(radius2), theta = u2 * o.maxPhase   // e^ν, e^θ
            let magnitude = Double.exp(-expNu)
            lambda[k] = Complex(magnitude * Double.cos(theta), magnitude * Double.sin(theta))
            gamma[k] = (1 - magnitude * magnitude).squareRoot()
        }
    case .mamba2:
        try require(o.aMin.isFinite && o.aMax.isFinite && 0 < o.aMin && o.aMin <= o.aMax, .value,
                    "Mamba-2 needs 0 < a_min ≤ a_max, got a_min = \(o.aMin), a_max = \(o.aMax)")
        for k in 0..<count { lambda[k] = Complex(-(o.aMin + rng.uniform() * (o.aMax - o.aMin)), 0) }
    }
    if continuousScheme {
        for k in 0..<count {
            let re = (o.realPart ?? lambda[k].real) * o.realScale
            lambda[k] = Complex(re, lambda[k].imaginary * o.imagScale)
        }
    }

    var B = [Complex<Double>](repeating: Complex(1, 0), count: count)
    switch o.bInit {
    case .ones: break
    case .hippo:
        try require(o.scheme != .mamba2, .unsupported, "B = hippo needs conjugate-pair modes (not Mamba-2)")
        if legsB.isEmpty { _ = try legsModes() }
        for h in 0..<o.H { for n in 0..<M { B[h * M + n] = legsB[n] } }
    case .random:
        let s = 0.5.squareRoot()
        for k in 0..<count { B[k] = Complex(s * rng.normal(), s * rng.normal()) }
    }
    var C = [Complex<Double>](repeating: .zero, count: count)
    let s = 0.5.squareRoot()
    for k in 0..<count { C[k] = Complex(s * rng.normal(), s * rng.normal()) }

    if o.normalize {
        try require(continuousScheme, .unsupported, "normalize applies to continuous-time λ (not \(o.scheme))")
        for h in 0..<o.H {
            var sum = 0.0
            for n in 0..<M {
                let l = lambda[h * M + n]
                try require(l != .zero, .value, "normalize divides by λ, and λ[\(h), \(n)] = 0 (real part 0 and n = 0)")
                sum += (B[h * M + n] / l).lengthSquared
            }
            let factor = 1 / (2 * sum).squareRoot()
            for n in 0..<M { B[h * M + n] = B[h * M + n] * Complex(factor, 0) }
        }
    }
    return DiagonalInit(modes: M, lambda: lambda, B: B, C: C, gamma: gamma)
}
