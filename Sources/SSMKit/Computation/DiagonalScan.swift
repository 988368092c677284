import ComplexModule
import RealModule
import Synchronization

// The recurrence of a diagonal SSM (MATH.md §7), per batch row b and channel h:
//   x_k = λ̄ ⊙ x_(k−1) + B̄ u_k,   y_k = f·Re(C·x_k) + D u_k   (f = 2 for conjugate pairs, else 1)
// with x_(−1) = x0 (or 0), and the final state x_(L−1) out. State in split real/imaginary arrays so
// the update over modes vectorizes; (batch, channel) pairs are split across threads.

/// Shapes: u, y (batch×H×L, row-major: row (b, h) holds the L steps); λ̄, B̄, C (H×N); D (H);
/// x0, xFinal (batch×H×N) optional. u and y in float64 or float32; the state is float64 in both
/// (a float32 state with |λ̄| = 1 drifts by ~√L ulps: 1e-5 at L = 65536), so float32 results are
/// the float64 ones rounded once. Errors: `.size` (mismatched buffers), `.value` (non-finite
/// input), `.unstable` (the state or output overflows).
@specialized(where S == Double)
@specialized(where S == Float)
public func diagonalScan<S: SequenceScalar>(batch: Int, H: Int, N: Int, L: Int,
                         lambdaBar: UnsafeBufferPointer<Complex<Double>>, bBar: UnsafeBufferPointer<Complex<Double>>,
                         C: UnsafeBufferPointer<Complex<Double>>, D: UnsafeBufferPointer<Double>?, pairs: Bool,
                         u: UnsafeBufferPointer<S>, x0: UnsafeBufferPointer<Complex<Double>>?,
                         y: UnsafeMutableBufferPointer<S>, xFinal: UnsafeMutableBufferPointer<Complex<Double>>?) throws {
    try checkScanArguments(batch: batch, H: H, N: N, L: L, modes: [("lambda_bar", lambdaBar), ("B_bar", bBar), ("C", C)],
                           D: D, u: u, y: y, x0: x0, xFinal: xFinal)
    let rows = batch * H
    let f = pairs ? 2.0 : 1.0
    let chunked = ChunkedScan.applies(N: N, L: L)
    parallelFor(rows) { range in
        let state = ScanState(N: N)
        let chunks = chunked ? ChunkedScan(N: N, L: L) : nil
        for row in range {
            let h = row % H
            state.load(lambdaBar: lambdaBar.baseAddress! + h * N, bBar: bBar.baseAddress! + h * N,
                       C: C.baseAddress! + h * N, f: f, x0: x0.map { $0.baseAddress! + row * N })
            let d = D?[h] ?? 0
            let input = u.baseAddress! + row * L, output = y.baseAddress! + row * L
            if let chunks {
                chunks.run(state, d: d, input: input, output: output)
            } else {
                state.steps(L, d: d, input: input, output: output)
            }
            if let xFinal { state.store(into: xFinal.baseAddress! + row * N) }
        }
    }
    if let k = y.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "the output overflows at row \(k / L), step \(k % L): |λ̄| > 1 modes grow")
    }
}

/// One row's recurrence: λ̄, B̄, f·C and the state as split real/imaginary rows of N (raw memory,
/// so the update over modes vectorizes).
final class ScanState {
    let N: Int
    let lr, li, br, bi, cr, ci, xr, xi: UnsafeMutablePointer<Double>
    private let storage: UnsafeMutablePointer<Double>

    init(N: Int) {
        self.N = N
        storage = .allocate(capacity: 8 * N)
        lr = storage; li = storage + N; br = storage + 2 * N; bi = storage + 3 * N
        cr = storage + 4 * N; ci = storage + 5 * N; xr = storage + 6 * N; xi = storage + 7 * N
    }

    deinit { storage.deallocate() }

    /// A channel's modes and a row's initial state (nil: 0).
    func load(lambdaBar: UnsafePointer<Complex<Double>>, bBar: UnsafePointer<Complex<Double>>, C: UnsafePointer<Complex<Double>>,
              f: Double, x0: UnsafePointer<Complex<Double>>?) {
        for n in 0..<N {
            let l = lambdaBar[n], b = bBar[n], c = C[n]
            lr[n] = l.real; li[n] = l.imaginary; br[n] = b.real; bi[n] = b.imaginary
            cr[n] = f * c.real; ci[n] = f * c.imaginary
            let start = x0?[n] ?? .zero
            xr[n] = start.real; xi[n] = start.imaginary
        }
    }

    func store(into x: UnsafeMutablePointer<Complex<Double>>) {
        for n in 0..<N { x[n] = Complex(xr[n], xi[n]) }
    }

    /// `count` steps of the recurrence from the current state: y_k = f·Re(C·x_k) + d·u_k.
    @inline(__always)
    func steps<S: SequenceScalar>(_ count: Int, d: Double, input: UnsafePointer<S>, output: UnsafeMutablePointer<S>) {
        for k in 0..<count {
            let uk = input[k].doubleValue
            // The state update, element-wise over modes (vectorizes), then the output as a dot
            // product with four partial sums.
            for n in 0..<N {
                let a = xr[n], b = xi[n]
                xr[n] = lr[n] * a - li[n] * b + br[n] * uk
                xi[n] = lr[n] * b + li[n] * a + bi[n] * uk
            }
            var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
            var n = 0
            while n + 3 < N {
                s0 += cr[n] * xr[n] - ci[n] * xi[n]
                s1 += cr[n + 1] * xr[n + 1] - ci[n + 1] * xi[n + 1]
                s2 += cr[n + 2] * xr[n + 2] - ci[n + 2] * xi[n + 2]
                s3 += cr[n + 3] * xr[n + 3] - ci[n + 3] * xi[n + 3]
                n += 4
            }
            while n < N { s0 += cr[n] * xr[n] - ci[n] * xi[n]; n += 1 }
            output[k] = S(((s0 + s1) + (s2 + s3)) + d * uk)
        }
    }
}

/// The scan with one step Δ per time index and row (selective / event-time SSMs, as Mamba): at
/// step k, (Ā_k, B̄_k) = `method`(λ, B, Δ_k) mode by mode (zoh, zohAEulerB — Mamba's rule —, or a
/// GBT rule, as `discretizeDiagonal`), then x_k = Ā_k ⊙ x_(k−1) + B̄_k u_k, y_k = f·Re(C·x_k) + D u_k.
/// λ, B, C: H×N continuous; dt: batch×H×L, each finite and > 0; other shapes as `diagonalScan`.
/// Errors: as `diagonalScan`, plus the discretization's (`.unsupported` for foh/impulse,
/// `.singular`, `.unstable`).
@specialized(where S == Double)
@specialized(where S == Float)
public func diagonalScan<S: SequenceScalar>(batch: Int, H: Int, N: Int, L: Int, lambda: UnsafeBufferPointer<Complex<Double>>,
                         B: UnsafeBufferPointer<Complex<Double>>, C: UnsafeBufferPointer<Complex<Double>>,
                         D: UnsafeBufferPointer<Double>?, pairs: Bool, dt: UnsafeBufferPointer<S>,
                         method: DiscretizationMethod, u: UnsafeBufferPointer<S>,
                         x0: UnsafeBufferPointer<Complex<Double>>?, y: UnsafeMutableBufferPointer<S>,
                         xFinal: UnsafeMutableBufferPointer<Complex<Double>>?) throws {
    try checkScanArguments(batch: batch, H: H, N: N, L: L, modes: [("lambda", lambda), ("B", B), ("C", C)],
                           D: D, u: u, y: y, x0: x0, xFinal: xFinal)
    let rows = batch * H
    try require(dt.count == rows * L, .size, "dt must have batch×H×L = \(rows * L) entries")
    if let k = dt.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
        throw SSMError(.value, "dt[\(k / L), \(k % L)] = \(dt[k]) must be finite and > 0")
    }
    let rule = try DiagonalRule(method)
    let f = pairs ? 2.0 : 1.0
    let failure = SSMErrorSlot()
    parallelFor(rows) { range in
        var x = [Complex<Double>](repeating: .zero, count: N)
        do {
            for row in range {
                let h = row % H
                for n in 0..<N { x[n] = x0?[row * N + n] ?? .zero }
                let d = D?[h] ?? 0
                for k in 0..<L {
                    let uk = u[row * L + k].doubleValue, step = dt[row * L + k].doubleValue
                    var s = 0.0
                    for n in 0..<N {
                        let (a, b) = try rule.discretize(lambda[h * N + n], B[h * N + n], step: step, mode: h * N + n)
                        x[n] = a * x[n] + b * Complex(uk, 0)
                        let c = C[h * N + n]
                        s += c.real * x[n].real - c.imaginary * x[n].imaginary
                    }
                    y[row * L + k] = S(f * s + d * uk)
                }
                if let xFinal { for n in 0..<N { xFinal[row * N + n] = x[n] } }
            }
        } catch let error as SSMError {
            failure.record(error)
        } catch {}
    }
    if let error = failure.error { throw error }
    if let k = y.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "the output overflows at row \(k / L), step \(k % L)")
    }
}

/// Shapes and finiteness shared by the scans: sizes ≥ 1, the H×N mode arrays, D (H), u and y
/// (batch×H×L), x0 and the final state (batch×H×N).
private func checkScanArguments<S: SequenceScalar>(batch: Int, H: Int, N: Int, L: Int,
                                modes: [(String, UnsafeBufferPointer<Complex<Double>>)], D: UnsafeBufferPointer<Double>?,
                                u: UnsafeBufferPointer<S>, y: UnsafeMutableBufferPointer<S>,
                                x0: UnsafeBufferPointer<Complex<Double>>?, xFinal: UnsafeMutableBufferPointer<Complex<Double>>?) throws {
    try require(batch >= 1 && H >= 1 && N >= 1 && L >= 1, .size,
                "batch, H, N and L must be ≥ 1, got \(batch), \(H), \(N), \(L)")
    let rows = batch * H
    try require(modes.allSatisfy { $0.1.count == H * N } && (D?.count ?? H) == H, .size,
                "\(modes.map(\.0).joined(separator: ", ")) must have H×N = \(H * N) entries and D H = \(H)")
    try require(u.count == rows * L && y.count == rows * L, .size, "u and y must have batch×H×L = \(rows * L) entries")
    try require((x0?.count ?? rows * N) == rows * N && (xFinal?.count ?? rows * N) == rows * N, .size,
                "x0 and the final state must have batch×H×N = \(rows * N) entries")
    func finite(_ z: Complex<Double>) -> Bool { z.real.isFinite && z.imaginary.isFinite }
    for (name, values) in modes {
        if let k = values.firstIndex(where: { !finite($0) }) {
            throw SSMError(.value, "\(name)[\(k / N), \(k % N)] = \(values[k]) is not finite")
        }
    }
    if let k = D?.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "D[\(k)] = \(D![k]) is not finite") }
    if let k = u.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "u[\(k / L), \(k % L)] is not finite") }
    if let x0, let k = x0.firstIndex(where: { !finite($0) }) { throw SSMError(.value, "x0[\(k / N), \(k % N)] is not finite") }
}

/// The first error thrown by any worker of a parallel loop.
final class SSMErrorSlot: @unchecked Sendable {
    private let lock = Mutex<SSMError?>(nil)
    func record(_ error: SSMError) { lock.withLock { if $0 == nil { $0 = error } } }
    var error: SSMError? { lock.withLock { $0 } }
}
