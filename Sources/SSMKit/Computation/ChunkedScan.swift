// The diagonal scan in chunks of T steps, as matrix products (the chunked form of Mamba-2's SSD,
// here for a time-invariant diagonal SSM). Within chunk c (steps cT … cT + T − 1) with incoming
// state x_in:
//   y_(cT+t) = Σ_(j≤t) k_(t−j) u_(cT+j) + f·Re(C λ̄^(t+1) x_in) + d·u_(cT+t),   k_s = f·Re(C λ̄^s B̄),
//   x_out    = λ̄^T x_in + Σ_j λ̄^(T−1−j) B̄ u_(cT+j).
// With the row's chunks as the rows of a matrix U (chunks × T), the three sums are products with
// fixed T×T, T×2N and 2N×T matrices (one per channel), so BLAS does the work at its full SIMD
// width, and only the chunk-to-chunk recurrence x_in ← λ̄^T x_in + s_c stays sequential (L/T
// steps instead of L). Flops per step ≈ 2T + 8N against 12N for the recurrence. Powers λ̄^t,
// t ≤ T, come from at most T products (error ≤ T ulps, as the recurrence's own).

/// Chunk length.
private let chunkLength = 32

/// The per-thread work space of the chunked scan and its channel matrices.
final class ChunkedScan {
    /// Whether chunking pays: enough modes to amortize the T-long Toeplitz part, and two chunks.
    static func applies(N: Int, L: Int) -> Bool { N >= 8 && L >= 2 * chunkLength }

    let N: Int, L: Int, chunks: Int
    /// toeplitz[j·T + t] = k_(t−j) (t ≥ j, else 0); inputs[j·2N + n] = (Re, Im) of λ̄^(T−1−j) B̄;
    /// outputs[n·T + t] = f·Re(C λ̄^(t+1)), outputs[(N+n)·T + t] = −f·Im(C λ̄^(t+1)).
    private let toeplitz, inputs, outputs: UnsafeMutablePointer<Double>
    /// λ̄^T per mode (real and imaginary parts).
    private let powerR, powerI: UnsafeMutablePointer<Double>
    /// Per row: u and y as float64 (chunks × T), the chunks' input sums s_c and incoming states
    /// (chunks × 2N, real parts then imaginary parts).
    private let u, y, sums, incoming: UnsafeMutablePointer<Double>
    private let storage: UnsafeMutablePointer<Double>

    init(N: Int, L: Int) {
        let T = chunkLength
        self.N = N; self.L = L; chunks = L / T
        let sizes = [T * T, T * 2 * N, 2 * N * T, L, L, chunks * 2 * N, chunks * 2 * N, N, N]
        storage = .allocate(capacity: sizes.reduce(0, +))
        var offsets = [Int](), total = 0
        for size in sizes { offsets.append(total); total += size }
        toeplitz = storage + offsets[0]; inputs = storage + offsets[1]; outputs = storage + offsets[2]
        u = storage + offsets[3]; y = storage + offsets[4]; sums = storage + offsets[5]; incoming = storage + offsets[6]
        powerR = storage + offsets[7]; powerI = storage + offsets[8]
    }

    deinit { storage.deallocate() }

    /// Fills the channel matrices from the state's λ̄, B̄ and f·C.
    private func prepare(_ state: ScanState) {
        let T = chunkLength
        for t in 0..<T { toeplitz[t] = 0 }
        // p = λ̄^t, t = 0 … T: k_t, the output rows (t + 1) and the input rows (T − 1 − t).
        for n in 0..<N {
            var pr = 1.0, pi = 0.0
            for t in 0...T {
                if t < T {
                    let j = T - 1 - t
                    inputs[j * 2 * N + n] = pr * state.br[n] - pi * state.bi[n]
                    inputs[j * 2 * N + N + n] = pr * state.bi[n] + pi * state.br[n]
                    toeplitz[t] += state.cr[n] * inputs[j * 2 * N + n] - state.ci[n] * inputs[j * 2 * N + N + n]
                }
                if t >= 1 {
                    outputs[n * T + t - 1] = state.cr[n] * pr - state.ci[n] * pi
                    outputs[(N + n) * T + t - 1] = -(state.cr[n] * pi + state.ci[n] * pr)
                }
                if t == T { powerR[n] = pr; powerI[n] = pi }
                (pr, pi) = (pr * state.lr[n] - pi * state.li[n], pr * state.li[n] + pi * state.lr[n])
            }
        }
        for j in 1..<T {
            for t in 0..<T { toeplitz[j * T + t] = t >= j ? toeplitz[t - j] : 0 }
        }
    }

    /// The row's L steps from the state's current x (left in the state at the end).
    func run<S: SequenceScalar>(_ state: ScanState, d: Double, input: UnsafePointer<S>,
                                         output: UnsafeMutablePointer<S>) {
        let T = chunkLength, width = 2 * N, full = chunks * T
        prepare(state)
        for k in 0..<full { u[k] = input[k].doubleValue }
        Double.gemm(chunks, T, T, alpha: 1, u, T, toeplitz, T, beta: 0, y, T)
        Double.gemm(chunks, width, T, alpha: 1, u, T, inputs, width, beta: 0, sums, width)
        // The chunk-to-chunk recurrence, recording each chunk's incoming state.
        for c in 0..<chunks {
            let row = incoming + c * width, s = sums + c * width
            for n in 0..<N { row[n] = state.xr[n]; row[N + n] = state.xi[n] }
            for n in 0..<N {
                let a = state.xr[n], b = state.xi[n]
                state.xr[n] = powerR[n] * a - powerI[n] * b + s[n]
                state.xi[n] = powerR[n] * b + powerI[n] * a + s[N + n]
            }
        }
        Double.gemm(chunks, T, width, alpha: 1, incoming, width, outputs, T, beta: 1, y, T)
        for k in 0..<full { output[k] = S(y[k] + d * u[k]) }
        state.steps(L - full, d: d, input: input + full, output: output + full)
    }
}
