import RealModule

// The batch form of a time-invariant predictor in chunks of T samples (the chunked scan of
// Computation/ChunkedScan.swift, here with the predictor's dense Ā). Within chunk c, with incoming
// state x_in and state input v (u, or (u_k + u_(k−1))/2):
//   û_(cT+t+1) = Σ_(j≤t) k_(t−j) v_(cT+j) + c̄ Ā^(t+1) x_in + d̄ u_(cT+t),   k_s = c̄ Ā^s B̄,
//   x_out      = Ā^T x_in + Σ_j Ā^(T−1−j) B̄ v_(cT+j).
// With the chunks as the rows of a matrix V, the sums are products with fixed T×T, T×N and N×T
// matrices, so BLAS does the work; only x_in ← Ā^T x_in + s_c stays sequential (once per chunk).
// Flops per sample ≈ 2T + 4N + 2N²/T against 2N² for the recurrence (N = 64, T = 128: 576 vs
// 8192). The arithmetic differs from the recurrence's only by rounding (sums in another order).

/// The fixed matrices of the chunked form for one step (Ā, B̄, c̄, d̄).
struct ProphecyChunks {
    let N: Int, T: Int
    /// T×T: toeplitz[j·T + t] = k_(t−j) for t ≥ j, else 0.
    let toeplitz: [Double]
    /// T×N: inputs[j·N + n] = (Ā^(T−1−j) B̄)_n.
    let inputs: [Double]
    /// N×T: outputs[n·T + t] = (c̄ Ā^(t+1))_n.
    let outputs: [Double]
    /// N×N: (Ā^T)ᵀ, so that a block of states as rows advances by one product.
    let powerTransposed: [Double]

    /// The chunk length for state size N: a power of two near 2N (where 2T + 2N²/T is least
    /// with the sequential part counted twice, as it runs at vector rather than BLAS speed), 32…256.
    static func length(N: Int) -> Int {
        var T = 32
        while T < 2 * N && T < 256 { T <<= 1 }
        return T
    }

    init(_ s: ProphecyStep, N: Int, T: Int) {
        self.N = N; self.T = T
        var toeplitz = [Double](repeating: 0, count: T * T)
        var inputs = [Double](repeating: 0, count: T * N)
        var outputs = [Double](repeating: 0, count: N * T)
        // b = Ā^j B̄ (j = 0 … T−1) and r = c̄ Ā^(t+1) (t = 0 … T−1), by repeated products.
        var b = s.Bd, r = s.c, next = [Double](repeating: 0, count: N)
        var k = [Double](repeating: 0, count: T)
        for j in 0..<T {
            for n in 0..<N { inputs[(T - 1 - j) * N + n] = b[n] }
            var kj = 0.0
            for n in 0..<N { kj += s.c[n] * b[n] }
            k[j] = kj
            for i in 0..<N {
                var acc = 0.0
                for m in 0..<N { acc += s.Ad[i * N + m] * b[m] }
                next[i] = acc
            }
            swap(&b, &next)
            for n in 0..<N { next[n] = 0 }
            for i in 0..<N {
                let ri = r[i]
                for n in 0..<N { next[n] += ri * s.Ad[i * N + n] }
            }
            swap(&r, &next)
            for n in 0..<N { outputs[n * T + j] = r[n] }
        }
        for j in 0..<T { for t in j..<T { toeplitz[j * T + t] = k[t - j] } }
        // Ā^T by squaring (T is a power of two).
        var power = s.Ad, square = [Double](repeating: 0, count: N * N)
        var e = 1
        while e < T {
            power.withUnsafeBufferPointer { p in
                square.withUnsafeMutableBufferPointer { q in
                    Double.gemm(N, N, N, alpha: 1, p.baseAddress!, N, p.baseAddress!, N, beta: 0, q.baseAddress!, N)
                }
            }
            swap(&power, &square)
            e <<= 1
        }
        var transposed = [Double](repeating: 0, count: N * N)
        for i in 0..<N { for j in 0..<N { transposed[j * N + i] = power[i * N + j] } }
        self.toeplitz = toeplitz
        self.inputs = inputs
        self.outputs = outputs
        powerTransposed = transposed
    }
}

/// The work space of one segment, in doubles: at most 2²¹ (16 MB), whatever the trajectory length,
/// the number of lanes and N.
private let segmentDoubles = 1 << 21

/// Matrix rows (one per chunk of one lane) that fit in a segment: ≥ 1, rows·(2T + 2N) ≤ 2²¹.
private func segmentRows(N: Int, T: Int) -> Int {
    max(1, segmentDoubles / (2 * T + 2 * N))
}

/// Chunks per block: every BLAS product covers one lane's chunks b·B ..< (b + 1)·B (fewer in the
/// lane's last block), so a lane's numbers depend on its own samples only — not on the batch, the
/// other lanes or the thread count.
private func blockChunks(N: Int, T: Int) -> Int {
    min(32, segmentRows(N: N, T: T))
}

extension ProphecyPredictor {
    /// Whether `predict` uses the chunked form: a time-invariant predictor, at least two chunks, and
    /// fewer operations than the recurrence's 2N² + 200 per sample and lane (200: its per-sample
    /// overhead, ~40 ns measured at N = 2), counting the chunk matrices
    /// (4·T·N² scalar flops for the powers' products with B̄ and c̄) and, at a quarter, the BLAS
    /// flops (2N³·log₂T for Ā^T, 2T + 4N + 2N²/T per sample and lane): BLAS runs about 4× the
    /// scalar loop's rate here. Measured per sample and lane, chunked against recurrence: N = 2,
    /// 20 against 48 ns; N = 64, 16 against 1160 ns; N = 512, 14 against 128 µs.
    func usesChunks(T: Int, lanes: Int) -> Bool {
        let Tc = ProphecyChunks.length(N: N)
        guard fixed != nil, T >= 2 * Tc else { return false }
        let n = Double(N), t = Double(Tc), samples = Double(T) * Double(lanes)
        let chunked = 4 * t * n * n + (2 * n * n * n * Double.log2(t) + samples * (2 * t + 4 * n + 2 * n * n / t)) / 4
        return chunked < samples * (2 * n * n + 200)
    }

    /// Doubles `predict` holds besides u and its output: the chunk matrices (T² + 2TN + N², and 3N²
    /// while Ā^T is squared) and one segment, or the recurrence's states (lanes·(N + 1) + N).
    /// (`Int.max` when that overflows.)
    public func predictWorkspace(batch: Int, T: Int, d: Int) -> Int {
        let lanes = batch.multipliedReportingOverflow(by: d)
        guard !lanes.overflow else { return .max }
        guard usesChunks(T: T, lanes: lanes.partialValue) else {
            let states = lanes.partialValue.multipliedReportingOverflow(by: N + 1)
            return states.overflow ? .max : states.partialValue + N
        }
        let Tc = ProphecyChunks.length(N: N)
        return Tc * Tc + 2 * Tc * N + 3 * N * N + segmentDoubles + segmentRows(N: N, T: Tc) * N
    }

    /// One-step predictions of the lanes (batch×d, u batch×T×d row-major) in chunks, from the zero
    /// state. Lanes go in groups, and a group's trajectories in segments of whole blocks, so that a
    /// segment's rows fit in `segmentDoubles`.
    func predictInChunks(_ s: ProphecyStep, u: UnsafeBufferPointer<Double>, batch: Int, T: Int, d: Int,
                         into out: UnsafeMutableBufferPointer<Double>) {
        let chunks = ProphecyChunks(s, N: N, T: ProphecyChunks.length(N: N))
        let lanes = batch * d, B = blockChunks(N: N, T: chunks.T)
        let group = max(1, segmentRows(N: N, T: chunks.T) / B)
        for first in stride(from: 0, to: lanes, by: group) {
            predictInChunks(s, chunks, lanes: first..<min(lanes, first + group), block: B, u: u, T: T, d: d, into: out)
        }
    }

    /// The lanes `group` (lane = b·d + j) over the whole trajectory. The last chunk is padded with
    /// zeros past sample T − 1: its first outputs are exact (the Toeplitz product is causal), and
    /// the state after it is not used.
    private func predictInChunks(_ s: ProphecyStep, _ chunks: ProphecyChunks, lanes group: Range<Int>, block B: Int,
                                 u: UnsafeBufferPointer<Double>, T: Int, d: Int, into out: UnsafeMutableBufferPointer<Double>) {
        let N = self.N, lanes = group.count, Tc = chunks.T, chunkCount = (T + Tc - 1) / Tc
        let average = configuration.stateInput == .average
        // Per segment each lane has `span` chunks (whole blocks), rows lane-major: row = r·span + c.
        let span = B * max(1, segmentRows(N: N, T: Tc) / (B * lanes))
        let rows = span * lanes
        let work = UnsafeMutablePointer<Double>.allocate(capacity: rows * (2 * Tc + 2 * N) + lanes * N)
        defer { work.deallocate() }
        let V = work, Y = V + rows * Tc, S = Y + rows * Tc, incoming = S + rows * N, X = incoming + rows * N
        X.initialize(repeating: 0, count: lanes * N)
        /// Index in u of sample k of the group's lane r.
        func at(_ r: Int, _ k: Int) -> Int {
            let lane = group.lowerBound + r
            return ((lane / d) * T + k) * d + lane % d
        }
        chunks.toeplitz.withUnsafeBufferPointer { toeplitz in
        chunks.inputs.withUnsafeBufferPointer { inputs in
        chunks.outputs.withUnsafeBufferPointer { outputs in
        chunks.powerTransposed.withUnsafeBufferPointer { power in
            var segmentStart = 0
            while segmentStart < chunkCount {
                let first = segmentStart, count = min(span, chunkCount - first)
                let blocks = (count + B - 1) / B
                /// Block b of lane r: its first row and its number of chunks.
                func unit(_ i: Int) -> (r: Int, row: Int, c0: Int, size: Int) {
                    let r = i / blocks, c0 = (i % blocks) * B
                    return (r, r * span + c0, c0, min(B, count - c0))
                }
                parallelFor(lanes * blocks) { range in
                    for i in range {
                        let (r, row0, c0, size) = unit(i)
                        for c in 0..<size {
                            let row = V + (row0 + c) * Tc, k0 = (first + c0 + c) * Tc
                            for t in 0..<Tc {
                                let k = k0 + t
                                guard k < T else { row[t] = 0; continue }
                                let a = at(r, k)
                                row[t] = average ? (u[a] + (k > 0 ? u[a - d] : 0)) / 2 : u[a]
                            }
                        }
                        Double.gemm(size, Tc, Tc, alpha: 1, V + row0 * Tc, Tc, toeplitz.baseAddress!, Tc, beta: 0, Y + row0 * Tc, Tc)
                        Double.gemm(size, N, Tc, alpha: 1, V + row0 * Tc, Tc, inputs.baseAddress!, N, beta: 0, S + row0 * N, N)
                    }
                }
                // The chunk-to-chunk recurrence x ← Ā^T x + s_c, one lane at a time.
                parallelFor(lanes) { range in
                    for r in range {
                        let x = X + r * N
                        for c in 0..<count {
                            let row = (r * span + c) * N
                            (incoming + row).update(from: x, count: N)
                            x.update(from: S + row, count: N)
                            Double.gemm(1, N, N, alpha: 1, incoming + row, N, power.baseAddress!, N, beta: 1, x, N)
                        }
                    }
                }
                parallelFor(lanes * blocks) { range in
                    for i in range {
                        let (r, row0, c0, size) = unit(i)
                        Double.gemm(size, Tc, N, alpha: 1, incoming + row0 * N, N, outputs.baseAddress!, Tc, beta: 1, Y + row0 * Tc, Tc)
                        for c in 0..<size {
                            let row = Y + (row0 + c) * Tc, k0 = (first + c0 + c) * Tc
                            for t in 0..<min(Tc, T - k0) {
                                let a = at(r, k0 + t)
                                out[a] = row[t] + s.d * u[a]
                            }
                        }
                    }
                }
                segmentStart += count
            }
        } } } }
    }
}
