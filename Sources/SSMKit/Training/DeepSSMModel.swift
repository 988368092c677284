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

    /// What the reverse needs from a forward pass.
    public struct Cache: Sendable {
        let batch: Int, L: Int
        let input: [Double]
        /// Per block: the SSM layer's cache, and (layer norm) x̂ and 1/σ per step.
        var ssmCaches: [DiagonalSSMLayer.Cache] = []
        /// Per block: GELU(s) and its derivative Φ(s) + s·φ(s), evaluated once in the forward pass.
        var activations: [[Double]] = [], activationSlopes: [[Double]] = []
        var normalized: [[Double]] = [], inverseDeviations: [[Double]] = []
        var last: [Double] = []
    }

    /// The outputs (batch × outputs × L, or batch × outputs when pooled) for u (batch × inputs × L).
    public func forward(batch: Int, L: Int, u: [Double]) throws -> (output: [Double], cache: Cache) {
        try require(batch >= 1 && L >= 1 && u.count == batch * inputs * L, .size,
                    "u must have batch×inputs×L = \(batch)×\(inputs)×\(L) entries, got \(u.count)")
        if let k = u.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "u[\(k)] is not finite") }
        if let k = dense.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "dense parameter \(k) is not finite") }
        var cache = Cache(batch: batch, L: L, input: u)
        var x = affine(batch: batch, L: L, rows: H, columns: inputs, weight: encoderWeight, bias: encoderBias, x: u)
        for k in 0..<depth {
            if let i = x.firstIndex(where: { !$0.isFinite }) {
                throw SSMError(.unstable, "the input of block \(k) is \(x[i]) at entry \(i): the activations overflow")
            }
            let (s, ssmCache) = try ssm[k].forward(batch: batch, L: L, u: x, path: path)
            cache.ssmCaches.append(ssmCache)
            var activation = [Double](repeating: 0, count: s.count), slope = activation
            activation.withUnsafeMutableBufferPointer { ap in
                slope.withUnsafeMutableBufferPointer { sp in
                    s.withUnsafeBufferPointer { sv in
                        let a = ap.baseAddress!, g = sp.baseAddress!, v = sv.baseAddress!
                        parallelFor(batch) { range in
                            for i in (range.lowerBound * H * L)..<(range.upperBound * H * L) { (a[i], g[i]) = geluAndSlope(v[i]) }
                        }
                    }
                }
            }
            cache.activations.append(activation); cache.activationSlopes.append(slope)
            var z = affine(batch: batch, L: L, rows: H, columns: H, weight: blockWeight(k), bias: blockBias(k), x: activation)
            for i in z.indices { z[i] += x[i] }
            if layerNorm {
                let (xHat, inverse) = normalize(batch: batch, L: L, z)
                cache.normalized.append(xHat); cache.inverseDeviations.append(inverse)
                x = xHat
                for b in 0..<batch {
                    for h in 0..<H {
                        let row = (b * H + h) * L, gamma = dense[blockGamma(k) + h], beta = dense[blockBeta(k) + h]
                        for l in 0..<L { x[row + l] = gamma * xHat[row + l] + beta }
                    }
                }
            } else {
                x = z
            }
        }
        cache.last = x
        let y = affine(batch: batch, L: L, rows: outputs, columns: H, weight: decoderWeight, bias: decoderBias, x: x)
        if let k = y.firstIndex(where: { !$0.isFinite }) {
            throw SSMError(.unstable, "output \(k) is \(y[k]): the activations overflow")
        }
        return (pool(batch: batch, L: L, y), cache)
    }

    /// W·X[b] + bias for each batch element (channel-first), W rows×columns at `weight` in `dense`.
    private func affine(batch: Int, L: Int, rows: Int, columns: Int, weight: Int, bias: Int, x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: batch * rows * L)
        for b in 0..<batch {
            for r in 0..<rows { for l in 0..<L { y[(b * rows + r) * L + l] = dense[bias + r] } }
        }
        dense.withUnsafeBufferPointer { d in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    let out = yp.baseAddress!
                    parallelFor(batch) { range in
                        for b in range {
                            Double.matrixProduct(transposeA: false, transposeB: false, rows, L, columns, alpha: 1,
                                                 d.baseAddress! + weight, columns, xp.baseAddress! + b * columns * L, L,
                                                 beta: 1, out + b * rows * L, L)
                        }
                    }
                }
            }
        }
        return y
    }

    /// x̂ = (z − μ)/√(σ² + ε) over the channels at each (b, l), and 1/√(σ² + ε) per (b, l).
    /// Loops run along l (contiguous) with the channel outside, so they vectorize.
    private func normalize(batch: Int, L: Int, _ z: [Double]) -> ([Double], [Double]) {
        var xHat = z, inverse = [Double](repeating: 0, count: batch * L)
        let H = self.H
        z.withUnsafeBufferPointer { zp in
            xHat.withUnsafeMutableBufferPointer { xp in
                inverse.withUnsafeMutableBufferPointer { ip in
                    let z = zp.baseAddress!, xHat = xp.baseAddress!, inverse = ip.baseAddress!
                    // Batch elements are independent: split across threads, each with its own sums.
                    parallelFor(batch) { range in
                        var mean = [Double](repeating: 0, count: L), variance = mean
                        for b in range {
                            for l in 0..<L { mean[l] = 0; variance[l] = 0 }
                            for h in 0..<H { let row = (b * H + h) * L; for l in 0..<L { mean[l] += z[row + l] } }
                            for l in 0..<L { mean[l] /= Double(H) }
                            for h in 0..<H {
                                let row = (b * H + h) * L
                                for l in 0..<L { let d = z[row + l] - mean[l]; variance[l] += d * d }
                            }
                            for l in 0..<L { inverse[b * L + l] = 1 / (variance[l] / Double(H) + Self.layerNormEpsilon).squareRoot() }
                            for h in 0..<H {
                                let row = (b * H + h) * L
                                for l in 0..<L { xHat[row + l] = (z[row + l] - mean[l]) * inverse[b * L + l] }
                            }
                        }
                    }
                }
            }
        }
        return (xHat, inverse)
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
        var gDense = [Double](repeating: 0, count: dense.count)
        // Un-pool.
        var gy = [Double](repeating: 0, count: batch * outputs * L)
        switch pooling {
        case .none: gy = gOutput
        case .last: for i in 0..<(batch * outputs) { gy[i * L + L - 1] = gOutput[i] }
        case .mean: for i in 0..<(batch * outputs) { for l in 0..<L { gy[i * L + l] = gOutput[i] / Double(L) } }
        }
        var gx = affineBackward(batch: batch, L: L, rows: outputs, columns: H, weight: decoderWeight, bias: decoderBias,
                                x: cache.last, gy: gy, into: &gDense)
        var gSSM = [[Double]](repeating: [], count: depth)
        for k in stride(from: depth - 1, through: 0, by: -1) {
            var gz = gx
            if layerNorm {
                let xHat = cache.normalized[k], inverse = cache.inverseDeviations[k]
                gz = [Double](repeating: 0, count: gx.count)
                var mean1 = [Double](repeating: 0, count: L), mean2 = mean1
                for b in 0..<batch {
                    for l in 0..<L { mean1[l] = 0; mean2[l] = 0 }
                    for h in 0..<H {
                        let row = (b * H + h) * L, gamma = dense[blockGamma(k) + h]
                        var gGamma = 0.0, gBeta = 0.0
                        for l in 0..<L {
                            let g = gx[row + l]
                            gGamma += g * xHat[row + l]; gBeta += g
                            mean1[l] += g * gamma; mean2[l] += g * gamma * xHat[row + l]
                        }
                        gDense[blockGamma(k) + h] += gGamma; gDense[blockBeta(k) + h] += gBeta
                    }
                    for h in 0..<H {
                        let row = (b * H + h) * L, gamma = dense[blockGamma(k) + h]
                        for l in 0..<L {
                            gz[row + l] = inverse[b * L + l] * (gx[row + l] * gamma - mean1[l] / Double(H) - xHat[row + l] * mean2[l] / Double(H))
                        }
                    }
                }
            }
            // z = x + W·GELU(s) + b, s = SSM(x).
            var ga = affineBackward(batch: batch, L: L, rows: H, columns: H, weight: blockWeight(k), bias: blockBias(k),
                                    x: cache.activations[k], gy: gz, into: &gDense)
            let slope = cache.activationSlopes[k]
            for i in ga.indices { ga[i] *= slope[i] }
            let (gLayer, gInput) = try ssm[k].backward(cache.ssmCaches[k], gy: ga, inputGradient: true)
            gSSM[k] = gLayer
            gx = gz
            for i in gx.indices { gx[i] += gInput![i] }
        }
        _ = affineBackward(batch: batch, L: L, rows: H, columns: inputs, weight: encoderWeight, bias: encoderBias,
                           x: cache.input, gy: gx, into: &gDense, inputGradient: false)
        return gSSM.flatMap { $0 } + gDense
    }

    /// The reverse of `affine`: adds ∂W = Σ_b GY[b]·X[b]ᵀ and ∂bias to `gDense`; returns Wᵀ·GY[b].
    private func affineBackward(batch: Int, L: Int, rows: Int, columns: Int, weight: Int, bias: Int, x: [Double],
                                gy: [Double], into gDense: inout [Double], inputGradient: Bool = true) -> [Double] {
        var gx = [Double](repeating: 0, count: inputGradient ? batch * columns * L : 0)
        for b in 0..<batch {
            for r in 0..<rows {
                var s = 0.0
                for l in 0..<L { s += gy[(b * rows + r) * L + l] }
                gDense[bias + r] += s
            }
        }
        dense.withUnsafeBufferPointer { d in
            x.withUnsafeBufferPointer { xp in
                gy.withUnsafeBufferPointer { gp in
                    gDense.withUnsafeMutableBufferPointer { gd in
                        gx.withUnsafeMutableBufferPointer { gxp in
                            // ∂W as one product over all batch elements: GY (rows × b·L) against X, both
                            // read batch by batch through a transposed view is not contiguous, so each
                            // thread sums its own batch range into a private ∂W, added afterwards.
                            let slots = min(threadCount, batch)
                            var partial = [Double](repeating: 0, count: slots * rows * columns)
                            let gxOut = gxp.baseAddress
                            partial.withUnsafeMutableBufferPointer { pp in
                                let pBase = pp.baseAddress!
                                let chunk = (batch + slots - 1) / slots
                                parallelFor(slots) { threads in
                                    for t in threads {
                                        for b in (t * chunk)..<min(batch, (t + 1) * chunk) {
                                            Double.matrixProduct(transposeA: false, transposeB: true, rows, columns, L, alpha: 1,
                                                                 gp.baseAddress! + b * rows * L, L, xp.baseAddress! + b * columns * L, L,
                                                                 beta: 1, pBase + t * rows * columns, columns)
                                            if inputGradient {
                                                Double.matrixProduct(transposeA: true, transposeB: false, columns, L, rows, alpha: 1,
                                                                     d.baseAddress! + weight, columns, gp.baseAddress! + b * rows * L, L,
                                                                     beta: 0, gxOut! + b * columns * L, L)
                                            }
                                        }
                                    }
                                }
                            }
                            for t in 0..<slots {
                                for i in 0..<(rows * columns) { gd[weight + i] += partial[t * rows * columns + i] }
                            }
                        }
                    }
                }
            }
        }
        return gx
    }
}

/// GELU(x) = x·Φ(x), exact (PyTorch's default), and its derivative Φ(x) + x·φ(x), with
/// Φ(x) = erfc(−x/√2)/2 and φ the standard normal density: one erfc and one exp.
@inline(__always)
func geluAndSlope(_ x: Double) -> (Double, Double) {
    let cdf = 0.5 * Double.erfc(-x * 0.70710678118654752440)
    let density = Double.exp(-0.5 * x * x) * 0.39894228040143267794
    return (x * cdf, cdf + x * density)
}
