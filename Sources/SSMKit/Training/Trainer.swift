import Dispatch

// The training loop (MATH.md §8): batches → loss and analytic gradient → optimizer step →
// projection (Re λ clamp) → history and progress. A step whose loss or gradient is not finite is
// not applied: training stops with the reason and the model keeps its last good parameters.
// The progress callback can cancel; the model is then consistent (the last step completed).

/// One batch: inputs in the model's layout, and targets (regression: with an optional mask of the
/// entries that count) or labels (classification).
public struct TrainingBatch: Sendable {
    public var size: Int, L: Int
    public var inputs: [Double]
    public var targets: [Double]?
    public var mask: [Double]?
    public var labels: [Int]?
    public init(size: Int, L: Int, inputs: [Double], targets: [Double]? = nil, mask: [Double]? = nil, labels: [Int]? = nil) {
        self.size = size; self.L = L; self.inputs = inputs; self.targets = targets; self.mask = mask; self.labels = labels
    }
}

/// Where batches come from: a fixed dataset (shuffled per epoch) or a generator of fresh samples.
public protocol BatchSource {
    /// The batches of epoch `epoch` (0, 1, …), in order.
    func batches(epoch: Int) throws -> [TrainingBatch]
}

/// A model the trainer can fit: one flat parameter vector and a loss with its gradient.
public protocol TrainableModel {
    var parameters: [Double] { get }
    mutating func setParameters(_ values: [Double]) throws
    /// After each optimizer step (e.g. the Re λ ≤ 0 clamp).
    mutating func project()
    /// The loss of a batch, a metric (accuracy for classification, the loss relative to the
    /// targets' mean square for regression) and ∂loss/∂parameters.
    func lossAndGradient(_ batch: TrainingBatch) throws -> (loss: Double, metric: Double, gradient: [Double])
}

/// What the progress callback sees after every step.
public struct TrainingProgress: Sendable {
    public var epoch: Int, step: Int, totalSteps: Int
    public var loss: Double, metric: Double, gradientNorm: Double, learningRateFactor: Double
    public var seconds: Double
}

/// Why training ended.
public enum TrainingStop: Int32, Sendable {
    case completed = 0
    case cancelled = 1
    /// A loss or gradient was NaN or infinite; that step was not applied.
    case nonFinite = 2
}

/// Losses and metrics per step, the epochs' means, and why training ended.
public struct TrainingHistory: Sendable {
    public var losses: [Double] = [], metrics: [Double] = []
    public var epochLosses: [Double] = [], epochMetrics: [Double] = []
    public var stop: TrainingStop = .completed
    public var message = ""
}

/// Fits `model` for `epochs` passes over `source` with `optimizer` (its state carries over
/// between calls). `progress` is called after every step; returning false cancels.
/// Errors: `.size`/`.value` from the batches or the model (bad shapes, NaN inputs) — thrown
/// before any step of the failing batch is applied; `.value` for epochs < 1 or an empty epoch.
/// Divergence (a non-finite loss or gradient, or overflowing outputs) is not an error: training
/// stops with `.nonFinite` and the reason, keeping the last good parameters.
public func fit<Model: TrainableModel>(_ model: inout Model, optimizer: inout Optimizer, source: BatchSource, epochs: Int,
                                       progress: ((TrainingProgress) -> Bool)? = nil) throws -> TrainingHistory {
    try require(epochs >= 1, .value, "epochs must be ≥ 1, got \(epochs)")
    var history = TrainingHistory()
    let started = DispatchTime.now().uptimeNanoseconds
    var parameters = model.parameters
    try require(parameters.count == optimizer.first.count, .size,
                "the optimizer was made for \(optimizer.first.count) parameters, the model has \(parameters.count)")
    var totalSteps = 0
    for epoch in 0..<epochs {
        let batches = try source.batches(epoch: epoch)
        try require(!batches.isEmpty, .value, "epoch \(epoch) has no batches (an empty dataset?)")
        if totalSteps == 0 {
            let (steps, overflow) = batches.count.multipliedReportingOverflow(by: epochs)
            totalSteps = overflow ? Int.max : steps
        }
        var lossSum = 0.0, metricSum = 0.0
        for batch in batches {
            let loss: Double, metric: Double, gradient: [Double]
            do {
                (loss, metric, gradient) = try model.lossAndGradient(batch)
            } catch let error as SSMError where error.kind == .unstable {
                // The outputs overflowed: divergence, stopped like a non-finite loss.
                history.stop = .nonFinite
                history.message = "step \(history.losses.count): \(error.message); stopped before applying it (lower the learning rate, clip gradients, or check the data)"
                return history
            }
            guard loss.isFinite, gradient.allSatisfy(\.isFinite) else {
                history.stop = .nonFinite
                history.message = "step \(history.losses.count): the loss is \(loss)\(loss.isFinite ? " but the gradient is not finite" : ""); stopped before applying it (lower the learning rate, clip gradients, or check the data)"
                return history
            }
            let factor = optimizer.schedule.factor(optimizer.step)
            let norm = try optimizer.update(&parameters, gradient: gradient)
            try model.setParameters(parameters)
            model.project()
            parameters = model.parameters
            history.losses.append(loss); history.metrics.append(metric)
            lossSum += loss; metricSum += metric
            if let progress {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                let info = TrainingProgress(epoch: epoch, step: history.losses.count, totalSteps: totalSteps, loss: loss,
                                            metric: metric, gradientNorm: norm, learningRateFactor: factor, seconds: seconds)
                if !progress(info) {
                    history.stop = .cancelled
                    history.message = "cancelled by the progress callback after step \(history.losses.count)"
                    history.epochLosses.append(lossSum / Double(batches.count)); history.epochMetrics.append(metricSum / Double(batches.count))
                    return history
                }
            }
        }
        history.epochLosses.append(lossSum / Double(batches.count))
        history.epochMetrics.append(metricSum / Double(batches.count))
    }
    history.message = "completed \(epochs) epoch(s), \(history.losses.count) steps"
    return history
}

/// The objective of a model's outputs.
public enum Objective: Int32, Sendable {
    /// Mean squared error against `targets` (masked); metric: loss / mean square of the targets.
    case meanSquaredError = 0
    /// Softmax cross-entropy against `labels` (pooled outputs = class logits); metric: accuracy.
    case crossEntropy = 1
}

/// Loss, metric and ∂loss/∂output of outputs against a batch.
func objectiveGradient(_ objective: Objective, output: [Double], batch: TrainingBatch, classes: Int) throws
    -> (loss: Double, metric: Double, gradient: [Double]) {
    switch objective {
    case .meanSquaredError:
        guard let targets = batch.targets else { throw SSMError(.null, "a regression batch needs targets") }
        let (loss, gradient) = try meanSquaredError(output, target: targets, mask: batch.mask)
        var power = 0.0, weight = 0.0
        for i in targets.indices { let m = batch.mask?[i] ?? 1; power += m * targets[i] * targets[i]; weight += m }
        return (loss, power > 0 ? loss / (power / weight) : loss, gradient)
    case .crossEntropy:
        guard let labels = batch.labels else { throw SSMError(.null, "a classification batch needs labels") }
        let (loss, gradient, accuracy) = try crossEntropy(logits: output, labels: labels, classes: classes)
        return (loss, accuracy, gradient)
    }
}

/// A deep SSM model with its objective, fit by `fit`.
public struct DeepSSMTrainable: TrainableModel, Sendable {
    public var model: DeepSSMModel
    public var objective: Objective
    public init(model: DeepSSMModel, objective: Objective) { self.model = model; self.objective = objective }
    public var parameters: [Double] { model.parameters }
    public mutating func setParameters(_ values: [Double]) throws { try model.setParameters(values) }
    public mutating func project() { model.project() }
    public func lossAndGradient(_ batch: TrainingBatch) throws -> (loss: Double, metric: Double, gradient: [Double]) {
        let (output, cache) = try model.forward(batch: batch.size, L: batch.L, u: batch.inputs)
        let (loss, metric, gOutput) = try objectiveGradient(objective, output: output, batch: batch, classes: model.outputs)
        guard loss.isFinite else { return (loss, metric, []) }
        return (loss, metric, try model.backward(cache, gOutput: gOutput))
    }
}

/// A linear diagonal SSM layer (SISO or H channels, input and output batch×H×L) fit to targets
/// by mean squared error — the regime of "Autocorrelation Matters".
public struct DiagonalSSMTrainable: TrainableModel, Sendable {
    public var layer: DiagonalSSMLayer
    public var path: ComputationPath
    /// The precision of the sequences (parameters and gradients are float64 either way).
    public var precision: Precision
    public init(layer: DiagonalSSMLayer, path: ComputationPath = .convolution, precision: Precision = .float64) {
        self.layer = layer; self.path = path; self.precision = precision
    }
    public var parameters: [Double] { layer.values }
    public mutating func setParameters(_ values: [Double]) throws {
        try require(values.count == layer.values.count, .size, "the layer has \(layer.values.count) parameters, got \(values.count)")
        layer.values = values
    }
    public mutating func project() { layer.project() }
    public func lossAndGradient(_ batch: TrainingBatch) throws -> (loss: Double, metric: Double, gradient: [Double]) {
        switch precision {
        case .float64: return try lossAndGradient(batch, Double.self)
        case .float32: return try lossAndGradient(batch, Float.self)
        }
    }
    private func lossAndGradient<S: SequenceScalar>(_ batch: TrainingBatch, _: S.Type) throws
        -> (loss: Double, metric: Double, gradient: [Double]) {
        var (y, cache) = try layer.forward(batch: batch.size, L: batch.L, u: converted(batch.inputs) as [S], path: path)
        defer { cache.recycle(); recycle(&y) }
        let (loss, metric, gy) = try objectiveGradient(.meanSquaredError, output: doubles(y), batch: batch, classes: 1)
        guard loss.isFinite else { return (loss, metric, []) }
        return (loss, metric, try layer.backward(cache, gy: converted(gy) as [S]).parameters)
    }
    /// The outputs (batch×H×L) for u, in `precision`.
    public func forward(batch: Int, L: Int, u: [Double]) throws -> [Double] {
        switch precision {
        case .float64: return try layer.forward(batch: batch, L: L, u: u, path: path).y
        case .float32: return doubles(try layer.forward(batch: batch, L: L, u: converted(u) as [Float], path: path).y)
        }
    }
}

/// A dense SSM (trainable C̄, D̄ and optionally Ā, B̄) fit by mean squared error; inputs
/// batch×L×m, targets batch×L×p.
public struct DenseSSMTrainable: TrainableModel, Sendable {
    public var model: DenseSSMModel
    public init(model: DenseSSMModel) { self.model = model }
    public var parameters: [Double] { model.parameters }
    public mutating func setParameters(_ values: [Double]) throws { try model.setParameters(values) }
    public mutating func project() {}
    public func lossAndGradient(_ batch: TrainingBatch) throws -> (loss: Double, metric: Double, gradient: [Double]) {
        let (y, cache) = try model.forward(batch: batch.size, L: batch.L, u: batch.inputs)
        let (loss, metric, gy) = try objectiveGradient(.meanSquaredError, output: y, batch: batch, classes: 1)
        guard loss.isFinite else { return (loss, metric, []) }
        return (loss, metric, try model.backward(cache, gy: gy).parameters)
    }
}

/// Any of the trainable models, for the C and Python faces: one type with the shapes of its inputs
/// and outputs.
public enum AnyTrainableModel: TrainableModel, Sendable {
    case diagonal(DiagonalSSMTrainable)
    case deep(DeepSSMTrainable)
    case dense(DenseSSMTrainable)

    public var parameters: [Double] {
        switch self {
        case .diagonal(let m): return m.parameters
        case .deep(let m): return m.parameters
        case .dense(let m): return m.parameters
        }
    }

    public mutating func setParameters(_ values: [Double]) throws {
        switch self {
        case .diagonal(var m): try m.setParameters(values); self = .diagonal(m)
        case .deep(var m): try m.setParameters(values); self = .deep(m)
        case .dense(var m): try m.setParameters(values); self = .dense(m)
        }
    }

    public mutating func project() {
        switch self {
        case .diagonal(var m): m.project(); self = .diagonal(m)
        case .deep(var m): m.project(); self = .deep(m)
        case .dense: break
        }
    }

    public func lossAndGradient(_ batch: TrainingBatch) throws -> (loss: Double, metric: Double, gradient: [Double]) {
        switch self {
        case .diagonal(let m): return try m.lossAndGradient(batch)
        case .deep(let m): return try m.lossAndGradient(batch)
        case .dense(let m): return try m.lossAndGradient(batch)
        }
    }

    /// Entries of one example's input (per step × L, or channels × L) and output for length L.
    /// Errors: `.size` when they overflow.
    public func shapes(L: Int) throws -> (input: Int, output: Int) {
        func product(_ a: Int, _ b: Int) throws -> Int {
            let (p, overflow) = a.multipliedReportingOverflow(by: b)
            try require(!overflow && p <= Int.max / 64, .size, "\(a) × \(b) entries per example overflow")
            return p
        }
        switch self {
        case .diagonal(let m): return (try product(m.layer.H, L), try product(m.layer.H, L))
        case .deep(let m):
            let model = m.model
            return (try product(model.inputs, L), model.pooling == .none ? try product(model.outputs, L) : model.outputs)
        case .dense(let m): return (try product(m.model.m, L), try product(m.model.p, L))
        }
    }

    /// Bytes a forward and reverse pass of `batch` examples of length L allocate, about (the
    /// activations every block keeps, the scan's stored states, the dense states, the FFT rows).
    /// Errors: `.size` when the estimate overflows.
    public func workspaceBytes(batch: Int, L: Int) throws -> Int {
        func product(_ factors: Int...) throws -> Int {
            var total = 1
            for f in factors {
                let (p, overflow) = total.multipliedReportingOverflow(by: max(f, 1))
                try require(!overflow && p <= Int.max / 64, .size, "the work of a pass (\(factors)) overflows")
                total = p
            }
            return total
        }
        let rows: Int, scanStates: Int
        switch self {
        case .diagonal(let m):
            rows = try product(batch, m.layer.H)
            scanStates = m.path == .scan ? try product(rows, L / 32 + 1, m.layer.M, 16) : 0
            // u, y, gy, gu, the kernel, and the FFT rows (×4: padding to 2L, spectra).
            return try product(rows, L, 8, 12) + scanStates
        case .deep(let m):
            let d = m.model
            rows = try product(batch, max(d.H, d.inputs, d.outputs))
            scanStates = d.path == .scan ? try product(batch, d.H, L / 32 + 1, d.M, 16, max(d.depth, 1)) : 0
            // Per block: its input, s, GELU(s) and its slope, z, x̂ and the SSM layer's own (×12),
            // plus the reverse's gradients of the same size.
            return try product(rows, L, 8, 24, max(d.depth, 1)) + scanStates
        case .dense(let m):
            let d = m.model
            return try product(batch, L, d.N + d.m + d.p, 8, 4)
        }
    }

    /// The outputs for `batch` examples of length L.
    public func forward(batch: Int, L: Int, u: [Double]) throws -> [Double] {
        switch self {
        case .diagonal(let m): return try m.forward(batch: batch, L: L, u: u)
        case .deep(let m): return try m.model.forward(batch: batch, L: L, u: u).output
        case .dense(let m): return try m.model.forward(batch: batch, L: L, u: u).y
        }
    }

    /// Whether the loss uses labels (cross-entropy) rather than targets.
    public var usesLabels: Bool {
        if case .deep(let m) = self { return m.objective == .crossEntropy }
        return false
    }

    /// The SSM parameter ranges (own learning rate / no decay in s4-style groups).
    public var ssmParameterRanges: [Range<Int>] {
        switch self {
        case .diagonal(let m): return [m.layer.aRange, m.layer.bRange, m.layer.BRange, m.layer.stepRange]
        case .deep(let m): return m.model.ssmParameterRanges
        case .dense: return []
        }
    }
}
