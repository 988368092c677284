// A dense discrete SSM trained by its recurrence (MATH.md §8; the HiPPO-Prophecy readout of §9):
//   x_k = Ā x_(k−1) + B̄ u_k,   y_k = C̄ x_k + D̄ u_k,   x_(−1) = 0,
// Ā N×N, B̄ N×m, C̄ p×N, D̄ p×m, per batch row; inputs u batch×L×m and outputs y batch×L×p
// (time-major rows, as ssm_scan_dense). (C̄, D̄) are always trainable; (Ā, B̄) optionally. The
// reverse is the adjoint recurrence μ_k = Āᵀ μ_(k+1) + C̄ᵀ ḡ_k (μ_L = 0), giving
//   ∂C̄ = Σ ḡ_k x_kᵀ,  ∂D̄ = Σ ḡ_k u_kᵀ,  ∂Ā = Σ μ_k x_(k−1)ᵀ,  ∂B̄ = Σ μ_k u_kᵀ,  ∂u_k = B̄ᵀ μ_k + D̄ᵀ ḡ_k.

public struct DenseSSMModel: Sendable {
    public let N: Int, m: Int, p: Int
    /// Whether Ā and B̄ are trained too (their gradients are otherwise not computed).
    public var trainDynamics: Bool
    /// Ā (N×N), B̄ (N×m), C̄ (p×N), D̄ (p×m), row-major.
    public var A: [Double], B: [Double], C: [Double], D: [Double]

    public init(A: [Double], B: [Double], C: [Double], D: [Double], N: Int, m: Int, p: Int, trainDynamics: Bool = false) throws {
        try require(N >= 1 && m >= 1 && p >= 1, .size, "N, m, p must be ≥ 1, got \(N), \(m), \(p)")
        try require(A.count == N * N && B.count == N * m && C.count == p * N && D.count == p * m, .size,
                    "Ā needs N×N = \(N * N), B̄ N×m = \(N * m), C̄ p×N = \(p * N), D̄ p×m = \(p * m) entries")
        for (name, values) in [("A", A), ("B", B), ("C", C), ("D", D)] { try requireFinite(values, name) }
        self.N = N; self.m = m; self.p = p; self.trainDynamics = trainDynamics
        self.A = A; self.B = B; self.C = C; self.D = D
    }

    /// The trainable parameters as one vector: (C̄, D̄), then (Ā, B̄) when `trainDynamics`.
    public var parameters: [Double] { C + D + (trainDynamics ? A + B : []) }

    public mutating func setParameters(_ values: [Double]) throws {
        let count = p * N + p * m + (trainDynamics ? N * N + N * m : 0)
        try require(values.count == count, .size, "the model has \(count) trainable parameters, got \(values.count)")
        C = Array(values[0..<(p * N)]); D = Array(values[(p * N)..<(p * N + p * m)])
        if trainDynamics {
            let start = p * N + p * m
            A = Array(values[start..<(start + N * N)]); B = Array(values[(start + N * N)...])
        }
    }

    public struct Cache: Sendable {
        let batch: Int, L: Int
        let u: [Double]
        /// The states x_0 … x_(L−1) per row (batch×L×N).
        let states: [Double]
    }

    /// y (batch×L×p) from u (batch×L×m). Errors: `.size`, `.value` (non-finite), `.unstable` (overflow).
    public func forward(batch: Int, L: Int, u: [Double]) throws -> (y: [Double], cache: Cache) {
        try require(batch >= 1 && L >= 1 && u.count == batch * L * m, .size,
                    "u must have batch×L×m = \(batch)×\(L)×\(m) entries, got \(u.count)")
        try requireFinite(u, "u")
        var states = [Double](repeating: 0, count: batch * L * N), y = [Double](repeating: 0, count: batch * L * p)
        A.withUnsafeBufferPointer { a in B.withUnsafeBufferPointer { b in C.withUnsafeBufferPointer { c in
        D.withUnsafeBufferPointer { d in u.withUnsafeBufferPointer { up in
        states.withUnsafeMutableBufferPointer { xs in y.withUnsafeMutableBufferPointer { yp in
            parallelFor(batch) { rows in
                for r in rows {
                    for k in 0..<L {
                        let x = xs.baseAddress! + (r * L + k) * N, uk = up.baseAddress! + (r * L + k) * m
                        // x_k = Ā x_(k−1) + B̄ u_k
                        if k > 0 {
                            Double.matrixProduct(transposeA: false, transposeB: false, N, 1, N, alpha: 1, a.baseAddress!, N,
                                                 x - N, 1, beta: 0, x, 1)
                            Double.matrixProduct(transposeA: false, transposeB: false, N, 1, m, alpha: 1, b.baseAddress!, m,
                                                 uk, 1, beta: 1, x, 1)
                        } else {
                            Double.matrixProduct(transposeA: false, transposeB: false, N, 1, m, alpha: 1, b.baseAddress!, m,
                                                 uk, 1, beta: 0, x, 1)
                        }
                        let yk = yp.baseAddress! + (r * L + k) * p
                        Double.matrixProduct(transposeA: false, transposeB: false, p, 1, N, alpha: 1, c.baseAddress!, N, x, 1,
                                             beta: 0, yk, 1)
                        Double.matrixProduct(transposeA: false, transposeB: false, p, 1, m, alpha: 1, d.baseAddress!, m, uk, 1,
                                             beta: 1, yk, 1)
                    }
                }
            }
        } } } } } } }
        if let k = y.firstIndex(where: { !$0.isFinite }) {
            throw SSMError(.unstable, "the output overflows at row \(k / (L * p)), step \(k / p % L): the spectral radius of Ā exceeds 1")
        }
        return (y, Cache(batch: batch, L: L, u: u, states: states))
    }

    /// ∂L/∂parameters (the layout of `parameters`) and, if asked, ∂L/∂u, from gy = ∂L/∂y (batch×L×p).
    public func backward(_ cache: Cache, gy: [Double], inputGradient: Bool = false) throws -> (parameters: [Double], u: [Double]?) {
        let batch = cache.batch, L = cache.L
        try require(gy.count == batch * L * p, .size, "gy must have batch×L×p = \(batch * L * p) entries, got \(gy.count)")
        try requireFinite(gy, "gy")
        var gC = [Double](repeating: 0, count: p * N), gD = [Double](repeating: 0, count: p * m)
        var gA = [Double](repeating: 0, count: trainDynamics ? N * N : 0), gB = [Double](repeating: 0, count: trainDynamics ? N * m : 0)
        var gu = [Double](repeating: 0, count: inputGradient ? batch * L * m : 0)
        let needAdjoint = trainDynamics || inputGradient
        cache.states.withUnsafeBufferPointer { xs in cache.u.withUnsafeBufferPointer { up in gy.withUnsafeBufferPointer { g in
            // ∂C̄ = Σ_rows G_rowᵀ X_row and ∂D̄ = Σ G_rowᵀ U_row: one product over all rows and steps.
            gC.withUnsafeMutableBufferPointer {
                Double.matrixProduct(transposeA: true, transposeB: false, p, N, batch * L, alpha: 1, g.baseAddress!, p,
                                     xs.baseAddress!, N, beta: 0, $0.baseAddress!, N)
            }
            gD.withUnsafeMutableBufferPointer {
                Double.matrixProduct(transposeA: true, transposeB: false, p, m, batch * L, alpha: 1, g.baseAddress!, p,
                                     up.baseAddress!, m, beta: 0, $0.baseAddress!, m)
            }
            guard needAdjoint else { return }
            var mu = [Double](repeating: 0, count: N), next = mu
            A.withUnsafeBufferPointer { a in B.withUnsafeBufferPointer { b in C.withUnsafeBufferPointer { c in D.withUnsafeBufferPointer { d in
            gA.withUnsafeMutableBufferPointer { ga in gB.withUnsafeMutableBufferPointer { gb in gu.withUnsafeMutableBufferPointer { gup in
                for r in 0..<batch {
                    for i in 0..<N { mu[i] = 0 }
                    for k in stride(from: L - 1, through: 0, by: -1) {
                        let gk = g.baseAddress! + (r * L + k) * p, uk = up.baseAddress! + (r * L + k) * m
                        // μ_k = Āᵀ μ_(k+1) + C̄ᵀ ḡ_k
                        next.withUnsafeMutableBufferPointer { nx in
                            mu.withUnsafeBufferPointer { mp in
                                Double.matrixProduct(transposeA: true, transposeB: false, N, 1, N, alpha: 1, a.baseAddress!, N,
                                                     mp.baseAddress!, 1, beta: 0, nx.baseAddress!, 1)
                            }
                            Double.matrixProduct(transposeA: true, transposeB: false, N, 1, p, alpha: 1, c.baseAddress!, N, gk, 1,
                                                 beta: 1, nx.baseAddress!, 1)
                        }
                        swap(&mu, &next)
                        mu.withUnsafeBufferPointer { mp in
                            if trainDynamics {
                                if k > 0 {
                                    // ∂Ā += μ_k x_(k−1)ᵀ
                                    Double.matrixProduct(transposeA: false, transposeB: false, N, N, 1, alpha: 1, mp.baseAddress!, 1,
                                                         xs.baseAddress! + (r * L + k - 1) * N, N, beta: 1, ga.baseAddress!, N)
                                }
                                Double.matrixProduct(transposeA: false, transposeB: false, N, m, 1, alpha: 1, mp.baseAddress!, 1,
                                                     uk, m, beta: 1, gb.baseAddress!, m)
                            }
                            if inputGradient {
                                let out = gup.baseAddress! + (r * L + k) * m
                                Double.matrixProduct(transposeA: true, transposeB: false, m, 1, N, alpha: 1, b.baseAddress!, m,
                                                     mp.baseAddress!, 1, beta: 0, out, 1)
                                Double.matrixProduct(transposeA: true, transposeB: false, m, 1, p, alpha: 1, d.baseAddress!, m,
                                                     gk, 1, beta: 1, out, 1)
                            }
                        }
                    }
                }
            } } } } } } }
        } } }
        return (gC + gD + (trainDynamics ? gA + gB : []), inputGradient ? gu : nil)
    }
}
