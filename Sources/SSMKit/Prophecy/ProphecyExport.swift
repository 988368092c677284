/// The predictor as an ordinary discrete SSM (MATH.md §9), in the dense scan's convention
/// z_k = Ā z_(k−1) + B̄ u_k, y_k = C̄ z_k + D̄ u_k from z_(−1) = 0, whose output y_k is û_(k+1).
///
/// - Plain input: z = x (n = N); Ā, B̄ the discretized memory; the output rule folds into
///   C̄ = ΔC, D̄ = 1 + ΔD (Euler) or C̄ = ΔC/(1 − ΔD/2), D̄ = (1 + ΔD/2)/(1 − ΔD/2) (trapezoid).
/// - Averaged input: x_k = Ā x_(k−1) + B̄ (u_k + u_(k−1))/2 needs u_(k−1), so the exported state is
///   augmented with the last sample, z_k = [x_k; u_k] (n = N + 1):
///   Ā_e = [[Ā, B̄/2], [0, 0]], B̄_e = [B̄/2; 1], C̄_e = [C̄, 0], D̄_e = D̄.
///
/// LegS is time-varying and has no such export (`.unsupported`).
public func prophecyExport(_ predictor: ProphecyPredictor) throws -> StateSpace {
    guard !predictor.isTimeVarying else {
        throw SSMError(.unsupported, "a LegS predictor is time-varying (A_k = A/k): it has no single (Ad, Bd, Cd, Dd); use legt or fout")
    }
    let s = try predictor.step(at: 0), N = predictor.N
    switch predictor.configuration.stateInput {
    case .plain:
        return StateSpace(A: RealMatrix(rows: N, columns: N, elements: s.Ad), B: RealMatrix(rows: N, columns: 1, elements: s.Bd),
                          C: RealMatrix(rows: 1, columns: N, elements: s.c), D: RealMatrix(rows: 1, columns: 1, elements: [s.d]))
    case .average:
        let n = N + 1
        var A = RealMatrix(rows: n, columns: n, repeating: 0)
        var B = [Double](repeating: 0, count: n)
        for i in 0..<N {
            for j in 0..<N { A[i, j] = s.Ad[i * N + j] }
            A[i, N] = s.Bd[i] / 2
            B[i] = s.Bd[i] / 2
        }
        B[N] = 1
        return StateSpace(A: A, B: RealMatrix(rows: n, columns: 1, elements: B),
                          C: RealMatrix(rows: 1, columns: n, elements: s.c + [0]), D: RealMatrix(rows: 1, columns: 1, elements: [s.d]))
    }
}
