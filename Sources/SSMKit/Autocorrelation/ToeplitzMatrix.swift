import ComplexModule

// The L×L autocorrelation matrix R = E[x xᵀ] of a stationary input is the symmetric Toeplitz matrix
// R_ij = r(|i − j|) (MATH.md §4–§5). Dense for small L (checks, eigvalsh); for long sequences only
// its products are formed, in O(L log L) through a circulant embedding.

/// R_ij = r(|i − j|), i, j < L = r.count, row-major into `out` (L·L values).
public func toeplitzMatrix(_ r: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) throws {
    let L = r.count
    let (total, overflow) = L.multipliedReportingOverflow(by: L)
    try require(L >= 1 && !overflow && out.count == total, .size, "R must hold L × L = \(L) × \(L) values, got \(out.count)")
    try requireFinite(r, "r")
    parallelFor(L, minimumPerThread: max(1, (1 << 16) / L)) { rows in
        for i in rows {
            let row = out.baseAddress! + i * L
            for j in 0..<i { row[j] = r[i - j] }
            for j in i..<L { row[j] = r[j - i] }
        }
    }
}

/// The dense symmetric Toeplitz matrix of r(0), …, r(L − 1). Errors: `.size` (r empty), `.value`
/// (a non-finite entry).
public func toeplitzMatrix(_ r: [Double]) throws -> RealMatrix {
    var m = RealMatrix(rows: r.count, columns: r.count, repeating: 0)
    try r.withUnsafeBufferPointer { r in try m.elements.withUnsafeMutableBufferPointer { try toeplitzMatrix(r, into: $0) } }
    return m
}

/// The circulant size for order L: twice the smallest length ≥ L with no prime factor above 7.
private func circulantSize(_ L: Int) -> Int { 2 * FFTPlan.fastLength(atLeast: L) }

/// Products R·v with the symmetric Toeplitz matrix of r(0…L−1) in O(L log L). R is the top-left L×L
/// block of the m×m circulant C with first column c = (r(0), …, r(L−1), 0, …, 0, r(L−1), …, r(1)),
/// m ≥ 2L (≥ 2L − 1 suffices), so R·v is the first L entries of C·(v, 0, …, 0) =
/// irfft(λ ∘ rfft(v, 0, …)), λ = rfft(c) the circulant's eigenvalues (real: c is even), computed once.
public struct ToeplitzOperator: Sendable {
    /// The order of R.
    public let L: Int
    /// The circulant's size: m = 2h ≥ 2L with h ≥ L the smallest length with no prime factor above 7
    /// (even, so the real FFT runs as a complex FFT of length h).
    public let m: Int
    /// λ_j, j = 0…m/2.
    let eigenvalues: [Double]

    /// Embeds r(0), …, r(L − 1). Errors: `.size` (r empty), `.value` (a non-finite entry).
    public init(_ r: [Double]) throws {
        try require(!r.isEmpty, .size, "r must hold at least r(0)")
        try requireFinite(r, "r")
        L = r.count
        m = circulantSize(L)
        var c = [Double](repeating: 0, count: m)
        for k in 0..<L { c[k] = r[k] }
        for k in 1..<L { c[m - k] = r[k] }
        eigenvalues = try rfft(c).map(\.real)
    }

    /// An upper bound on the bytes of work space of an operator of order L ≤ 2⁴⁸: the embedding and
    /// its eigenvalues, and for one `withProduct` a padded vector, its product, its spectrum and the
    /// FFT scratch (3m for an even m), about 8m doubles. Builds no FFT plan.
    public static func workspaceBytes(L: Int) -> Int {
        (8 * circulantSize(max(1, min(L, 1 << 48))) + 4) * MemoryLayout<Double>.stride
    }

    /// Runs `body` with a function that writes R·v into `out` (L values each; they may be the same
    /// memory), reusing one set of work buffers for every product.
    public func withProduct<Result>(
        _ body: (_ multiply: (UnsafePointer<Double>, UnsafeMutablePointer<Double>) -> Void) throws -> Result
    ) rethrows -> Result {
        let plan = RealFFTPlan.shared(m)
        let half = m / 2 + 1
        let padded = UnsafeMutablePointer<Double>.allocate(capacity: m)
        let product = UnsafeMutablePointer<Double>.allocate(capacity: m)
        let spectrum = UnsafeMutablePointer<Double>.allocate(capacity: 2 * half)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: max(plan.scratchCount(count: 1), 1))
        defer { padded.deallocate(); product.deallocate(); spectrum.deallocate(); scratch.deallocate() }
        padded.initialize(repeating: 0, count: m)   // entries L..<m stay zero
        return try eigenvalues.withUnsafeBufferPointer { lambda in
            try body { v, out in
                padded.update(from: v, count: L)
                plan.forward(padded, spectrum, scratch: scratch)
                for j in 0..<half { spectrum[2 * j] *= lambda[j]; spectrum[2 * j + 1] *= lambda[j] }
                plan.inverse(spectrum, product, scratch: scratch)
                out.update(from: product, count: L)
            }
        }
    }

    /// R·v for `count` vectors (rows of L values, row-major), split across threads.
    /// Errors: `.size` (buffers of other sizes), `.value` (a non-finite entry of v).
    public func apply(count: Int, _ v: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) throws {
        let (total, overflow) = count.multipliedReportingOverflow(by: L)
        try require(count >= 1 && !overflow && v.count == total && out.count == total, .size,
                    "v and out must hold count × L = \(count) × \(L) values, got \(v.count) and \(out.count)")
        if let k = firstNonFinite(v) { throw SSMError(.value, "v[\(k / L), \(k % L)] = \(v[k]) is not finite") }
        parallelFor(count, minimumPerThread: max(1, (1 << 16) / m)) { rows in
            withProduct { multiply in
                for i in rows { multiply(v.baseAddress! + i * L, out.baseAddress! + i * L) }
            }
        }
    }

    /// R·v for one vector of L values.
    public func apply(_ v: [Double]) throws -> [Double] {
        var out = [Double](repeating: 0, count: v.count)
        try v.withUnsafeBufferPointer { v in try out.withUnsafeMutableBufferPointer { try apply(count: 1, v, into: $0) } }
        return out
    }
}
