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

/// Matrix rows (chunk, lane pairs) per segment, and lanes per group: bound the work space to about
/// rows·(2T + 2N) doubles (a few MB) whatever the trajectory length and the number of lanes.
private let segmentRows = 1024

extension ProphecyPredictor {
    /// Whether `predict` uses the chunked form: a time-invariant predictor, at least two chunks, and
    /// chunk matrices cheaper to build than the whole recurrence (4·T·N² scalar flops for the powers'
    /// products with B̄ and c̄, 2N³·log₂T BLAS flops for Ā^T, counted at a quarter: BLAS runs about
    /// 4× the scalar loop's rate here). Per sample the chunked form was faster at every N measured
    /// (N = 2: 20 against 48 ns; 64: 16 against 1160 ns; 512: 14 against 128 µs per sample and lane).
    func usesChunks(T: Int, lanes: Int) -> Bool {
        let Tc = ProphecyChunks.length(N: N)
        guard fixed != nil, T >= 2 * Tc else { return false }
        let n = Double(N), t = Double(Tc)
        return 4 * t * n * n + n * n * n * Double.log2(t) / 2 < Double(T) * Double(lanes) * 2 * n * n
    }

    /// One-step predictions of the lanes (batch×d, u batch×T×d row-major) in chunks, from the zero
    /// state, in groups of at most `segmentRows` lanes.
    func predictInChunks(_ s: ProphecyStep, u: UnsafeBufferPointer<Double>, batch: Int, T: Int, d: Int,
                         into out: UnsafeMutableBufferPointer<Double>) {
        let chunks = ProphecyChunks(s, N: N, T: ProphecyChunks.length(N: N))
        let lanes = batch * d
        for first in stride(from: 0, to: lanes, by: segmentRows) {
            predictInChunks(s, chunks, lanes: first..<min(lanes, first + segmentRows), u: u, T: T, d: d, into: out)
        }
    }

    /// The lanes `group` (lane = b·d + j) over the whole trajectory; the samples after the last
    /// whole chunk run through the recurrence (`advance`).
    private func predictInChunks(_ s: ProphecyStep, _ chunks: ProphecyChunks, lanes group: Range<Int>,
                                 u: UnsafeBufferPointer<Double>, T: Int, d: Int, into out: UnsafeMutableBufferPointer<Double>) {
        let N = self.N, lanes = group.count, Tc = chunks.T, fullChunks = T / Tc
        let average = configuration.stateInput == .average
        let perSegment = max(1, segmentRows / lanes)
        let rows = perSegment * lanes
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
            while segmentStart < fullChunks {
                let first = segmentStart, count = min(perSegment, fullChunks - first), m = count * lanes
                // Matrix row i = (chunk c, lane r) = c·lanes + r; its samples start at k0.
                parallelFor(m, minimumPerThread: 16) { range in
                    for i in range {
                        let row = V + i * Tc, r = i % lanes, k0 = (first + i / lanes) * Tc
                        for t in 0..<Tc {
                            let k = k0 + t, a = at(r, k)
                            row[t] = average ? (u[a] + (k > 0 ? u[a - d] : 0)) / 2 : u[a]
                        }
                    }
                    Double.gemm(range.count, Tc, Tc, alpha: 1, V + range.lowerBound * Tc, Tc, toeplitz.baseAddress!, Tc,
                                beta: 0, Y + range.lowerBound * Tc, Tc)
                    Double.gemm(range.count, N, Tc, alpha: 1, V + range.lowerBound * Tc, Tc, inputs.baseAddress!, N,
                                beta: 0, S + range.lowerBound * N, N)
                }
                // The chunk-to-chunk recurrence, lanes split across threads.
                parallelFor(lanes) { range in
                    let width = range.count, x = X + range.lowerBound * N
                    for c in 0..<count {
                        let block = (c * lanes + range.lowerBound) * N
                        (incoming + block).update(from: x, count: width * N)
                        x.update(from: S + block, count: width * N)
                        Double.gemm(width, N, N, alpha: 1, incoming + block, N, power.baseAddress!, N, beta: 1, x, N)
                    }
                }
                parallelFor(m, minimumPerThread: 16) { range in
                    Double.gemm(range.count, Tc, N, alpha: 1, incoming + range.lowerBound * N, N, outputs.baseAddress!, Tc,
                                beta: 1, Y + range.lowerBound * Tc, Tc)
                    for i in range {
                        let row = Y + i * Tc, r = i % lanes, k0 = (first + i / lanes) * Tc
                        for t in 0..<Tc {
                            let a = at(r, k0 + t)
                            out[a] = row[t] + s.d * u[a]
                        }
                    }
                }
                segmentStart += count
            }
        } } } }
        // The remaining samples, one at a time from each lane's state.
        let start = fullChunks * Tc
        guard start < T else { return }
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: N)
        defer { scratch.deallocate() }
        for r in 0..<lanes {
            var previous = start > 0 ? u[at(r, start - 1)] : 0
            for k in start..<T {
                out[at(r, k)] = advance(s, x: X + r * N, previous: &previous, u: u[at(r, k)], scratch: scratch)
            }
        }
    }
}
