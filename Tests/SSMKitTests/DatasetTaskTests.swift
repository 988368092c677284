import ComplexModule
import Testing
@testable import SSMKit

/// Datasets and batches (Dataset.swift, Batches.swift): subsets copy the right rows, seeded splits
/// partition, epochs cover every example once and shuffle differently, bad arrays are refused.
@Suite struct DatasetTaskTests {
    /// count examples of L = 3 steps × 2 channels; input entries encode (example, step, channel),
    /// targets 2 per example, a mask over the targets.
    func numbered(_ count: Int) throws -> Dataset {
        let inputs = (0..<(count * 6)).map { Double($0) }
        let targets = (0..<(count * 2)).map { Double(-$0) }
        let mask = (0..<(count * 2)).map { Double($0 % 2) }
        return try Dataset(inputs: inputs, count: count, L: 3, channels: 2, targets: targets, mask: mask)
    }

    @Test func subsetCopiesTheRowsInOrder() throws {
        let d = try numbered(5)
        #expect(d.width == 2 && !d.isClassification)
        let s = try d.subset([3, 0, 3])
        #expect(s.count == 3 && s.L == 3 && s.channels == 2)
        #expect(Array(s.inputs[0..<6]) == (18..<24).map { Double($0) })
        #expect(Array(s.inputs[6..<12]) == (0..<6).map { Double($0) })
        #expect(s.targets == [-6, -7, 0, -1, -6, -7])
        #expect(s.mask == [0, 1, 0, 1, 0, 1])
        let c = try Dataset(inputs: [1, 2, 3, 4], count: 2, L: 2, labels: [1, 0], classes: 2)
        #expect(try c.subset([1]).labels == [0] && c.isClassification && c.targets.isEmpty)
    }

    @Test func splitPartitionsWithASeed() throws {
        let d = try numbered(50)
        let (train, validation) = try d.split(validationFraction: 0.2, seed: 9)
        #expect(train.count == 40 && validation.count == 10)
        // Every example lands in exactly one part (the first input of example i is 6i).
        let firsts = (train.inputs + validation.inputs).enumerated().filter { $0.offset % 6 == 0 }.map { Int($0.element) / 6 }
        #expect(firsts.sorted() == Array(0..<50))
        #expect(try d.split(validationFraction: 0.2, seed: 9) == (train, validation))
        #expect(try d.split(validationFraction: 0.2, seed: 10).validation != validation)
        #expect(validation.inputs != (try d.subset(Array(0..<10))).inputs)   // not just the first ten
    }

    @Test func epochsCoverEveryExampleOnceAndShuffleDifferently() throws {
        let d = try numbered(23)
        let loader = try BatchLoader(dataset: d, batchSize: 5, seed: 3)
        #expect(loader.batchesPerEpoch == 5)
        var orders: [[Int]] = []
        for e in 0..<4 {
            let batches = Array(try loader.epoch(e))
            #expect(batches.map { $0.indices.count } == [5, 5, 5, 5, 3])
            let seen = batches.flatMap { $0.indices }
            #expect(seen.sorted() == Array(0..<23))
            #expect(seen == (try loader.order(epoch: e)))
            for b in batches { #expect(b.data == (try d.subset(b.indices))) }
            orders.append(seen)
        }
        #expect(Set(orders).count == 4)
        #expect(orders[0] != Array(0..<23))
        // Replaying an epoch, or another loader with the same seed, gives the same order.
        #expect(try loader.order(epoch: 2) == orders[2])
        #expect(try BatchLoader(dataset: d, batchSize: 7, seed: 3).order(epoch: 1) == orders[1])
        #expect(try BatchLoader(dataset: d, batchSize: 5, seed: 4).order(epoch: 1) != orders[1])
    }

    @Test func shuffleIsUniform() throws {
        // All 6 permutations of 3 at 1/6 each over 24000 draws (SE ≈ 58, tolerance 5 SE). The
        // naive "swap with any j" shuffle (probabilities 4/27 … 5/27, off by ≥ 444) fails.
        var rng = SSMRandom(seed: 5), counts: [[Int]: Int] = [:]
        for _ in 0..<24000 { counts[shuffledIndices(3, &rng), default: 0] += 1 }
        #expect(counts.count == 6)
        for (p, c) in counts { #expect(abs(c - 4000) < 290, "\(p): \(c)") }
    }

    @Test func dropLastAndNoShuffle() throws {
        let d = try numbered(23)
        let dropping = try BatchLoader(dataset: d, batchSize: 5, dropLast: true, seed: 3)
        #expect(dropping.batchesPerEpoch == 4)
        let batches = Array(try dropping.epoch(0))
        #expect(batches.map { $0.indices.count } == [5, 5, 5, 5])
        #expect(Set(batches.flatMap { $0.indices }).count == 20)
        let plain = try BatchLoader(dataset: d, batchSize: 10, shuffle: false)
        #expect(Array(try plain.epoch(7)).map { $0.indices } == [Array(0..<10), Array(10..<20), [20, 21, 22]])
        let exact = try BatchLoader(dataset: d, batchSize: 23, dropLast: true)
        #expect(Array(try exact.epoch(0)).count == 1)
    }

    @Test func trainerSeesTheSameBatches() throws {
        let d = try numbered(7)
        let loader = try BatchLoader(dataset: d, batchSize: 3, seed: 2)
        let batches = try loader.batches(epoch: 1)
        let own = Array(try loader.epoch(1))
        #expect(batches.count == 3 && own.count == 3)
        for (t, b) in zip(batches, own) {
            #expect(t.size == b.indices.count && t.L == 3 && t.inputs == b.data.inputs)
            #expect(t.targets == b.data.targets && t.mask == b.data.mask && t.labels == nil)
        }
        let c = try Dataset(inputs: [1, 2, 3, 4], count: 2, L: 2, labels: [1, 0], classes: 2)
        let cb = try BatchLoader(dataset: c, batchSize: 2, shuffle: false).batches(epoch: 0)
        #expect(cb.count == 1 && cb[0].labels == [1, 0] && cb[0].targets == nil && cb[0].mask == nil)
    }

    @Test func aDiagonalLayerLearnsALinearFunctionalTask() throws {
        // Exponential memory τ = 8 on white input: representable by one real mode, so the relative
        // loss (loss / mean square of the targets) of a 4-mode layer falls from O(1) to near 0
        // (measured: 0.60 in epoch 0, 0.0017 in epoch 19).
        let task = LinearFunctionalTask(process: .white, kernel: .exponential(tau: 8), L: 64)
        let data = try task.generate(count: 64, seed: 31)
        let loader = try BatchLoader(dataset: data, batchSize: 8, seed: 32)
        var layer = try DiagonalSSMLayer(H: 1, M: 4)
        try layer.set(lambda: (0..<4).map { Complex(-0.5, Double.pi * Double($0)) }, B: Array(repeating: .one, count: 4),
                      C: (0..<4).map { Complex(0.3, 0.1 * Double($0)) }, D: [0], dt: [0.05])
        var model = DiagonalSSMTrainable(layer: layer)
        var optimizer = try Optimizer(count: layer.values.count, rule: .adam(), learningRate: 0.02)
        let history = try fit(&model, optimizer: &optimizer, source: loader, epochs: 20)
        #expect(history.stop == .completed && history.losses.count == 160)
        #expect(history.epochMetrics.first! > 0.3 && history.epochMetrics.last! < 0.01,
                "relative loss \(history.epochMetrics.first!) → \(history.epochMetrics.last!)")
    }

    @Test func rejectsBadArrays() throws {
        #expect(throws: SSMError.self) { try Dataset(inputs: [], count: 0, L: 3, targets: []) }
        #expect(throws: SSMError.self) { try Dataset(inputs: [1, 2, 3], count: 1, L: 4, targets: [1]) }
        #expect(throws: SSMError.self) { try Dataset(inputs: [1, 2, 3, 4], count: 2, L: 2, targets: [1, 2, 3]) }
        #expect(throws: SSMError.self) { try Dataset(inputs: [1, 2, 3, 4], count: 2, L: 2, targets: []) }
        #expect(throws: SSMError.self) { try Dataset(inputs: [1, .nan, 3, 4], count: 2, L: 2, targets: [1, 2]) }
        #expect(throws: SSMError.self) { try Dataset(inputs: [1, 2, 3, 4], count: 2, L: 2, targets: [1, .infinity]) }
        #expect(throws: SSMError.self) { try Dataset(inputs: [1, 2, 3, 4], count: 2, L: 2, targets: [1, 2], mask: [1]) }
        #expect(throws: SSMError.self) { try Dataset(inputs: [1, 2, 3, 4], count: 2, L: 2, targets: [1, 2], mask: [1, -1]) }
        #expect(throws: SSMError.self) { try Dataset(inputs: [1, 2, 3, 4], count: 2, L: 2, labels: [0, 2], classes: 2) }
        #expect(throws: SSMError.self) { try Dataset(inputs: [1, 2, 3, 4], count: 2, L: 2, labels: [0, -2], classes: 2) }
        #expect(throws: SSMError.self) { try Dataset(inputs: [1, 2, 3, 4], count: 2, L: 2, labels: [0, 0], classes: 0) }
        #expect(throws: SSMError.self) { try Dataset(inputs: [1, 2, 3, 4], count: 2, L: 2, channels: 0, targets: [1, 2]) }
        _ = try Dataset(inputs: [1, 2, 3, 4], count: 2, L: 2, labels: [0, -1], classes: 2)   // −1: ignored
        let d = try numbered(4)
        #expect(throws: SSMError.self) { try BatchLoader(dataset: d, batchSize: 0) }
        #expect(throws: SSMError.self) { try BatchLoader(dataset: d, batchSize: -3) }
        #expect(throws: SSMError.self) { try BatchLoader(dataset: d, batchSize: 5, dropLast: true) }
        #expect(throws: SSMError.self) { try BatchLoader(dataset: d, batchSize: 2).epoch(-1) }
        #expect(throws: SSMError.self) { try d.subset([]) }
        #expect(throws: SSMError.self) { try d.subset([4]) }
        #expect(throws: SSMError.self) { try d.split(validationFraction: 0, seed: 1) }
        #expect(throws: SSMError.self) { try d.split(validationFraction: 1, seed: 1) }
        #expect(throws: SSMError.self) { try d.split(validationFraction: .nan, seed: 1) }
        #expect(throws: SSMError.self) { try d.split(validationFraction: 0.1, seed: 1) }   // rounds to 0 of 4
        do {
            _ = try BatchLoader(dataset: d, batchSize: 0)
            Issue.record("no error")
        } catch let e as SSMError { #expect(e.kind == .value && e.message.contains("batch size")) }
    }
}
