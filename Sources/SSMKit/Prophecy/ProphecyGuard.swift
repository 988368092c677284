import RealModule

/// The trapezoid output rule û_(k+1) = [(1 + ΔD/2) u_k + Δ C x_k]/(1 − ΔD/2) (MATH.md §9) is valid
/// only while 1 − ΔD/2 > 0. With LegT's time readout D = N²/θ this is 1 − ΔN²/(2θ) > 0, i.e.
/// N² < 2θ/Δ = 2W: the largest allowed N is `prophecyLargestTrapezoidN`. The authors' own run
/// (N = 128, T = 1000, θ = T·Δ) has 1 − ΔD/2 = −7.19 (D̄ = −1.28) and is rejected.
/// Errors: `.value`, naming the largest allowed N.
public func prophecyTrapezoidGuard(_ configuration: ProphecyConfiguration) throws {
    guard configuration.basis == .legt && configuration.readout == .time else { return }  // D = 0
    let c = configuration
    let margin = 1 - c.dt * Double(c.N * c.N) / (2 * c.theta)
    guard margin > 0 else {
        let largest = prophecyLargestTrapezoidN(theta: c.theta, dt: c.dt)
        throw SSMError(.value, "the trapezoid output rule needs 1 − Δ·N²/(2θ) > 0, but N = \(c.N), dt = \(c.dt), theta = \(c.theta) (W = \(c.theta / c.dt) samples) give \(margin); the largest allowed N for this dt and theta is \(largest) (or use output euler, or a longer window)")
    }
}

/// The largest N with 1 − ΔN²/(2θ) > 0 (0 if none).
public func prophecyLargestTrapezoidN(theta: Double, dt: Double) -> Int {
    let limit = 2 * theta / dt
    guard limit.isFinite else { return Int.max }
    var n = Int(limit.squareRoot().rounded(.down))
    while n > 0 && Double(n * n) >= limit { n -= 1 }
    while Double((n + 1) * (n + 1)) < limit { n += 1 }
    return n
}
