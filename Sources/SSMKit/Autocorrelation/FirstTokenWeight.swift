import RealModule

// Memory at initialization (MATH.md §5): the weight of the first of L inputs relative to the last
// in mode j is |Ā_j|^(L−1) = |e^(Δ w_j)|^(L−1) = e^(Δ a_j (L−1)), a_j = Re w_j. With Δ ∝ L^(−½)
// and a = −½ it vanishes like e^(−√L/2) (the curse of memory); a = 0 keeps it at 1.

/// e^(Δ a_j (L−1)) for each real part a_j, step Δ and window L. Any sign of a_j is accepted
/// (a_j > 0: the weight exceeds 1). Errors: `.size` (L < 1, no mode), `.value` (non-finite a_j,
/// Δ not finite and > 0), `.unstable` (a weight overflows).
public func firstTokenWeight(realParts a: [Double], dt: Double, L: Int) throws -> [Double] {
    try require(!a.isEmpty, .size, "at least one real part is needed (a is empty)")
    try requireFinite(a, "a")
    try requireStep(dt)
    try require(L >= 1, .size, "the window L = \(L) must be at least 1")
    let span = dt * Double(L - 1)
    return try a.enumerated().map { j, aj in
        // Δ·(L−1) first, so a tiny Δ·a does not underflow; a = 0 is exactly 1 even if Δ·(L−1)
        // overflows (0·∞ would be NaN).
        let weight = aj == 0 ? 1 : Double.exp(aj * span)
        try require(weight.isFinite, .unstable, "the weight e^(Δ a (L−1)) of mode \(j) overflows (a = \(aj), Δ = \(dt), L = \(L))")
        return weight
    }
}
