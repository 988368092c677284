import RealModule

// Losses and their gradients with respect to the model's outputs (MATH.md §8).

/// Mean squared error over the entries whose mask is nonzero (no mask: all):
/// L = Σ m_i (y_i − t_i)² / Σ m_i; returns L and ∂L/∂y. Errors: `.size`, `.value` (non-finite
/// targets, an all-zero mask).
public func meanSquaredError(_ y: [Double], target: [Double], mask: [Double]? = nil) throws -> (loss: Double, gradient: [Double]) {
    try require(y.count == target.count && (mask?.count ?? y.count) == y.count, .size,
                "outputs (\(y.count)), targets (\(target.count)) and mask (\(mask?.count ?? y.count)) must have the same size")
    if let k = target.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "target[\(k)] is not finite") }
    if let k = y.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "output \(k) is \(y[k]): the model's outputs overflow")
    }
    let weight = mask?.reduce(0, +) ?? Double(y.count)
    try require(weight > 0, .value, "the mask selects no entry")
    var loss = 0.0, gradient = [Double](repeating: 0, count: y.count)
    for i in y.indices {
        let m = mask?[i] ?? 1
        let d = y[i] - target[i]
        loss += m * d * d
        gradient[i] = 2 * m * d / weight
    }
    return (loss / weight, gradient)
}

/// Softmax cross-entropy of logits (batch × classes) against labels in 0..<classes, averaged over
/// the batch; returns the loss, ∂L/∂logits and the accuracy (argmax = label).
/// Errors: `.size`, `.value` (a label outside 0..<classes).
public func crossEntropy(logits: [Double], labels: [Int], classes: Int) throws -> (loss: Double, gradient: [Double], accuracy: Double) {
    try require(classes >= 1 && !labels.isEmpty && logits.count == labels.count * classes, .size,
                "logits need batch×classes = \(labels.count)×\(classes) entries, got \(logits.count)")
    if let k = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
        throw SSMError(.value, "label[\(k)] = \(labels[k]) is outside 0..<\(classes)")
    }
    if let k = logits.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "logit \(k) is \(logits[k]): the model's outputs overflow")
    }
    let batch = labels.count
    var loss = 0.0, correct = 0, gradient = [Double](repeating: 0, count: logits.count)
    for b in 0..<batch {
        let row = logits[(b * classes)..<((b + 1) * classes)]
        let top = row.max()!
        let sum = row.reduce(0) { $0 + Double.exp($1 - top) }
        loss += top + Double.log(sum) - logits[b * classes + labels[b]]
        for c in 0..<classes { gradient[b * classes + c] = Double.exp(logits[b * classes + c] - top) / sum / Double(batch) }
        gradient[b * classes + labels[b]] -= 1 / Double(batch)
        if let best = row.firstIndex(of: top), best - b * classes == labels[b] { correct += 1 }
    }
    return (loss / Double(batch), gradient, Double(correct) / Double(batch))
}
