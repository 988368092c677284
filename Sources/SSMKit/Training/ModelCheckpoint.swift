// Checkpoints of any trainable model (Checkpoint.swift's format): named parameter blocks in the
// order of the model's flat parameter vector, the configuration that must match on load, and the
// optimizer state.
//   diagonal: the layer's blocks a, b, B, C, D, s
//   deep:     block{k}.a … block{k}.s per SSM layer, then dense (the encoder, block and decoder
//             weights as one vector, DeepSSMModel's `dense` layout)
//   dense:    C, D (and A, B when the dynamics are trained)

extension AnyTrainableModel {
    /// The model kind written to checkpoints.
    public var checkpointKind: String {
        switch self {
        case .diagonal: return DiagonalSSMLayer.checkpointKind
        case .deep: return "deep_ssm_model"
        case .dense: return "dense_ssm_model"
        }
    }

    /// The parameter blocks, in the order of `parameters`.
    public var checkpointLayout: [(name: String, shape: [Int])] {
        switch self {
        case .diagonal(let m): return m.layer.checkpointLayout
        case .deep(let m):
            var layout = [(name: String, shape: [Int])]()
            for (k, layer) in m.model.ssm.enumerated() {
                layout += layer.checkpointLayout.map { ("block\(k).\($0.name)", $0.shape) }
            }
            return layout + [("dense", [m.model.dense.count])]
        case .dense(let m):
            let d = m.model
            return [("C", [d.p, d.N]), ("D", [d.p, d.m])] + (d.trainDynamics ? [("A", [d.N, d.N]), ("B", [d.N, d.m])] : [])
        }
    }

    /// What must agree between a checkpoint and the model it is loaded into.
    public var checkpointConfiguration: [String: String] {
        switch self {
        case .diagonal(let m): return m.layer.checkpointConfiguration
        case .deep(let m):
            let d = m.model
            var c = d.ssm.first?.checkpointConfiguration ?? [:]
            c["inputs"] = String(d.inputs); c["outputs"] = String(d.outputs); c["depth"] = String(d.depth)
            c["H"] = String(d.H); c["M"] = String(d.M)
            c["layer_norm"] = d.layerNorm ? "1" : "0"; c["pooling"] = String(d.pooling.rawValue)
            c["objective"] = String(m.objective.rawValue)
            return c
        case .dense(let m):
            let d = m.model
            return ["N": String(d.N), "m": String(d.m), "p": String(d.p), "train_dynamics": d.trainDynamics ? "1" : "0"]
        }
    }

    /// A checkpoint of the parameters and, if given, the optimizer's state.
    public func checkpoint(optimizer: Optimizer? = nil, hyperparameters: [String: String] = [:]) throws -> Checkpoint {
        let p = parameters
        var offset = 0
        let blocks = try checkpointLayout.map { name, shape in
            let count = shape.reduce(1, *)
            defer { offset += count }
            return try CheckpointBlock(name: name, shape: shape, values: Array(p[offset..<(offset + count)]))
        }
        return try Checkpoint(modelKind: checkpointKind, parameters: blocks, optimizer: optimizer?.state,
                              configuration: checkpointConfiguration, hyperparameters: hyperparameters)
    }

    /// Loads parameters (and, if `optimizer` is given and the checkpoint has one, its state).
    /// Errors: `.value` (another model kind or configuration, an optimizer of another rule, a
    /// checkpoint without optimizer state when one is asked for), `.size` (a block of another shape);
    /// nothing changes on error.
    public mutating func restore(from checkpoint: Checkpoint, optimizer: inout Optimizer?) throws {
        try require(checkpoint.modelKind == checkpointKind, .value,
                    "the checkpoint holds a \(checkpoint.modelKind), this model is a \(checkpointKind)")
        for (key, mine) in checkpointConfiguration.sorted(by: { $0.key < $1.key }) {
            let saved = checkpoint.configuration[key]
            try require(saved == mine, .value, "the checkpoint's \(key) is \(saved ?? "missing"), this model's is \(mine)")
        }
        let values = try checkpoint.values(layout: checkpointLayout)
        var restored = optimizer
        if restored != nil {
            guard let state = checkpoint.optimizer else {
                throw SSMError(.value, "the checkpoint has no optimizer state (it was saved without an optimizer)")
            }
            try restored!.restore(state)
        }
        var copy = self
        try copy.setParameters(values)
        self = copy
        optimizer = restored
    }
}
