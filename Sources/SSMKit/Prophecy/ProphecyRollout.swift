import ComplexModule

/// Closed-loop rollout (MATH.md §9): after the context, each prediction is fed back as the next
/// sample, u_(k+1) := û_(k+1) = C̄ z_k + D̄ u_k. With the exported SSM (Ā, B̄, C̄, D̄) the pair
/// (z_k, u_k) follows the linear recurrence
///   [z_(k+1); u_(k+1)] = M [z_k; u_k],  M = [[Ā + B̄C̄, B̄D̄], [C̄, D̄]]   ((n+1)×(n+1)),
/// which grows without bound when its spectral radius ρ(M) > 1 (the case for most N, W).
/// LegS has none (`.unsupported`).
public func prophecyRolloutMatrix(_ predictor: ProphecyPredictor) throws -> RealMatrix {
    let e = try prophecyExport(predictor)
    let n = e.A.rows, d = e.D.elements[0]
    var M = RealMatrix(rows: n + 1, columns: n + 1, repeating: 0)
    for i in 0..<n {
        for j in 0..<n { M[i, j] = e.A[i, j] + e.B.elements[i] * e.C.elements[j] }
        M[i, n] = e.B.elements[i] * d
        M[n, i] = e.C.elements[i]
    }
    M[n, n] = d
    return M
}

/// ρ(M) of `prophecyRolloutMatrix` (largest eigenvalue modulus). Errors: those of the matrix,
/// `.notConverged` from the eigenvalue solver.
public func prophecyRolloutRadius(_ predictor: ProphecyPredictor) throws -> Double {
    try eig(prophecyRolloutMatrix(predictor)).map { $0.length }.max() ?? 0
}

/// Rolls the predictor out for `steps` samples after teacher-forcing it on `context` (T×d,
/// row-major, one SSM per coordinate): returns the continuation (steps×d), each prediction fed
/// back as the next sample. Works for every basis (LegS too), from a fresh zero state.
/// Errors: `.size` (T < 1, d < 1, steps < 0, shapes), `.value` (non-finite context), `.unstable`.
public func prophecyRollout(_ predictor: ProphecyPredictor, context: [Double], d: Int = 1, steps: Int) throws -> [Double] {
    try require(d >= 1 && !context.isEmpty && context.count % d == 0, .size,
                "the context must hold T ≥ 1 samples of d = \(d) values, got \(context.count) values")
    try require(steps >= 0, .size, "steps = \(steps) must be ≥ 0")
    if let k = context.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.value, "context[\(k)] = \(context[k]) is not finite (sample \(k / d), coordinate \(k % d))")
    }
    var stream = try ProphecyStream(predictor, d: d)
    var next = [Double]()
    for k in 0..<(context.count / d) { next = try stream.step(Array(context[(k * d)..<(k * d + d)])) }
    var out = [Double]()
    out.reserveCapacity(steps * d)
    for i in 0..<steps {
        out.append(contentsOf: next)
        if i + 1 < steps { next = try stream.step(next) }
    }
    return out
}
