// Training checkpoints as safetensors files: named parameter blocks, the optimizer's moments and
// step count, and string metadata (format version, model kind, model configuration,
// hyperparameters). A model is a list of (name, shape, values) blocks, so a deep model with many
// layers fits as it is; the optimizer runs over the blocks concatenated in order.
//
// File layout (readable by NumPy and the safetensors package without SSMKit):
//   tensors   "parameters.<block>" F64 (the block's shape), "optimizer.first" F64 [n],
//             "optimizer.second" F64 [n], "optimizer.step" I64 [] (the last three only with an optimizer)
//   metadata  "ssmkit.format" = "checkpoint", "ssmkit.format_version" = "1", "ssmkit.model_kind",
//             "ssmkit.optimizer.rule" = "sgd" | "adam" | "adamw", "config.<key>", "hp.<key>"

/// One named block of model parameters: a flat Float64 vector with a row-major shape.
public struct CheckpointBlock: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    public let values: [Double]

    /// Errors: `.value` (empty name), `.size` (values.count is not the product of shape).
    public init(name: String, shape: [Int], values: [Double]) throws {
        try require(!name.isEmpty, .value, "a parameter block needs a name")
        let count = try safetensorsElementCount(shape, dtype: .f64, name: name)
        try require(values.count == count, .size, "parameter block \"\(name)\": shape \(shape) needs \(count) values, got \(values.count)")
        self.name = name; self.shape = shape; self.values = values
    }
}

/// What a checkpoint keeps of an `Optimizer`: its rule's name, step count and moments (over the
/// parameter blocks concatenated in order).
public struct OptimizerState: Sendable, Equatable {
    /// "sgd", "adam" or "adamw".
    public var rule: String
    public var step: Int
    public var first: [Double], second: [Double]

    public init(rule: String, step: Int, first: [Double], second: [Double]) {
        self.rule = rule; self.step = step; self.first = first; self.second = second
    }
}

/// A training checkpoint: everything needed to continue training where it stopped.
public struct Checkpoint: Sendable, Equatable {
    /// The layout version written; files of a newer version are refused with `.unsupported`.
    public static let formatVersion = 1

    /// What the parameters belong to (for example "diagonal_ssm_layer").
    public var modelKind: String
    /// The parameter blocks, in the order the optimizer sees them concatenated.
    public var parameters: [CheckpointBlock]
    public var optimizer: OptimizerState?
    /// What is needed to rebuild the model (sizes, parameterizations), as strings.
    public var configuration: [String: String]
    /// Training settings kept for the record (learning rate, seed, ...), as strings.
    public var hyperparameters: [String: String]

    /// Errors: `.value` (empty model kind, two blocks with one name, a bad optimizer state),
    /// `.size` (optimizer moments not as long as all blocks together).
    public init(modelKind: String, parameters: [CheckpointBlock], optimizer: OptimizerState? = nil,
                configuration: [String: String] = [:], hyperparameters: [String: String] = [:]) throws {
        try require(!modelKind.isEmpty, .value, "the model kind must not be empty")
        var names = Set<String>()
        for block in parameters {
            try require(names.insert(block.name).inserted, .value, "two parameter blocks are called \"\(block.name)\"")
        }
        if let optimizer {
            let total = parameters.reduce(0) { $0 + $1.values.count }
            try checkOptimizerState(optimizer, count: total)
        }
        self.modelKind = modelKind; self.parameters = parameters; self.optimizer = optimizer
        self.configuration = configuration; self.hyperparameters = hyperparameters
    }

    /// All parameter values concatenated in block order (the vector an `Optimizer` updates).
    public var values: [Double] { parameters.flatMap(\.values) }

    /// The concatenated values of the blocks named in `layout`, in its order, after checking that the
    /// checkpoint has exactly these blocks with these shapes.
    /// Errors: `.size` naming the first block whose shape differs; `.value` for a missing or extra block.
    public func values(layout: [(name: String, shape: [Int])]) throws -> [Double] {
        var out: [Double] = []
        for (name, shape) in layout {
            guard let block = parameters.first(where: { $0.name == name }) else {
                throw SSMError(.value, "the checkpoint has no parameter block \"\(name)\" (it has \(parameters.map(\.name)))")
            }
            try require(block.shape == shape, .size,
                        "parameter block \"\(name)\" has shape \(block.shape) in the checkpoint, the model needs \(shape)")
            out += block.values
        }
        let expected = Set(layout.map(\.name))
        if let extra = parameters.first(where: { !expected.contains($0.name) }) {
            throw SSMError(.value, "the checkpoint has a parameter block \"\(extra.name)\" the model does not have")
        }
        return out
    }

    // MARK: Files

    /// The checkpoint as safetensors tensors and metadata.
    public func safetensors() throws -> SafetensorsContents {
        var tensors = try parameters.map { try SafetensorsTensor(name: "parameters.\($0.name)", shape: $0.shape, values: $0.values) }
        var metadata = ["ssmkit.format": "checkpoint", "ssmkit.format_version": String(Self.formatVersion),
                        "ssmkit.model_kind": modelKind]
        if let optimizer {
            tensors.append(try SafetensorsTensor(name: "optimizer.first", shape: [optimizer.first.count], values: optimizer.first))
            tensors.append(try SafetensorsTensor(name: "optimizer.second", shape: [optimizer.second.count], values: optimizer.second))
            tensors.append(try SafetensorsTensor(name: "optimizer.step", shape: [], values: [Int64(optimizer.step)]))
            metadata["ssmkit.optimizer.rule"] = optimizer.rule
        }
        for (k, v) in configuration { metadata["config.\(k)"] = v }
        for (k, v) in hyperparameters { metadata["hp.\(k)"] = v }
        return SafetensorsContents(tensors: tensors, metadata: metadata)
    }

    /// Reads a checkpoint back from safetensors contents, checking that it is one SSMKit can use.
    /// Errors: `.value` (not an SSMKit checkpoint, missing metadata, unknown tensors, an incomplete or
    /// inconsistent optimizer state, non-finite values), `.unsupported` (a newer format version, an
    /// I64 parameter block), `.size` (shapes of the optimizer tensors).
    public init(_ contents: SafetensorsContents) throws {
        let meta = contents.metadata
        try require(meta["ssmkit.format"] == "checkpoint", .value,
                    "not an SSMKit checkpoint (metadata \"ssmkit.format\" is \(meta["ssmkit.format"].map { "\"\($0)\"" } ?? "missing"))")
        guard let versionText = meta["ssmkit.format_version"], let version = Int(versionText), version >= 1 else {
            throw SSMError(.value, "the checkpoint has no valid \"ssmkit.format_version\"")
        }
        try require(version <= Self.formatVersion, .unsupported,
                    "the checkpoint has format version \(version); this SSMKit reads up to \(Self.formatVersion)")
        guard let kind = meta["ssmkit.model_kind"], !kind.isEmpty else {
            throw SSMError(.value, "the checkpoint has no \"ssmkit.model_kind\"")
        }

        var blocks: [CheckpointBlock] = []
        var first: SafetensorsTensor?, second: SafetensorsTensor?, step: SafetensorsTensor?
        for t in contents.tensors {
            switch t.name {
            case "optimizer.first": first = t
            case "optimizer.second": second = t
            case "optimizer.step": step = t
            case let name where name.hasPrefix("parameters."):
                let values = try t.doubles()
                if let k = values.firstIndex(where: { !$0.isFinite }) {
                    throw SSMError(.value, "tensor \"\(name)\"[\(k)] = \(values[k]) is not finite")
                }
                blocks.append(try CheckpointBlock(name: String(name.dropFirst("parameters.".count)), shape: t.shape, values: values))
            default:
                throw SSMError(.value, "unknown tensor \"\(t.name)\" (expected \"parameters.*\" or \"optimizer.*\")")
            }
        }

        var optimizer: OptimizerState?
        let present = [first, second, step].compactMap { $0 }.count
        if present > 0 {
            guard let first, let second, let step else {
                throw SSMError(.value, "the optimizer state is incomplete: it needs optimizer.first, optimizer.second and optimizer.step")
            }
            guard let rule = meta["ssmkit.optimizer.rule"] else {
                throw SSMError(.value, "the checkpoint has an optimizer state but no \"ssmkit.optimizer.rule\"")
            }
            try require(first.shape.count == 1 && second.shape.count == 1, .size,
                        "optimizer.first and optimizer.second must be 1-D, got shapes \(first.shape) and \(second.shape)")
            try require(step.shape.isEmpty, .size, "optimizer.step must be a scalar, got shape \(step.shape)")
            let steps = try step.int64s()
            optimizer = OptimizerState(rule: rule, step: Int(steps[0]), first: try first.doubles(), second: try second.doubles())
        }

        var configuration: [String: String] = [:], hyperparameters: [String: String] = [:]
        for (k, v) in meta {
            if k.hasPrefix("config.") { configuration[String(k.dropFirst("config.".count))] = v }
            if k.hasPrefix("hp.") { hyperparameters[String(k.dropFirst("hp.".count))] = v }
        }
        try self.init(modelKind: kind, parameters: blocks, optimizer: optimizer,
                      configuration: configuration, hyperparameters: hyperparameters)
    }

    /// Writes the checkpoint to `path` atomically. Errors: those of `writeSafetensors`.
    public func save(path: String) throws {
        let contents = try safetensors()
        try writeSafetensors(path: path, tensors: contents.tensors, metadata: contents.metadata)
    }

    /// Reads the checkpoint at `path`. Errors: those of `readSafetensors` and `init(_:)`, with the
    /// path in the message.
    public static func load(path: String, allocationLimit: Int = Safetensors.defaultAllocationLimit) throws -> Checkpoint {
        let contents = try readSafetensors(path: path, allocationLimit: allocationLimit)
        do {
            return try Checkpoint(contents)
        } catch let error as SSMError {
            throw SSMError(error.kind, "\(path): \(error.message)")
        }
    }
}

/// Throws unless `state` is a usable optimizer state for `count` parameters: a known rule, step ≥ 0,
/// moments of length `count`, finite, second moments ≥ 0.
private func checkOptimizerState(_ state: OptimizerState, count: Int) throws {
    try require(["sgd", "adam", "adamw"].contains(state.rule), .value,
                "unknown optimizer rule \"\(state.rule)\" (known: sgd, adam, adamw)")
    try require(state.step >= 0 && state.step <= 1 << 53, .value, "optimizer.step = \(state.step) must be in 0…2^53")
    try require(state.first.count == count, .size, "optimizer.first has \(state.first.count) entries, the parameters \(count)")
    try require(state.second.count == count, .size, "optimizer.second has \(state.second.count) entries, the parameters \(count)")
    try requireFinite(state.first, "optimizer.first")
    try requireFinite(state.second, "optimizer.second")
    if let k = state.second.firstIndex(where: { $0 < 0 }) {
        throw SSMError(.value, "optimizer.second[\(k)] = \(state.second[k]) is negative (second moments are ≥ 0)")
    }
}

// MARK: - Optimizer

extension OptimizerRule {
    /// The rule's name in checkpoints.
    public var checkpointName: String {
        switch self {
        case .sgd: return "sgd"
        case .adam: return "adam"
        case .adamW: return "adamw"
        }
    }
}

extension Optimizer {
    /// The state a checkpoint keeps.
    public var state: OptimizerState {
        OptimizerState(rule: rule.checkpointName, step: step, first: first, second: second)
    }

    /// Continues from a saved state. Hyperparameters (rates, betas, groups) are this optimizer's own.
    /// Errors: `.value` (another rule, negative step, non-finite or negative moments), `.size`
    /// (moments of another length); nothing is changed on error.
    public mutating func restore(_ state: OptimizerState) throws {
        try require(state.rule == rule.checkpointName, .value,
                    "the checkpoint's optimizer is \(state.rule), this one is \(rule.checkpointName)")
        try checkOptimizerState(state, count: first.count)
        step = state.step; first = state.first; second = state.second
    }
}

// MARK: - Diagonal SSM layer

extension DiagonalSSMLayer {
    /// The model kind written by `checkpoint`.
    public static let checkpointKind = "diagonal_ssm_layer"

    /// The parameter blocks of `values`, in order: a, b (H×M), B, C (H×M×2, re/im), D, s (H).
    public var checkpointLayout: [(name: String, shape: [Int])] {
        [("a", [H, M]), ("b", [H, M]), ("B", [H, M, 2]), ("C", [H, M, 2]), ("D", [H]), ("s", [H])]
    }

    /// How the layer is parameterized, as checkpoint configuration strings.
    public var checkpointConfiguration: [String: String] {
        let realPartName: String
        switch realPart {
        case .direct(let clamp): realPartName = clamp ? "direct_clamped" : "direct"
        case .negativeExp: realPartName = "negative_exp"
        case .negativeSoftplus: realPartName = "negative_softplus"
        }
        return ["H": String(H), "M": String(M), "real_part": realPartName,
                "timescale": step == .exp ? "exp" : "softplus"]
    }

    /// A checkpoint of this layer and, if given, its optimizer. Errors: `.size` (an optimizer over
    /// another number of parameters).
    public func checkpoint(optimizer: Optimizer? = nil, hyperparameters: [String: String] = [:]) throws -> Checkpoint {
        var offset = 0
        let blocks = try checkpointLayout.map { name, shape in
            let count = shape.reduce(1, *)
            defer { offset += count }
            return try CheckpointBlock(name: name, shape: shape, values: Array(values[offset..<(offset + count)]))
        }
        return try Checkpoint(modelKind: Self.checkpointKind, parameters: blocks, optimizer: optimizer?.state,
                              configuration: checkpointConfiguration, hyperparameters: hyperparameters)
    }

    /// Sets the parameters from `checkpoint`. Errors: `.value` (another model kind or
    /// parameterization, missing or extra blocks), `.size` naming the first block whose shape differs
    /// from this layer's; nothing is changed on error.
    public mutating func restore(from checkpoint: Checkpoint) throws {
        try require(checkpoint.modelKind == Self.checkpointKind, .value,
                    "the checkpoint is of a \(checkpoint.modelKind), not a \(Self.checkpointKind)")
        let values = try checkpoint.values(layout: checkpointLayout)
        for key in ["real_part", "timescale"] {
            let saved = checkpoint.configuration[key], mine = checkpointConfiguration[key]!
            try require(saved == mine, .value,
                        "the checkpoint's \(key) is \(saved ?? "missing"), this layer's is \(mine)")
        }
        self.values = values
    }
}
