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

/// Rolls the predictor out for `steps` samples after teacher-forcing it on `context` (one
/// coordinate): returns û over the continuation, each fed back as the next sample.
/// Errors: `.size` (empty context, steps < 0), `.value`, `.unstable` (overflow).
public func prophecyRollout(_ predictor: ProphecyPredictor, context: [Double], steps: Int) throws -> [Double] {
    try require(!context.isEmpty, .size, "the context must hold at least one sample")
    try require(steps >= 0, .size, "steps = \(steps) must be ≥ 0")
    var stream = try ProphecyStream(predictor, d: 1)
    var next = 0.0
    for u in context { next = try stream.step([u])[0] }
    var out = [Double]()
    out.reserveCapacity(steps)
    for i in 0..<steps {
        out.append(next)
        if i + 1 < steps { next = try stream.step([next])[0] }
    }
    return out
}
