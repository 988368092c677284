import RealModule

// The long-memory exponent of an autocorrelation: r(k) ≈ c·k^(−α). It sets the regime of the
// timescale rule (MATH.md §4: Δ ∝ L^(−1+α/2) for long memory) and tells a power law apart from an
// exponential decay (whose log–log plot bends: a low R²).

/// A power law r(k) ≈ c·k^(−α) fitted to an autocorrelation.
public struct LongMemoryFit: Sendable, Equatable {
    /// The exponent α (positive for a decaying r).
    public var alpha: Double
    /// The prefactor c.
    public var c: Double
    /// How many lags entered the fit (those of the range with r(k) > 0).
    public var lags: Int
    /// The coefficient of determination of the log–log fit, 1 − Σ residual² / Σ (log r − mean)²
    /// (1 when every log r is equal: the fit is exact).
    public var rSquared: Double
}

/// Fits log r(k) = log c − α log k by least squares over the lags k = kmin…kmax with r(k) > 0
/// (negative and zero values have no logarithm and are skipped). `acf` holds r(0), …, r(K − 1).
/// Errors: `.value` (a non-finite entry; kmin < 1, kmax > K − 1 or kmin > kmax; fewer than 3 usable
/// lags), `.unstable` (c overflows).
public func longMemoryFit(_ acf: [Double], kmin: Int, kmax: Int) throws -> LongMemoryFit {
    try requireFinite(acf, "acf")
    try require(kmin >= 1 && kmin <= kmax && kmax <= acf.count - 1, .value,
                "the lag range needs 1 ≤ kmin ≤ kmax ≤ K − 1 = \(acf.count - 1) (acf holds lags 0…K − 1), got kmin = \(kmin), kmax = \(kmax)")
    let usable = (kmin...kmax).filter { acf[$0] > 0 }
    try require(usable.count >= 3, .value,
                "only \(usable.count) of the lags \(kmin)…\(kmax) have r(k) > 0; the fit needs at least 3")
    let x = usable.map { Double.log(Double($0)) }, y = usable.map { Double.log(acf[$0]) }
    let n = Double(usable.count)
    let meanX = x.reduce(0, +) / n, meanY = y.reduce(0, +) / n
    var sxx = 0.0, sxy = 0.0, syy = 0.0
    for (a, b) in zip(x, y) { sxx += (a - meanX) * (a - meanX); sxy += (a - meanX) * (b - meanY); syy += (b - meanY) * (b - meanY) }
    let slope = sxy / sxx   // sxx > 0: at least 3 distinct lags
    let logC = meanY - slope * meanX
    var residual = 0.0
    for (a, b) in zip(x, y) { let e = b - (logC + slope * a); residual += e * e }
    let c = Double.exp(logC)
    try require(c.isFinite, .unstable, "the prefactor c = exp(\(logC)) overflows")
    return LongMemoryFit(alpha: -slope, c: c, lags: usable.count, rSquared: syy > 0 ? 1 - residual / syy : 1)
}
