// Fixed training data held as flat arrays, served in shuffled batches: epoch e visits every example
// once, in the order of a Fisher–Yates shuffle by SSMRandom(seed + e) (reproducible; different
// per epoch); the last batch may be smaller.

public struct ExampleArrays: BatchSource, Sendable {
    public let count: Int, L: Int, inputSize: Int, outputSize: Int
    public let inputs: [Double]
    public let targets: [Double]?, mask: [Double]?, labels: [Int]?
    public let batchSize: Int, seed: UInt64, shuffle: Bool

    /// `inputs` count × inputSize; `targets` (and `mask`) count × outputSize, or `labels` count
    /// entries in 0..<classes (classes > 0 checks them). Errors: `.value` for an empty dataset,
    /// batch size < 1, non-finite data, labels out of range; `.size` for mismatched lengths.
    public init(count: Int, L: Int, inputSize: Int, outputSize: Int, inputs: [Double], targets: [Double]? = nil,
                mask: [Double]? = nil, labels: [Int]? = nil, classes: Int = 0, batchSize: Int, seed: UInt64 = 0,
                shuffle: Bool = true) throws {
        try require(count >= 1, .value, "the dataset is empty")
        try require(batchSize >= 1, .value, "the batch size must be ≥ 1, got \(batchSize)")
        try require(L >= 1 && inputSize >= 1 && outputSize >= 1, .size, "L, input and output sizes must be ≥ 1")
        try require(inputs.count == count * inputSize, .size, "inputs need \(count)×\(inputSize) entries, got \(inputs.count)")
        try requireFinite(inputs, "inputs")
        try require(targets != nil || labels != nil, .null, "the dataset needs targets or labels")
        if let targets {
            try require(targets.count == count * outputSize, .size, "targets need \(count)×\(outputSize) entries, got \(targets.count)")
            try requireFinite(targets, "targets")
        }
        if let mask {
            try require(mask.count == count * outputSize, .size, "the mask needs \(count)×\(outputSize) entries, got \(mask.count)")
            if let k = mask.firstIndex(where: { !($0.isFinite && $0 >= 0) }) { throw SSMError(.value, "mask[\(k)] must be finite and ≥ 0") }
        }
        if let labels {
            try require(labels.count == count, .size, "labels need \(count) entries, got \(labels.count)")
            if classes > 0, let k = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
                throw SSMError(.value, "label[\(k)] = \(labels[k]) is outside 0..<\(classes)")
            }
        }
        self.count = count; self.L = L; self.inputSize = inputSize; self.outputSize = outputSize
        self.inputs = inputs; self.targets = targets; self.mask = mask; self.labels = labels
        self.batchSize = batchSize; self.seed = seed; self.shuffle = shuffle
    }

    /// The visiting order of epoch `epoch`.
    public func order(epoch: Int) -> [Int] {
        var order = Array(0..<count)
        guard shuffle else { return order }
        var rng = SSMRandom(seed: seed &+ UInt64(epoch))
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }

    public func batches(epoch: Int) throws -> [TrainingBatch] {
        let order = order(epoch: epoch)
        return stride(from: 0, to: count, by: batchSize).map { start in
            let members = order[start..<min(count, start + batchSize)]
            var b = TrainingBatch(size: members.count, L: L, inputs: [])
            b.inputs.reserveCapacity(members.count * inputSize)
            for i in members { b.inputs += inputs[(i * inputSize)..<((i + 1) * inputSize)] }
            if let targets { b.targets = members.flatMap { targets[($0 * outputSize)..<(($0 + 1) * outputSize)] } }
            if let mask { b.mask = members.flatMap { mask[($0 * outputSize)..<(($0 + 1) * outputSize)] } }
            if let labels { b.labels = members.map { labels[$0] } }
            return b
        }
    }
}
