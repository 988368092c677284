// Header section "Training": models and optimizers as opaque handles.
import ComplexModule
import CSSMKit
import SSMKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The object behind an `ssm_model_t *`.
final class ModelBox {
    var model: AnyTrainableModel
    init(_ model: AnyTrainableModel) { self.model = model }
}

/// The object behind an `ssm_optimizer_t *`.
final class OptimizerBox {
    var optimizer: Optimizer
    init(_ optimizer: Optimizer) { self.optimizer = optimizer }
}

/// A retained box as a C handle, and back.
func handle<T: AnyObject>(_ box: T) -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(box).toOpaque()) }
func box<T: AnyObject>(_ pointer: OpaquePointer?, _ name: String) throws -> T {
    Unmanaged<T>.fromOpaque(UnsafeRawPointer(try nonNull(pointer, name))).takeUnretainedValue()
}
func release<T: AnyObject>(_ pointer: OpaquePointer?, as type: T.Type) {
    guard let pointer else { return }
    Unmanaged<T>.fromOpaque(UnsafeRawPointer(pointer)).release()
}

@c @implementation
public func ssm_model_options_default(_ options: UnsafeMutablePointer<ssm_model_options_t>?) -> Int32 {
    boundary("ssm_model_options_default") {
        let options = try nonNull(options, "options")
        options.pointee = ssm_model_options_t(
            size: Int64(MemoryLayout<ssm_model_options_t>.size), kind: 0, H: 1, M: 16, inputs: 1, outputs: 1, depth: 2,
            layer_norm: 1, pooling: 0, objective: 0, real_param: 0, dt_transform: 0, path: 0, seed: 0, precision: 0)
    }
}

/// The core's Re λ parameterization for an `ssm_real_param_t`.
private func realPart(_ code: Int32) throws -> RealPartParameterization {
    switch code {
    case 0: return .direct(clamp: false)
    case 1: return .direct(clamp: true)
    case 2: return .negativeExp
    case 3: return .negativeSoftplus
    default: throw SSMError(.value, "options->real_param = \(code) is not an ssm_real_param_t (DIRECT 0 … NEG_SOFTPLUS 3)")
    }
}

@c @implementation
public func ssm_model_create(_ options: UnsafePointer<ssm_model_options_t>?, _ model: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("ssm_model_create") {
        let out = try nonNull(model, "model")
        out.pointee = nil
        // Structs from before `precision` was added (it was the last field) are accepted.
        let c = try readOptions(options, minimumSize: MemoryLayout<ssm_model_options_t>.offset(of: \.precision)!,
                                default: { var o = ssm_model_options_t(); _ = ssm_model_options_default(&o); return o },
                                name: "options")
        let real = try realPart(c.real_param)
        let precision: Precision = try enumCase(c.precision, "options->precision", "ssm_precision_t", "FLOAT64 0, FLOAT32 1")
        let step: TimescaleTransform = try enumCase(c.dt_transform, "options->dt_transform", "ssm_dt_transform_t", "EXP 0, SOFTPLUS 1")
        let path: ComputationPath = try enumCase(c.path, "options->path", "ssm_path_t", "CONVOLUTION 0, SCAN 1")
        let objective: Objective = try enumCase(c.objective, "options->objective", "ssm_objective_t", "MSE 0, CROSS_ENTROPY 1")
        let H = try size(c.H, "options->H"), M = try size(c.M, "options->M")
        switch c.kind {
        case 0:
            guard objective == .meanSquaredError else { throw SSMError(.value, "a DIAGONAL model is trained by MSE") }
            try requireWorkspace(elements: try elementCount(H, M, what: "the modes"), bytesPerElement: 64, what: "the model")
            let layer = try DiagonalSSMLayer(H: H, M: M, realPart: real, step: step)
            out.pointee = handle(ModelBox(.diagonal(DiagonalSSMTrainable(layer: layer, path: path, precision: precision))))
        case 1:
            let pooling: Pooling = try enumCase(c.pooling, "options->pooling", "ssm_pooling_t", "NONE 0, LAST 1, MEAN 2")
            guard objective == .meanSquaredError || pooling != .none else {
                throw SSMError(.value, "cross-entropy needs pooled outputs (pooling LAST or MEAN): the logits of one example")
            }
            let inputs = try size(c.inputs, "options->inputs"), outputs = try size(c.outputs, "options->outputs")
            let depth = try size(c.depth, "options->depth", minimum: 0)
            let count = try elementCount(depth + 1, H, max(H, inputs, outputs) + 6 * M + 4, what: "the parameters")
            try requireWorkspace(elements: count, bytesPerElement: 8, what: "the model")
            var deep = try DeepSSMModel(inputs: inputs, H: H, M: M, outputs: outputs, depth: depth, layerNorm: c.layer_norm != 0,
                                        pooling: pooling, realPart: real, step: step, seed: c.seed)
            deep.path = path
            deep.precision = precision
            out.pointee = handle(ModelBox(.deep(DeepSSMTrainable(model: deep, objective: objective))))
        case 2:
            throw SSMError(.value, "options->kind = DENSE: make dense models with ssm_model_create_dense")
        default:
            throw SSMError(.value, "options->kind = \(c.kind) is not an ssm_model_kind_t (DIAGONAL 0, DEEP 1, DENSE 2)")
        }
    }
}

@c @implementation
public func ssm_model_create_dense(_ N: Int64, _ m: Int64, _ p: Int64, _ Ad: UnsafePointer<Double>?, _ Bd: UnsafePointer<Double>?,
                                   _ Cd: UnsafePointer<Double>?, _ Dd: UnsafePointer<Double>?, _ train_dynamics: Int32,
                                   _ model: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("ssm_model_create_dense") {
        let out = try nonNull(model, "model")
        out.pointee = nil
        let N = try size(N, "N"), m = try size(m, "m"), p = try size(p, "p")
        let Ad = try nonNull(Ad, "Ad"), Bd = try nonNull(Bd, "Bd"), Cd = try nonNull(Cd, "Cd")
        let a = try elementCount(N, N, what: "Ad"), b = try elementCount(N, m, what: "Bd")
        let c = try elementCount(p, N, what: "Cd"), d = try elementCount(p, m, what: "Dd")
        try requireWorkspace(elements: a + b + c + d, bytesPerElement: 24, what: "the model")
        let dense = try DenseSSMModel(A: Array(UnsafeBufferPointer(start: Ad, count: a)), B: Array(UnsafeBufferPointer(start: Bd, count: b)),
                                      C: Array(UnsafeBufferPointer(start: Cd, count: c)),
                                      D: Dd.map { Array(UnsafeBufferPointer(start: $0, count: d)) } ?? [Double](repeating: 0, count: d),
                                      N: N, m: m, p: p, trainDynamics: train_dynamics != 0)
        out.pointee = handle(ModelBox(.dense(DenseSSMTrainable(model: dense))))
    }
}

@c @implementation
public func ssm_model_free(_ model: OpaquePointer?) {
    release(model, as: ModelBox.self)
}

@c @implementation
public func ssm_model_set_ssm(_ model: OpaquePointer?, _ block: Int64, _ Lambda: UnsafePointer<ssm_complex_t>?,
                              _ B: UnsafePointer<ssm_complex_t>?, _ C: UnsafePointer<ssm_complex_t>?,
                              _ D: UnsafePointer<Double>?, _ dt: UnsafePointer<Double>?) -> Int32 {
    boundary("ssm_model_set_ssm") {
        let box: ModelBox = try box(model, "model")
        let Lambda = try nonNull(Lambda, "Lambda"), B = try nonNull(B, "B"), C = try nonNull(C, "C"), dt = try nonNull(dt, "dt")
        func set(_ layer: inout DiagonalSSMLayer) throws {
            let modes = layer.H * layer.M
            func read(_ p: UnsafePointer<ssm_complex_t>) -> [Complex<Double>] {
                (0..<modes).map { Complex(p[$0].re, p[$0].im) }
            }
            try layer.set(lambda: read(Lambda), B: read(B), C: read(C),
                          D: D.map { Array(UnsafeBufferPointer(start: $0, count: layer.H)) } ?? [Double](repeating: 0, count: layer.H),
                          dt: Array(UnsafeBufferPointer(start: dt, count: layer.H)))
        }
        switch box.model {
        case .diagonal(var m):
            guard block == 0 else { throw SSMError(.size, "block = \(block): a DIAGONAL model has one layer, block 0") }
            try set(&m.layer)
            box.model = .diagonal(m)
        case .deep(var m):
            guard block >= 0 && block < Int64(m.model.depth) else {
                throw SSMError(.size, "block = \(block) is outside 0…\(m.model.depth - 1)")
            }
            try set(&m.model.ssm[Int(block)])
            box.model = .deep(m)
        case .dense:
            throw SSMError(.unsupported, "a DENSE model has no diagonal SSM layer")
        }
    }
}

@c @implementation
public func ssm_model_parameter_count(_ model: OpaquePointer?, _ count: UnsafeMutablePointer<Int64>?) -> Int32 {
    boundary("ssm_model_parameter_count") {
        let box: ModelBox = try box(model, "model")
        try nonNull(count, "count").pointee = Int64(box.model.parameters.count)
    }
}

/// Checks `count` against the model's parameter count.
private func parameterCount(_ box: ModelBox, _ count: Int64) throws -> Int {
    let n = box.model.parameters.count
    guard count == Int64(n) else { throw SSMError(.size, "count = \(count), but the model has \(n) parameters") }
    return n
}

@c @implementation
public func ssm_model_get_parameters(_ model: OpaquePointer?, _ count: Int64, _ values: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_model_get_parameters") {
        let box: ModelBox = try box(model, "model")
        let values = try nonNull(values, "values")
        let n = try parameterCount(box, count)
        let p = box.model.parameters
        values.update(from: p, count: n)
    }
}

@c @implementation
public func ssm_model_set_parameters(_ model: OpaquePointer?, _ count: Int64, _ values: UnsafePointer<Double>?) -> Int32 {
    boundary("ssm_model_set_parameters") {
        let box: ModelBox = try box(model, "model")
        let values = try nonNull(values, "values")
        let n = try parameterCount(box, count)
        let p = Array(UnsafeBufferPointer(start: values, count: n))
        if let k = p.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "values[\(k)] = \(p[k]) is not finite") }
        try box.model.setParameters(p)
        box.model.project()
    }
}

@c @implementation
public func ssm_model_shapes(_ model: OpaquePointer?, _ L: Int64, _ input_size: UnsafeMutablePointer<Int64>?,
                             _ output_size: UnsafeMutablePointer<Int64>?) -> Int32 {
    boundary("ssm_model_shapes") {
        let box: ModelBox = try box(model, "model")
        let L = try size(L, "L")
        let shapes = try box.model.shapes(L: L)
        if let input_size { input_size.pointee = Int64(shapes.input) }
        if let output_size { output_size.pointee = Int64(shapes.output) }
    }
}

/// The batch's input array after the shape and allocation checks.
private func batchInput(_ box: ModelBox, _ batch: Int64, _ L: Int64, _ u: UnsafePointer<Double>?) throws
    -> (batch: Int, L: Int, u: [Double], outputs: Int) {
    let batch = try size(batch, "batch"), L = try size(L, "L")
    let u = try nonNull(u, "u")
    let shapes = try box.model.shapes(L: L)
    let inputs = try elementCount(batch, shapes.input, what: "u"), outputs = try elementCount(batch, shapes.output, what: "y")
    // The activations every block keeps, the scan's stored states, the FFT rows.
    try requireWorkspace(elements: try box.model.workspaceBytes(batch: batch, L: L), bytesPerElement: 1, what: "the forward and reverse pass")
    return (batch, L, Array(UnsafeBufferPointer(start: u, count: inputs)), outputs)
}

@c @implementation
public func ssm_model_forward(_ model: OpaquePointer?, _ batch: Int64, _ L: Int64, _ u: UnsafePointer<Double>?,
                              _ y: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_model_forward") {
        let box: ModelBox = try box(model, "model")
        let y = try nonNull(y, "y")
        let input = try batchInput(box, batch, L, u)
        let output = try box.model.forward(batch: input.batch, L: input.L, u: input.u)
        y.update(from: output, count: input.outputs)
    }
}

@c @implementation
public func ssm_model_loss_gradient(_ model: OpaquePointer?, _ batch: Int64, _ L: Int64, _ u: UnsafePointer<Double>?,
                                    _ targets: UnsafePointer<Double>?, _ mask: UnsafePointer<Double>?,
                                    _ labels: UnsafePointer<Int64>?, _ loss: UnsafeMutablePointer<Double>?,
                                    _ metric: UnsafeMutablePointer<Double>?, _ gradient: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_model_loss_gradient") {
        let box: ModelBox = try box(model, "model")
        let input = try batchInput(box, batch, L, u)
        let trainingBatch = try makeBatch(box, input.batch, input.L, input.u, outputs: input.outputs, targets: targets,
                                          mask: mask, labels: labels)
        let (value, measure, g) = try box.model.lossAndGradient(trainingBatch)
        if let loss { loss.pointee = value }
        if let metric { metric.pointee = measure }
        if let gradient {
            guard g.count == box.model.parameters.count else {
                throw SSMError(.unstable, "the loss is \(value): no gradient")
            }
            gradient.update(from: g, count: g.count)
        }
    }
}

/// A TrainingBatch from C arrays: targets (outputs entries) and the optional mask for MSE, or
/// `batch` labels for cross-entropy.
func makeBatch(_ box: ModelBox, _ batch: Int, _ L: Int, _ u: [Double], outputs: Int, targets: UnsafePointer<Double>?,
               mask: UnsafePointer<Double>?, labels: UnsafePointer<Int64>?) throws -> TrainingBatch {
    if box.model.usesLabels {
        let labels = try nonNull(labels, "labels")
        return TrainingBatch(size: batch, L: L, inputs: u, labels: (0..<batch).map { Int(clamping: labels[$0]) })
    }
    let targets = try nonNull(targets, "targets")
    let t = Array(UnsafeBufferPointer(start: targets, count: outputs))
    let m = mask.map { Array(UnsafeBufferPointer(start: $0, count: outputs)) }
    if let m, let k = m.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
        throw SSMError(.value, "mask[\(k)] = \(m[k]) must be finite and ≥ 0")
    }
    return TrainingBatch(size: batch, L: L, inputs: u, targets: t, mask: m)
}

@c @implementation
public func ssm_optimizer_options_default(_ options: UnsafeMutablePointer<ssm_optimizer_options_t>?) -> Int32 {
    boundary("ssm_optimizer_options_default") {
        let options = try nonNull(options, "options")
        options.pointee = ssm_optimizer_options_t(
            size: Int64(MemoryLayout<ssm_optimizer_options_t>.size), rule: 2, learning_rate: 1e-3, weight_decay: 0.01,
            ssm_learning_rate: 0, ssm_weight_decay: 0, momentum: 0.9, nesterov: 0, beta1: 0.9, beta2: 0.999,
            epsilon: 1e-8, clip_norm: 0, warmup: 0, total_steps: 0, lr_floor: 0)
    }
}

@c @implementation
public func ssm_optimizer_create(_ model: OpaquePointer?, _ options: UnsafePointer<ssm_optimizer_options_t>?,
                                 _ optimizer: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("ssm_optimizer_create") {
        let out = try nonNull(optimizer, "optimizer")
        out.pointee = nil
        let box: ModelBox = try box(model, "model")
        let c = try readOptions(options, minimumSize: MemoryLayout<ssm_optimizer_options_t>.size,
                                default: { var o = ssm_optimizer_options_t(); _ = ssm_optimizer_options_default(&o); return o },
                                name: "options")
        let rule: OptimizerRule
        switch c.rule {
        case 0: rule = .sgd(momentum: c.momentum, nesterov: c.nesterov != 0)
        case 1: rule = .adam(beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon)
        case 2: rule = .adamW(beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon)
        default: throw SSMError(.value, "options->rule = \(c.rule) is not an ssm_optimizer_rule_t (SGD 0, ADAM 1, ADAMW 2)")
        }
        guard c.clip_norm == 0 || (c.clip_norm.isFinite && c.clip_norm > 0) else {
            throw SSMError(.value, "options->clip_norm = \(c.clip_norm) must be > 0 (or 0: no clipping)")
        }
        guard c.ssm_learning_rate == 0 || (c.ssm_learning_rate.isFinite && c.ssm_learning_rate > 0) else {
            throw SSMError(.value, "options->ssm_learning_rate = \(c.ssm_learning_rate) must be > 0 (or 0: learning_rate)")
        }
        guard c.warmup >= 0 && c.total_steps >= 0 && c.lr_floor.isFinite && c.lr_floor >= 0 && c.lr_floor <= 1 else {
            throw SSMError(.value, "options: warmup and total_steps must be ≥ 0 and lr_floor in [0, 1]")
        }
        let ssmRate = c.ssm_learning_rate == 0 ? c.learning_rate : c.ssm_learning_rate
        let groups = box.model.ssmParameterRanges.filter { !$0.isEmpty }.map {
            ParameterGroup(range: $0, learningRate: ssmRate, weightDecay: c.ssm_weight_decay)
        }
        let count = box.model.parameters.count
        try requireWorkspace(elements: count, bytesPerElement: 24, what: "the optimizer state")
        let optimizer = try Optimizer(count: count, rule: rule, learningRate: c.learning_rate, weightDecay: c.weight_decay,
                                      groups: groups, clipNorm: c.clip_norm > 0 ? c.clip_norm : nil,
                                      schedule: LearningRateSchedule(warmup: Int(c.warmup), total: Int(c.total_steps), floor: c.lr_floor))
        out.pointee = handle(OptimizerBox(optimizer))
    }
}

@c @implementation
public func ssm_optimizer_free(_ optimizer: OpaquePointer?) {
    release(optimizer, as: OptimizerBox.self)
}

@c @implementation
public func ssm_optimizer_step(_ optimizer: OpaquePointer?, _ model: OpaquePointer?, _ count: Int64,
                               _ gradient: UnsafePointer<Double>?, _ gradient_norm: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_optimizer_step") {
        let opt: OptimizerBox = try box(optimizer, "optimizer")
        let box: ModelBox = try box(model, "model")
        let gradient = try nonNull(gradient, "gradient")
        let n = try parameterCount(box, count)
        guard opt.optimizer.first.count == n else {
            throw SSMError(.size, "the optimizer was made for \(opt.optimizer.first.count) parameters, the model has \(n)")
        }
        var p = box.model.parameters
        let norm = try opt.optimizer.update(&p, gradient: Array(UnsafeBufferPointer(start: gradient, count: n)))
        try box.model.setParameters(p)
        box.model.project()
        if let gradient_norm { gradient_norm.pointee = norm }
    }
}

@c @implementation
public func ssm_optimizer_steps(_ optimizer: OpaquePointer?, _ steps: UnsafeMutablePointer<Int64>?) -> Int32 {
    boundary("ssm_optimizer_steps") {
        let opt: OptimizerBox = try box(optimizer, "optimizer")
        try nonNull(steps, "steps").pointee = Int64(opt.optimizer.step)
    }
}

/// The object behind an `ssm_trainer_t *`.
final class TrainerBox {
    let model: ModelBox, optimizer: OptimizerBox, data: BatchLoader
    var losses: [Double] = [], metrics: [Double] = []
    var message: UnsafeMutablePointer<CChar> = strdup("")!
    init(model: ModelBox, optimizer: OptimizerBox, data: BatchLoader) { self.model = model; self.optimizer = optimizer; self.data = data }
    deinit { free(message) }
}

@c @implementation
public func ssm_trainer_create(_ model: OpaquePointer?, _ optimizer: OpaquePointer?, _ count: Int64, _ L: Int64,
                               _ inputs: UnsafePointer<Double>?, _ targets: UnsafePointer<Double>?, _ mask: UnsafePointer<Double>?,
                               _ labels: UnsafePointer<Int64>?, _ batch_size: Int64, _ seed: UInt64,
                               _ trainer: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("ssm_trainer_create") {
        let out = try nonNull(trainer, "trainer")
        out.pointee = nil
        let modelBox: ModelBox = try box(model, "model"), optimizerBox: OptimizerBox = try box(optimizer, "optimizer")
        guard optimizerBox.optimizer.first.count == modelBox.model.parameters.count else {
            throw SSMError(.value, "the optimizer was made for \(optimizerBox.optimizer.first.count) parameters, the model has \(modelBox.model.parameters.count)")
        }
        guard count >= 1 else { throw SSMError(.value, "count = \(count): the dataset is empty") }
        let count = try size(count, "count"), L = try size(L, "L")
        guard batch_size >= 1 else { throw SSMError(.value, "batch_size = \(batch_size) must be ≥ 1") }
        let inputs = try nonNull(inputs, "inputs")
        let shapes = try modelBox.model.shapes(L: L)
        let inputCount = try elementCount(count, shapes.input, what: "inputs"), outputCount = try elementCount(count, shapes.output, what: "targets")
        try requireWorkspace(elements: inputCount + 2 * outputCount, bytesPerElement: 16, what: "the dataset copy")
        try requireWorkspace(elements: try modelBox.model.workspaceBytes(batch: Int(min(Int64(count), max(batch_size, 1))), L: L),
                             bytesPerElement: 1, what: "a training step")
        var classes = 0
        if case .deep(let m) = modelBox.model { classes = m.model.outputs }
        // Per example: shapes.input values (a multiple of L: steps × inputs or channels × L) and
        // shapes.output targets or one label; the dataset only needs the per-example sizes.
        let examples = Array(UnsafeBufferPointer(start: inputs, count: inputCount))
        let dataset: Dataset
        if modelBox.model.usesLabels {
            let labels = try nonNull(labels, "labels")
            let values = (0..<count).map { Int(clamping: labels[$0]) }
            if let k = values.firstIndex(where: { $0 < 0 || $0 >= classes }) {
                throw SSMError(.value, "labels[\(k)] = \(values[k]) is outside 0..<\(classes)")
            }
            dataset = try Dataset(inputs: examples, count: count, L: L, channels: shapes.input / L, labels: values, classes: classes)
        } else {
            let targets = try nonNull(targets, "targets")
            dataset = try Dataset(inputs: examples, count: count, L: L, channels: shapes.input / L,
                                  targets: Array(UnsafeBufferPointer(start: targets, count: outputCount)),
                                  mask: mask.map { Array(UnsafeBufferPointer(start: $0, count: outputCount)) } ?? [])
        }
        let data = try BatchLoader(dataset: dataset, batchSize: Int(min(batch_size, 1 << 40)), seed: seed)
        out.pointee = handle(TrainerBox(model: modelBox, optimizer: optimizerBox, data: data))
    }
}

@c @implementation
public func ssm_trainer_free(_ trainer: OpaquePointer?) {
    release(trainer, as: TrainerBox.self)
}

@c @implementation
public func ssm_trainer_run(_ trainer: OpaquePointer?, _ epochs: Int64, _ progress: ssm_progress_fn?,
                            _ user: UnsafeMutableRawPointer?, _ stop: UnsafeMutablePointer<Int32>?) -> Int32 {
    boundary("ssm_trainer_run") {
        let t: TrainerBox = try box(trainer, "trainer")
        guard epochs >= 1 && epochs <= 1 << 40 else { throw SSMError(.value, "epochs = \(epochs) must be ≥ 1") }
        var model = t.model.model
        var optimizer = t.optimizer.optimizer
        // Every applied step is recorded as it completes, so the history keeps the steps of a run
        // that an error ends (bad data in a later batch) as well as those of a finished one.
        let callback: (TrainingProgress) -> Bool = { info in
            t.losses.append(info.loss); t.metrics.append(info.metric)
            guard let fn = progress else { return true }
            var c = ssm_progress_t(epoch: Int64(info.epoch), step: Int64(info.step), total_steps: Int64(info.totalSteps),
                                   loss: info.loss, metric: info.metric, gradient_norm: info.gradientNorm,
                                   learning_rate_factor: info.learningRateFactor, seconds: info.seconds)
            return fn(&c, user) == 0
        }
        // The boxes take the new state whatever happens (a thrown error leaves the last good one).
        defer { t.model.model = model; t.optimizer.optimizer = optimizer }
        let history: TrainingHistory
        do {
            history = try fit(&model, optimizer: &optimizer, source: t.data, epochs: Int(epochs), progress: callback)
        } catch let error as SSMError {
            free(t.message)
            t.message = strdup("stopped by an error after \(t.losses.count) recorded step(s): \(error.message)")!
            throw error
        }
        free(t.message)
        t.message = strdup(history.message)!
        if let stop { stop.pointee = history.stop.rawValue }
    }
}

@c @implementation
public func ssm_trainer_history(_ trainer: OpaquePointer?, _ steps: UnsafeMutablePointer<Int64>?,
                                _ losses: UnsafeMutablePointer<Double>?, _ metrics: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_trainer_history") {
        let t: TrainerBox = try box(trainer, "trainer")
        try nonNull(steps, "steps").pointee = Int64(t.losses.count)
        losses?.update(from: t.losses, count: t.losses.count)
        metrics?.update(from: t.metrics, count: t.metrics.count)
    }
}

@c @implementation
public func ssm_trainer_message(_ trainer: OpaquePointer?) -> UnsafePointer<CChar>? {
    guard let trainer else { return UnsafePointer(emptyMessage) }
    let t = Unmanaged<TrainerBox>.fromOpaque(UnsafeRawPointer(trainer)).takeUnretainedValue()
    return UnsafePointer(t.message)
}

private let emptyMessage: UnsafeMutablePointer<CChar> = strdup("")!

@c @implementation
public func ssm_checkpoint_save(_ model: OpaquePointer?, _ optimizer: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    boundary("ssm_checkpoint_save") {
        let box: ModelBox = try box(model, "model")
        let path = String(cString: try nonNull(path, "path"))
        let opt: OptimizerBox? = try optimizer.map { try SSMKitC.box($0, "optimizer") }
        if let opt, opt.optimizer.first.count != box.model.parameters.count {
            throw SSMError(.size, "the optimizer was made for \(opt.optimizer.first.count) parameters, the model has \(box.model.parameters.count)")
        }
        try box.model.checkpoint(optimizer: opt?.optimizer).save(path: path)
    }
}

@c @implementation
public func ssm_checkpoint_load(_ model: OpaquePointer?, _ optimizer: OpaquePointer?, _ path: UnsafePointer<CChar>?) -> Int32 {
    boundary("ssm_checkpoint_load") {
        let box: ModelBox = try box(model, "model")
        let path = String(cString: try nonNull(path, "path"))
        let opt: OptimizerBox? = try optimizer.map { try SSMKitC.box($0, "optimizer") }
        let checkpoint = try Checkpoint.load(path: path, allocationLimit: Int(allocationLimit))
        var optimizerState = opt?.optimizer
        var model = box.model
        try model.restore(from: checkpoint, optimizer: &optimizerState)
        box.model = model
        if let opt, let optimizerState { opt.optimizer = optimizerState }
    }
}
