/// The baselines that HiPPO-Prophecy is measured against (MATH.md §9), with the predictor's layout and
/// convention: trajectories u (batch×T×d, row-major), pred[b, k, :] = û_(k+1) computed from
/// u[b, 0…k, :] only (compare pred[:, :T−1] with u[:, 1:]). No history before the first sample is
/// invented: where a method needs more past than exists it falls back as documented per case.
public enum ProphecyBaseline: Sendable, Equatable {
    /// û_(k+1) = u_k.
    case persistence
    /// Polynomial extrapolation of order p: the value at k+1 of the degree-q polynomial through the
    /// last q+1 samples, q = min(p, k), i.e. û_(k+1) = Σ_(j=0…q) (−1)^j C(q+1, j+1) u_(k−j)
    /// (p = 1: 2u_k − u_(k−1)). Exact on polynomials of degree ≤ q. 0 ≤ p ≤ `maximumOrder`
    /// (p = 0 is persistence). Per coordinate.
    case polynomial(order: Int)
    /// Context parroting with a window of m samples: for k ≥ m, among the earlier windows
    /// u_(j−m+1…j) with m−1 ≤ j < k, the one nearest (squared Euclidean distance over all m·d values)
    /// to the current window u_(k−m+1…k) gives û_(k+1) = u_(j*+1) (ties: the most recent j). For
    /// k < m there is no earlier window: persistence. Cost O(T²·m·d) per trajectory (the distance
    /// loop stops early once a window cannot win), fine for T up to ~10⁴.
    case parrot(window: Int)

    /// The largest polynomial order accepted (the coefficients C(p+1, j+1) amplify round-off by up
    /// to 2^(p+1) − 1).
    public static let maximumOrder = 20
}

/// One-step baseline predictions of u (batch×T×d, row-major), the shape of u.
/// Errors: `.size` (batch, T, d < 1, count mismatch), `.value` (order outside 0…20, window < 1,
/// non-finite u), `.unstable` (non-finite predictions: polynomial extrapolation overflowed).
public func prophecyBaseline(_ method: ProphecyBaseline, _ u: [Double], batch: Int, T: Int, d: Int) throws -> [Double] {
    try require(batch >= 1 && T >= 1 && d >= 1, .size, "batch, T and d must be ≥ 1, got \(batch), \(T), \(d)")
    let (td, o1) = T.multipliedReportingOverflow(by: d), (count, o2) = batch.multipliedReportingOverflow(by: td)
    try require(!o1 && !o2 && u.count == count, .size, "u must have batch×T×d = \(batch)×\(T)×\(d) values, got \(u.count)")
    switch method {
    case .persistence: break
    case .polynomial(let p):
        try require(p >= 0 && p <= ProphecyBaseline.maximumOrder, .value,
                    "the polynomial order = \(p) must be in 0…\(ProphecyBaseline.maximumOrder)")
    case .parrot(let m):
        try require(m >= 1, .value, "the parroting window = \(m) must be at least 1")
    }
    try requireFinite(u, "u")
    var out = u   // persistence, and the fallback of the others
    switch method {
    case .persistence: break
    case .polynomial(let p): polynomialExtrapolation(u, order: p, batch: batch, T: T, d: d, into: &out)
    case .parrot(let m): contextParroting(u, window: m, batch: batch, T: T, d: d, into: &out)
    }
    if let k = out.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "prediction \(k) is not finite (the extrapolation overflowed)")
    }
    return out
}

/// Signed extrapolation weights w_j = (−1)^j C(q+1, j+1), j = 0…q.
func extrapolationWeights(_ q: Int) -> [Double] {
    var w = [Double](), c = Double(q + 1)   // C(q+1, 1)
    for j in 0...q {
        w.append(j % 2 == 0 ? c : -c)
        c = c * Double(q + 1 - (j + 1)) / Double(j + 2)   // C(q+1, j+2), exact in Double for q ≤ 20
    }
    return w
}

private func polynomialExtrapolation(_ u: [Double], order p: Int, batch: Int, T: Int, d: Int, into out: inout [Double]) {
    let weights = (0...p).map(extrapolationWeights)
    for b in 0..<batch {
        let base = b * T * d
        for k in 0..<T {
            let w = weights[min(p, k)]
            for c in 0..<d {
                var acc = 0.0
                for j in 0..<w.count { acc += w[j] * u[base + (k - j) * d + c] }
                out[base + k * d + c] = acc
            }
        }
    }
}

private func contextParroting(_ u: [Double], window m: Int, batch: Int, T: Int, d: Int, into out: inout [Double]) {
    guard T > m else { return }   // no k ≥ m with k < T: persistence throughout
    let span = m * d
    u.withUnsafeBufferPointer { buffer in
        for b in 0..<batch {
            let x = buffer.baseAddress! + b * T * d
            for k in m..<T {
                let current = x + (k - m + 1) * d
                var best = Double.infinity, bestEnd = -1
                var j = k - 1
                while j >= m - 1 {   // most recent first: a later window wins ties
                    let candidate = x + (j - m + 1) * d
                    var dist = 0.0, i = 0
                    while i < span && dist < best {
                        let e = current[i] - candidate[i]
                        dist += e * e
                        i += 1
                    }
                    if i == span && dist < best { (best, bestEnd) = (dist, j) }
                    j -= 1
                }
                for c in 0..<d { out[(b * T + k) * d + c] = x[(bestEnd + 1) * d + c] }
            }
        }
    }
}
