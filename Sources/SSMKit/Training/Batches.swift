// Epochs of mini-batches over a Dataset: each epoch visits every example once, in an order that is a
// seeded function of (seed, epoch) alone, so any epoch can be replayed (e.g. after a checkpoint)
// without replaying the ones before it.

/// A uniformly random permutation of 0..<n by Fisher–Yates: for i = n−1 down to 1, swap i with
/// j = ⌊U·(i + 1)⌋, one uniform U ∈ [0, 1) from `rng` per step.
func shuffledIndices(_ n: Int, _ rng: inout SSMRandom) -> [Int] {
    var order = Array(0..<n)
    var i = n - 1
    while i > 0 {
        let j = min(i, Int(rng.uniform() * Double(i + 1)))
        order.swapAt(i, j)
        i -= 1
    }
    return order
}

/// One mini-batch: the dataset's examples at `indices`, as a Dataset of `indices.count` examples.
public struct Batch: Sendable, Equatable {
    public let indices: [Int]
    public let data: Dataset
}

/// Splits epochs of a dataset into batches of `batchSize` (the last one partial unless `dropLast`).
public struct BatchLoader: Sendable {
    public let dataset: Dataset
    public let batchSize: Int
    public let shuffle: Bool
    public let dropLast: Bool
    public let seed: UInt64

    /// Errors: `.value` for batchSize ≤ 0; `.size` if `dropLast` and batchSize > count (no batch at all).
    public init(dataset: Dataset, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false, seed: UInt64 = 0) throws {
        try require(batchSize >= 1, .value, "the batch size must be ≥ 1, got \(batchSize)")
        try require(!dropLast || batchSize <= dataset.count, .size,
                    "dropping the last partial batch of \(dataset.count) examples at batch size \(batchSize) leaves no batch")
        self.dataset = dataset; self.batchSize = batchSize; self.shuffle = shuffle; self.dropLast = dropLast; self.seed = seed
    }

    /// Batches per epoch: ⌊count / batchSize⌋ with `dropLast`, ⌈count / batchSize⌉ without.
    public var batchesPerEpoch: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The visiting order of epoch e ≥ 0: 0..<count without shuffling, else `shuffledIndices` with
    /// SSMRandom(seed: seed &+ e·0x9E3779B97F4A7C15) (a fresh stream per epoch; SplitMix64 seeding
    /// decorrelates neighbouring seeds). Errors: `.value` for e < 0.
    public func order(epoch: Int) throws -> [Int] {
        try require(epoch >= 0, .value, "the epoch must be ≥ 0, got \(epoch)")
        guard shuffle else { return Array(0..<dataset.count) }
        var rng = SSMRandom(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        return shuffledIndices(dataset.count, &rng)
    }

    /// The batches of epoch e, in order. Errors: those of `order(epoch:)`.
    public func epoch(_ e: Int) throws -> EpochBatches {
        EpochBatches(loader: self, order: try order(epoch: e))
    }
}

/// The batches of one epoch, made lazily (one batch's copy in memory at a time).
public struct EpochBatches: Sequence, IteratorProtocol, Sendable {
    let loader: BatchLoader
    let order: [Int]
    var position = 0

    public mutating func next() -> Batch? {
        let remaining = order.count - position
        let size = Swift.min(loader.batchSize, remaining)
        guard size >= 1, !(loader.dropLast && size < loader.batchSize) else { return nil }
        let indices = Array(order[position..<(position + size)])
        position += size
        // Indices come from a permutation of 0..<count and are not empty: no checks needed.
        return Batch(indices: indices, data: loader.dataset.gather(indices))
    }
}

/// The trainer's view (`fit(_:optimizer:source:epochs:)`): epoch e's batches as `TrainingBatch`es,
/// inputs batch×L×channels, targets or labels and the mask as the dataset holds them (empty arrays
/// become nil). Per-step labels (width > 1) and −1 labels need an objective that accepts them.
extension BatchLoader: BatchSource {
    public func batches(epoch: Int) throws -> [TrainingBatch] {
        try self.epoch(epoch).map { b in
            let d = b.data
            return TrainingBatch(size: d.count, L: d.L, inputs: d.inputs,
                                 targets: d.isClassification ? nil : d.targets,
                                 mask: d.mask.isEmpty ? nil : d.mask,
                                 labels: d.isClassification ? d.labels : nil)
        }
    }
}
