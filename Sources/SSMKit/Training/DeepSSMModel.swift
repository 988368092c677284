import RealModule

// A deep SSM network (S4D-style, MATH.md §8) on channel-first activations (batch × channels × L):
//   x⁰ = W_e u + b_e                                             (encoder, position-wise)
//   z^k = x^(k−1) + W_k GELU(SSM_k(x^(k−1))) + b_k,  x^k = LN_k(z^k) or z^k      (K blocks)
//   y = W_d x^K + b_d, then pooled over time: none (per step), last step, or mean
// with exact GELU, x·Φ(x), and layer norm over the channels at each step. Every map has its
// analytic reverse; the SSM layers are DiagonalSSMLayer.

/// What the model does with the decoder's outputs over time.
public enum Pooling: Int32, Sendable {
    /// One output vector per step: batch × outputs × L.
    case none = 0
    /// The last step's: batch × outputs.
    case last = 1
    /// The mean over steps: batch × outputs.
    case mean = 2
}

public struct DeepSSMModel: Sendable {
    public let inputs: Int, H: Int, M: Int, outputs: Int, depth: Int
    public let layerNorm: Bool, pooling: Pooling
    /// The SSM layer of each block.
    public var ssm: [DiagonalSSMLayer]
    /// How the SSM layers run (the convolution, or the scan: same results to round-off).
    public var path: ComputationPath = .convolution
    /// The precision of the activations (parameters and gradients are float64 either way).
    public var precision: Precision = .float64
    /// Every other parameter: encoder W (H×inputs) and b (H); per block W (H×H), b (H) and, with
    /// layer norm, γ (H) and β (H); decoder W (outputs×H) and b (outputs).
    public var dense: [Double]

    static let layerNormEpsilon = 1e-5

    /// A model with zero SSM parameters and dense weights drawn from SSMRandom(seed): uniform
    /// ±1/√fan_in (PyTorch's Linear default), biases 0, γ = 1, β = 0. Initialize the SSM layers with
    /// their `set` (any scheme of ssmkit.init).
    public init(inputs: Int, H: Int, M: Int, outputs: Int, depth: Int, layerNorm: Bool = true, pooling: Pooling = .none,
                realPart: RealPartParameterization = .direct(clamp: false), step: TimescaleTransform = .exp,
                seed: UInt64 = 0) throws {
        try require(inputs >= 1 && H >= 1 && M >= 1 && outputs >= 1 && depth >= 0, .size,
                    "inputs, H, M, outputs must be ≥ 1 and depth ≥ 0, got \(inputs), \(H), \(M), \(outputs), \(depth)")
        self.inputs = inputs; self.H = H; self.M = M; self.outputs = outputs; self.depth = depth
        self.layerNorm = layerNorm; self.pooling = pooling
        ssm = try (0..<depth).map { _ in try DiagonalSSMLayer(H: H, M: M, realPart: realPart, step: step) }
        dense = []
        var rng = SSMRandom(seed: seed)
        func linear(_ rows: Int, _ columns: Int) {
            let bound = 1 / Double(columns).squareRoot()
            dense += (0..<(rows * columns)).map { _ in (2 * rng.uniform() - 1) * bound }
            dense += [Double](repeating: 0, count: rows)
        }
        linear(H, inputs)
        for _ in 0..<depth {
            linear(H, H)
            if layerNorm { dense += [Double](repeating: 1, count: H) + [Double](repeating: 0, count: H) }
        }
        linear(outputs, H)
    }

    // MARK: layout of `dense`

    var blockSize: Int { H * H + H + (layerNorm ? 2 * H : 0) }
    var encoderWeight: Int { 0 }
    var encoderBias: Int { H * inputs }
    func blockWeight(_ k: Int) -> Int { H * inputs + H + k * blockSize }
    func blockBias(_ k: Int) -> Int { blockWeight(k) + H * H }
    func blockGamma(_ k: Int) -> Int { blockBias(k) + H }
    func blockBeta(_ k: Int) -> Int { blockGamma(k) + H }
    var decoderWeight: Int { H * inputs + H + depth * blockSize }
    var decoderBias: Int { decoderWeight + outputs * H }

    // MARK: one flat vector for optimizers

    /// Every parameter: the SSM layers' `values` in block order, then `dense`.
    public var parameters: [Double] { ssm.flatMap(\.values) + dense }

    public mutating func setParameters(_ p: [Double]) throws {
        try require(p.count == parameterCount, .size, "the model has \(parameterCount) parameters, got \(p.count)")
        var offset = 0
        for k in ssm.indices {
            let n = ssm[k].values.count
            ssm[k].values = Array(p[offset..<(offset + n)]); offset += n
        }
        dense = Array(p[offset...])
    }

    public var parameterCount: Int { ssm.reduce(0) { $0 + $1.values.count } + dense.count }

    /// The ranges of `parameters` holding the SSM layers' λ, B and Δ parameters (s4/S5 give them
    /// their own learning rate and no weight decay); C and D stay with the rest.
    public var ssmParameterRanges: [Range<Int>] {
        var ranges = [Range<Int>](), offset = 0
        for layer in ssm {
            for r in [layer.aRange, layer.bRange, layer.BRange, layer.stepRange] { ranges.append((offset + r.lowerBound)..<(offset + r.upperBound)) }
            offset += layer.values.count
        }
        return ranges
    }

    /// After an optimizer step: each layer's Re λ clamp.
    public mutating func project() { for k in ssm.indices { ssm[k].project() } }

    // MARK: forward

    /// What the reverse needs from a forward pass (the activations, in the model's precision).
    public struct Cache: Sendable {
        let batch: Int, L: Int
        fileprivate var float64: Activations<Double>?
        fileprivate var float32: Activations<Float>?
    }

    /// The outputs (batch × outputs × L, or batch × outputs when pooled) for u (batch × inputs × L),
    /// computed in `precision`.
    public func forward(batch: Int, L: Int, u: [Double]) throws -> (output: [Double], cache: Cache) {
        try require(batch >= 1 && L >= 1 && u.count == batch * inputs * L, .size,
                    "u must have batch×inputs×L = \(batch)×\(inputs)×\(L) entries, got \(u.count)")
        if let k = u.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "u[\(k)] is not finite") }
        if let k = dense.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "dense parameter \(k) is not finite") }
        var cache = Cache(batch: batch, L: L)
        let y: [Double]
        switch precision {
        case .float64:
            let (output, activations) = try run(batch: batch, L: L, u: u)
            cache.float64 = activations; y = output
        case .float32:
            let (output, activations) = try run(batch: batch, L: L, u: converted(u) as [Float])
            cache.float32 = activations; y = doubles(output)
        }
        return (pool(batch: batch, L: L, y), cache)
    }

    /// The forward pass in S: the decoder's outputs (batch × outputs × L) and the activations.
    private func run<S: SequenceScalar>(batch: Int, L: Int, u: [S]) throws -> ([S], Activations<S>) {
        let weights: [S] = converted(dense)
        var kept = Activations(input: u)
        var x = affine(batch: batch, L: L, rows: H, columns: inputs, weights, weight: encoderWeight, bias: encoderBias, x: u)
        for k in 0..<depth {
            if let i = x.withUnsafeBufferPointer(firstNonFinite) {
                throw SSMError(.unstable, "the input of block \(k) is \(x[i]) at entry \(i): the activations overflow")
            }
            let (s, ssmCache) = try ssm[k].forward(batch: batch, L: L, u: x, path: path)
            kept.ssmCaches.append(ssmCache)
            var activation: [S] = unsetArray(s.count), slope: [S] = unsetArray(s.count)
            activation.withUnsafeMutableBufferPointer { ap in
                slope.withUnsafeMutableBufferPointer { sp in
                    s.withUnsafeBufferPointer { sv in
                        let a = ap.baseAddress!, g = sp.baseAddress!, v = sv.baseAddress!
                        geluAndSlope(v, count: s.count, activation: a, slope: g)
                    }
                }
            }
            kept.activations.append(activation); kept.activationSlopes.append(slope)
            // z = x + W·GELU(s) + b.
            let z = affine(batch: batch, L: L, rows: H, columns: H, weights, weight: blockWeight(k), bias: blockBias(k),
                           x: activation, residual: x)
            if layerNorm {
                var z = z
                defer { recycle(&z) }
                let (xHat, inverse, output) = normalize(batch: batch, L: L, z, weights, gamma: blockGamma(k), beta: blockBeta(k))
                kept.normalized.append(xHat); kept.inverseDeviations.append(inverse)
                x = output
            } else {
                x = z
            }
        }
        kept.last = x
        let y = affine(batch: batch, L: L, rows: outputs, columns: H, weights, weight: decoderWeight, bias: decoderBias, x: x)
        if let k = y.withUnsafeBufferPointer(firstNonFinite) {
            throw SSMError(.unstable, "output \(k) is \(y[k]): the activations overflow")
        }
        return (y, kept)
    }

    /// W·X[b] + bias (+ residual[b]) for each batch element (channel-first), W rows×columns at
    /// `weight` in `weights`; batch elements split across threads.
    private func affine<S: SequenceScalar>(batch: Int, L: Int, rows: Int, columns: Int, _ weights: [S], weight: Int, bias: Int,
                                           x: [S], residual: [S]? = nil) -> [S] {
        var y: [S] = unsetArray(batch * rows * L)   // written in full: bias (+ residual), then the product
        let base = residual ?? []
        weights.withUnsafeBufferPointer { d in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    base.withUnsafeBufferPointer { rp in
                    // (An empty array may still have a base address: test `residual`, not the pointer.)
                    let out = yp.baseAddress!, w = d.baseAddress!, before = residual == nil ? nil : rp.baseAddress
                    parallelFor(batch) { range in
                        for b in range {
                            for r in 0..<rows {
                                let offset = (b * rows + r) * L, row = out + offset, v = w[bias + r]
                                if let before { for l in 0..<L { row[l] = before[offset + l] + v } } else { for l in 0..<L { row[l] = v } }
                            }
                            S.matrixProduct(transposeA: false, transposeB: false, rows, L, columns, alpha: 1, w + weight, columns,
                                            xp.baseAddress! + b * columns * L, L, beta: 1, out + b * rows * L, L)
                        }
                    }
                    }
                }
            }
        }
        return y
    }

    /// Layer norm over the channels at each (b, l): x̂ = (z − μ)/√(σ² + ε), 1/√(σ² + ε) per (b, l),
    /// and the output γ·x̂ + β. Loops run along l (contiguous) with the channel outside, so they
    /// vectorize; batch elements split across threads.
    private func normalize<S: SequenceScalar>(batch: Int, L: Int, _ z: [S], _ weights: [S], gamma: Int, beta: Int)
        -> (xHat: [S], inverse: [S], output: [S]) {
        var xHat: [S] = unsetArray(z.count), inverse: [S] = unsetArray(batch * L), output: [S] = unsetArray(z.count)
        let H = self.H, epsilon = S(Self.layerNormEpsilon)
        z.withUnsafeBufferPointer { zp in
            xHat.withUnsafeMutableBufferPointer { xp in
                inverse.withUnsafeMutableBufferPointer { ip in
                    output.withUnsafeMutableBufferPointer { op in
                        weights.withUnsafeBufferPointer { wp in
                            let z = zp.baseAddress!, xHat = xp.baseAddress!, inverse = ip.baseAddress!, out = op.baseAddress!
                            let w = wp.baseAddress!
                            parallelFor(batch) { range in
                                // Per-thread sums over the channels at each step (raw buffers: array
                                // accesses' checks kept these loops from vectorizing).
                                let mean = UnsafeMutablePointer<S>.allocate(capacity: 2 * L), variance = mean + L
                                defer { mean.deallocate() }
                                for b in range {
                                    for l in 0..<L { mean[l] = 0; variance[l] = 0 }
                                    for h in 0..<H { let row = z + (b * H + h) * L; for l in 0..<L { mean[l] += row[l] } }
                                    for l in 0..<L { mean[l] /= S(H) }
                                    for h in 0..<H {
                                        let row = z + (b * H + h) * L
                                        for l in 0..<L { let d = row[l] - mean[l]; variance[l] += d * d }
                                    }
                                    let inv = inverse + b * L
                                    for l in 0..<L { inv[l] = 1 / (variance[l] / S(H) + epsilon).squareRoot() }
                                    for h in 0..<H {
                                        let offset = (b * H + h) * L, g = w[gamma + h], c = w[beta + h]
                                        for l in 0..<L {
                                            let v = (z[offset + l] - mean[l]) * inv[l]
                                            xHat[offset + l] = v; out[offset + l] = g * v + c
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (xHat, inverse, output)
    }

    private func pool(batch: Int, L: Int, _ y: [Double]) -> [Double] {
        switch pooling {
        case .none: return y
        case .last: return (0..<(batch * outputs)).map { y[$0 * L + L - 1] }
        case .mean: return (0..<(batch * outputs)).map { i in (0..<L).reduce(0) { $0 + y[i * L + $1] } / Double(L) }
        }
    }

    // MARK: reverse

    /// ∂L/∂parameters (the layout of `parameters`) from ∂L/∂output of the pass that made `cache`.
    public func backward(_ cache: Cache, gOutput: [Double]) throws -> [Double] {
        let batch = cache.batch, L = cache.L
        let expected = pooling == .none ? batch * outputs * L : batch * outputs
        try require(gOutput.count == expected, .size, "the output gradient needs \(expected) entries, got \(gOutput.count)")
        // Un-pool.
        var gy = [Double](repeating: 0, count: batch * outputs * L)
        switch pooling {
        case .none: gy = gOutput
        case .last: for i in 0..<(batch * outputs) { gy[i * L + L - 1] = gOutput[i] }
        case .mean: for i in 0..<(batch * outputs) { for l in 0..<L { gy[i * L + l] = gOutput[i] / Double(L) } }
        }
        // After the reverse, the activations go back to the pool for the next step (`recycle`).
        if var kept = cache.float64 {
            defer { kept.recycle() }
            return try reverse(kept, batch: batch, L: L, gy: gy)
        }
        if var kept = cache.float32 {
            defer { kept.recycle() }
            return try reverse(kept, batch: batch, L: L, gy: converted(gy) as [Float])
        }
        throw SSMError(.value, "the cache holds no activations")
    }

    /// The reverse pass in S from ∂L/∂y (batch × outputs × L).
    private func reverse<S: SequenceScalar>(_ kept: Activations<S>, batch: Int, L: Int, gy: [S]) throws -> [Double] {
        let weights: [S] = converted(dense)
        var gDense = [Double](repeating: 0, count: dense.count)
        var gx = affineBackward(batch: batch, L: L, rows: outputs, columns: H, weights, weight: decoderWeight, bias: decoderBias,
                                x: kept.last, gy: gy, into: &gDense)
        var gSSM = [[Double]](repeating: [], count: depth)
        for k in stride(from: depth - 1, through: 0, by: -1) {
            // gz is the only reference to its storage (gx is emptied), so the residual's sum is in place.
            var gz: [S]
            if layerNorm {
                gz = normalizeBackward(batch: batch, L: L, k, kept, weights, gx: gx, into: &gDense)
                recycle(&gx)
            } else {
                gz = gx; gx = []
            }
            // z = x + W·GELU(s) + b, s = SSM(x).
            var ga = affineBackward(batch: batch, L: L, rows: H, columns: H, weights, weight: blockWeight(k), bias: blockBias(k),
                                    x: kept.activations[k], gy: gz, into: &gDense)
            multiply(&ga, by: kept.activationSlopes[k])
            var (gLayer, gInput) = try ssm[k].backward(kept.ssmCaches[k], gy: ga, inputGradient: true)
            recycle(&ga)
            gSSM[k] = gLayer
            add(gInput!, to: &gz)
            recycle(&gInput!)
            gx = gz; gz = []
        }
        _ = affineBackward(batch: batch, L: L, rows: H, columns: inputs, weights, weight: encoderWeight, bias: encoderBias,
                           x: kept.input, gy: gx, into: &gDense, inputGradient: false)
        recycle(&gx)
        return gSSM.flatMap { $0 } + gDense
    }

    /// The reverse of block k's layer norm: ∂z from ∂x; adds ∂γ and ∂β to `gDense`.
    private func normalizeBackward<S: SequenceScalar>(batch: Int, L: Int, _ k: Int, _ kept: Activations<S>, _ weights: [S],
                                                      gx: [S], into gDense: inout [Double]) -> [S] {
        let H = self.H, gamma = blockGamma(k)
        var gz: [S] = unsetArray(gx.count)
        // Per batch element: Σ_l g·x̂ and Σ_l g per channel (∂γ, ∂β), summed afterwards.
        var partial = [Double](repeating: 0, count: batch * 2 * H)
        kept.normalized[k].withUnsafeBufferPointer { xp in
            kept.inverseDeviations[k].withUnsafeBufferPointer { ip in
                gx.withUnsafeBufferPointer { gp in
                    gz.withUnsafeMutableBufferPointer { zp in
                        partial.withUnsafeMutableBufferPointer { pp in
                            weights.withUnsafeBufferPointer { wp in
                                let xHat = xp.baseAddress!, inverse = ip.baseAddress!, g = gp.baseAddress!, out = zp.baseAddress!
                                let sums = pp.baseAddress!, w = wp.baseAddress!
                                parallelFor(batch) { range in
                                    let mean1 = UnsafeMutablePointer<S>.allocate(capacity: 2 * L), mean2 = mean1 + L
                                    defer { mean1.deallocate() }
                                    for b in range {
                                        for l in 0..<L { mean1[l] = 0; mean2[l] = 0 }
                                        for h in 0..<H {
                                            let row = (b * H + h) * L, c = w[gamma + h]
                                            for l in 0..<L {
                                                let gv = g[row + l] * c
                                                mean1[l] += gv; mean2[l] += gv * xHat[row + l]
                                            }
                                            sums[(b * 2 + 0) * H + h] = dot(g + row, xHat + row, L)
                                            sums[(b * 2 + 1) * H + h] = sum(g + row, L)
                                        }
                                        let scale = 1 / S(H)
                                        for h in 0..<H {
                                            let row = (b * H + h) * L, c = w[gamma + h]
                                            for l in 0..<L {
                                                out[row + l] = inverse[b * L + l]
                                                    * (g[row + l] * c - mean1[l] * scale - xHat[row + l] * mean2[l] * scale)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for b in 0..<batch {
            for h in 0..<H {
                gDense[gamma + h] += partial[(b * 2 + 0) * H + h]
                gDense[blockBeta(k) + h] += partial[(b * 2 + 1) * H + h]
            }
        }
        return gz
    }

    /// The reverse of `affine`: adds ∂W = Σ_b GY[b]·X[b]ᵀ and ∂bias to `gDense`; returns Wᵀ·GY[b].
    /// Each thread sums its batch range into a private ∂W and bias sum, added afterwards.
    private func affineBackward<S: SequenceScalar>(batch: Int, L: Int, rows: Int, columns: Int, _ weights: [S], weight: Int,
                                                   bias: Int, x: [S], gy: [S], into gDense: inout [Double],
                                                   inputGradient: Bool = true) -> [S] {
        var gx: [S] = unsetArray(inputGradient ? batch * columns * L : 0)   // written by the product (β = 0)
        let slots = min(threadCount, batch), chunk = (batch + slots - 1) / slots
        var partial = [S](repeating: 0, count: slots * rows * columns)
        var biasSums = [Double](repeating: 0, count: slots * rows)
        weights.withUnsafeBufferPointer { d in
            x.withUnsafeBufferPointer { xp in
                gy.withUnsafeBufferPointer { gp in
                    gx.withUnsafeMutableBufferPointer { gxp in
                        partial.withUnsafeMutableBufferPointer { pp in
                            biasSums.withUnsafeMutableBufferPointer { bp in
                                let gxOut = gxp.baseAddress, pBase = pp.baseAddress!, sums = bp.baseAddress!, g = gp.baseAddress!
                                parallelFor(slots) { threads in
                                    for t in threads {
                                        for b in (t * chunk)..<min(batch, (t + 1) * chunk) {
                                            for r in 0..<rows { sums[t * rows + r] += sum(g + (b * rows + r) * L, L) }
                                            S.matrixProduct(transposeA: false, transposeB: true, rows, columns, L, alpha: 1,
                                                            g + b * rows * L, L, xp.baseAddress! + b * columns * L, L,
                                                            beta: 1, pBase + t * rows * columns, columns)
                                            if inputGradient {
                                                S.matrixProduct(transposeA: true, transposeB: false, columns, L, rows, alpha: 1,
                                                                d.baseAddress! + weight, columns, g + b * rows * L, L,
                                                                beta: 0, gxOut! + b * columns * L, L)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for t in 0..<slots {
            for i in 0..<(rows * columns) { gDense[weight + i] += partial[t * rows * columns + i].doubleValue }
            for r in 0..<rows { gDense[bias + r] += biasSums[t * rows + r] }
        }
        return gx
    }
}

/// The activations of a forward pass in S.
private struct Activations<S: SequenceScalar>: Sendable {
    let input: [S]
    /// Per block: the SSM layer's cache, GELU(s) and its derivative Φ(s) + s·φ(s) (evaluated once
    /// in the forward pass), and (layer norm) x̂ and 1/σ per step.
    var ssmCaches: [DiagonalSSMLayer.Cache<S>] = []
    var activations: [[S]] = [], activationSlopes: [[S]] = []
    var normalized: [[S]] = [], inverseDeviations: [[S]] = []
    /// The last block's output (the decoder's input).
    var last: [S] = []

    /// Gives every array to the pool (`recycle`); the activations are then empty.
    mutating func recycle() {
        for k in ssmCaches.indices { ssmCaches[k].recycle() }
        for k in activations.indices { SSMKit.recycle(&activations[k]); SSMKit.recycle(&activationSlopes[k]) }
        for k in normalized.indices { SSMKit.recycle(&normalized[k]); SSMKit.recycle(&inverseDeviations[k]) }
        SSMKit.recycle(&last)
    }
}
