// A dataset of sequences held as flat row-major arrays (what C and numpy hand over): inputs
// count×L×channels, and either real targets (regression) or integer labels (classification), each
// count×width, with an optional mask of loss weights of the same shape as the targets or labels.
// Tasks (SequenceTasks.swift) produce one; user arrays become one through the checking initializers.

/// Sequences with regression targets or class labels. Immutable; `subset` and `split` make new ones.
public struct Dataset: Sendable, Equatable {
    /// Examples, steps per example, input channels per step.
    public let count: Int, L: Int, channels: Int
    /// count × L × channels, row-major (channels fastest).
    public let inputs: [Double]
    /// Regression: count × targetWidth (e.g. width L for one target per step, or a few outputs read
    /// at the end); empty for classification.
    public let targets: [Double]
    /// Classification: count × labelWidth (width 1 per sequence, L per step), each in 0..<classes or
    /// −1 (ignored by losses); empty for regression.
    public let labels: [Int]
    /// Values (targets) or labels per example.
    public let width: Int
    /// Number of classes; 0 for regression.
    public let classes: Int
    /// Loss weight per target or label entry (1 counts, 0 ignored), same shape; empty: all count.
    public let mask: [Double]

    /// Whether the dataset holds labels (classification) rather than targets (regression).
    public var isClassification: Bool { classes > 0 }

    /// A regression dataset. `targets` must hold count × width values for some width ≥ 1.
    /// Errors: `.size` (count, L or channels < 1, inputs not count×L×channels, targets not a positive
    /// multiple of count, mask not empty nor the targets' shape), `.value` (a non-finite input or
    /// target, a mask entry negative or not finite).
    public init(inputs: [Double], count: Int, L: Int, channels: Int = 1, targets: [Double], mask: [Double] = []) throws {
        try Self.checkInputs(inputs, count: count, L: L, channels: channels)
        try require(!targets.isEmpty && targets.count % count == 0, .size,
                    "targets has \(targets.count) entries: expected count × width = \(count) × width, width ≥ 1")
        try requireFinite(targets, "targets")
        try Self.checkMask(mask, entries: targets.count)
        self.count = count; self.L = L; self.channels = channels
        self.inputs = inputs; self.targets = targets; self.labels = []
        self.width = targets.count / count; self.classes = 0; self.mask = mask
    }

    /// A classification dataset with labels in 0..<classes (−1: ignored), count × width for some
    /// width ≥ 1. Errors: as the regression initializer, and `.value` for classes < 1 or a label out of
    /// range.
    public init(inputs: [Double], count: Int, L: Int, channels: Int = 1, labels: [Int], classes: Int, mask: [Double] = []) throws {
        try Self.checkInputs(inputs, count: count, L: L, channels: channels)
        try require(classes >= 1, .value, "classes must be ≥ 1, got \(classes)")
        try require(!labels.isEmpty && labels.count % count == 0, .size,
                    "labels has \(labels.count) entries: expected count × width = \(count) × width, width ≥ 1")
        if let i = labels.firstIndex(where: { $0 < -1 || $0 >= classes }) {
            throw SSMError(.value, "labels[\(i)] = \(labels[i]) is outside 0..<\(classes) (or −1 for ignored)")
        }
        try Self.checkMask(mask, entries: labels.count)
        self.count = count; self.L = L; self.channels = channels
        self.inputs = inputs; self.targets = []; self.labels = labels
        self.width = labels.count / count; self.classes = classes; self.mask = mask
    }

    /// Already checked parts, for `subset`.
    private init(count: Int, L: Int, channels: Int, inputs: [Double], targets: [Double], labels: [Int],
                 width: Int, classes: Int, mask: [Double]) {
        self.count = count; self.L = L; self.channels = channels; self.inputs = inputs
        self.targets = targets; self.labels = labels; self.width = width; self.classes = classes; self.mask = mask
    }

    private static func checkInputs(_ inputs: [Double], count: Int, L: Int, channels: Int) throws {
        try require(count >= 1, .size, "a dataset needs at least one example, got count = \(count)")
        let total = try taskElementCount([count, L, channels], "count × L × channels")
        try require(inputs.count == total, .size,
                    "inputs has \(inputs.count) entries, expected count × L × channels = \(count) × \(L) × \(channels) = \(total)")
        try requireFinite(inputs, "inputs")
    }

    private static func checkMask(_ mask: [Double], entries: Int) throws {
        guard !mask.isEmpty else { return }
        try require(mask.count == entries, .size, "mask has \(mask.count) entries, expected \(entries) (the targets' or labels' shape) or none")
        if let i = mask.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw SSMError(.value, "mask[\(i)] = \(mask[i]) must be finite and ≥ 0")
        }
    }

    /// The examples at `indices`, in that order (repeats allowed). Errors: `.size` for an empty list,
    /// `.value` for an index outside 0..<count.
    public func subset(_ indices: [Int]) throws -> Dataset {
        try require(!indices.isEmpty, .size, "a subset needs at least one index")
        if let i = indices.firstIndex(where: { $0 < 0 || $0 >= count }) {
            throw SSMError(.value, "index \(indices[i]) (position \(i)) is outside 0..<\(count)")
        }
        return gather(indices)
    }

    /// `subset` without the checks: indices must be valid and not empty.
    func gather(_ indices: [Int]) -> Dataset {
        let stride = L * channels
        func rows<T>(_ a: [T], _ w: Int) -> [T] {
            guard !a.isEmpty else { return [] }
            var out: [T] = []
            out.reserveCapacity(indices.count * w)
            for i in indices { out.append(contentsOf: a[(i * w)..<((i + 1) * w)]) }
            return out
        }
        return Dataset(count: indices.count, L: L, channels: channels, inputs: rows(inputs, stride),
                       targets: rows(targets, width), labels: rows(labels, width), width: width,
                       classes: classes, mask: rows(mask, width))
    }

    /// A seeded split into training and validation parts: a Fisher–Yates permutation of 0..<count
    /// from SSMRandom(seed:) (`shuffledIndices`); its first round(fraction·count) indices, sorted, are the
    /// validation part, the rest, sorted, the training part (so both keep the original order).
    /// Errors: `.value` unless 0 < fraction < 1 and both parts get at least one example.
    public func split(validationFraction fraction: Double, seed: UInt64) throws -> (train: Dataset, validation: Dataset) {
        try require(fraction.isFinite && fraction > 0 && fraction < 1, .value,
                    "the validation fraction must be in (0, 1), got \(fraction)")
        let n = Int((fraction * Double(count)).rounded())
        try require(n >= 1 && n <= count - 1, .value,
                    "a validation fraction of \(fraction) of \(count) examples leaves an empty part (\(n) for validation)")
        var rng = SSMRandom(seed: seed)
        let order = shuffledIndices(count, &rng)
        return (try subset(order[n...].sorted()), try subset(order[..<n].sorted()))
    }
}
