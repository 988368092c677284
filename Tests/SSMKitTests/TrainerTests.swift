import ComplexModule
import RealModule
import Testing
@testable import SSMKit

/// The training loop (Trainer.swift): a small teacher–student fit converges, cancelling keeps a
/// consistent model, a diverging learning rate stops cleanly with the reason.
@Suite struct TrainerTests {
    /// White-noise inputs and a teacher layer's outputs, fresh samples every epoch.
    struct TeacherSource: BatchSource {
        let teacher: DiagonalSSMLayer, L: Int, batchSize: Int, batchesPerEpoch: Int
        func batches(epoch: Int) throws -> [TrainingBatch] {
            var rng = SSMRandom(seed: UInt64(1000 + epoch))
            return try (0..<batchesPerEpoch).map { _ in
                let u = (0..<(batchSize * L)).map { _ in rng.normal() }
                return TrainingBatch(size: batchSize, L: L, inputs: u, targets: try teacher.forward(batch: batchSize, L: L, u: u).y)
            }
        }
    }

    static func setup(steps: Int, lr: Double, rule: OptimizerRule = .adam()) throws -> (DiagonalSSMTrainable, Optimizer, TeacherSource) {
        var teacher = try DiagonalSSMLayer(H: 1, M: 2)
        try teacher.set(lambda: [Complex(-0.3, 2), Complex(-0.1, 7)], B: [Complex(1, 0.5), Complex(-0.5, 1)],
                        C: [Complex(0.7, -0.2), Complex(0.4, 0.3)], D: [0.2], dt: [0.05])
        var student = try DiagonalSSMLayer(H: 1, M: 4)
        try student.set(lambda: (0..<4).map { Complex(-0.5, Double.pi * Double($0)) }, B: Array(repeating: .one, count: 4),
                        C: (0..<4).map { Complex(0.3, 0.1 * Double($0)) }, D: [0], dt: [0.05])
        let optimizer = try Optimizer(count: student.values.count, rule: rule, learningRate: lr,
                                      schedule: LearningRateSchedule(warmup: 10, total: steps, floor: 0.05))
        return (DiagonalSSMTrainable(layer: student), optimizer, TeacherSource(teacher: teacher, L: 64, batchSize: 8, batchesPerEpoch: 10))
    }

    @Test func teacherStudentConverges() throws {
        var (model, optimizer, source) = try Self.setup(steps: 400, lr: 0.02)
        let history = try fit(&model, optimizer: &optimizer, source: source, epochs: 40)
        #expect(history.stop == .completed && history.losses.count == 400)
        // Relative loss (loss / mean square of the teacher's outputs): from O(1) to below 1e-2.
        #expect(history.metrics.first! > 0.1)
        #expect(history.epochMetrics.last! < 1e-2, "final relative loss \(history.epochMetrics.last!)")
    }

    @Test func cancelKeepsAConsistentModel() throws {
        var (model, optimizer, source) = try Self.setup(steps: 400, lr: 0.02)
        var calls = 0
        let history = try fit(&model, optimizer: &optimizer, source: source, epochs: 5) { _ in calls += 1; return calls < 7 }
        #expect(history.stop == .cancelled && history.losses.count == 7 && optimizer.step == 7)
        let finite = model.parameters.allSatisfy { $0.isFinite }
        #expect(finite)
        // Training resumes from where it stopped.
        let more = try fit(&model, optimizer: &optimizer, source: source, epochs: 1)
        #expect(more.stop == .completed && optimizer.step == 17)
    }

    @Test func divergenceStopsCleanly() throws {
        // Plain SGD at a learning rate of 1e4 overshoots further at every step until the outputs
        // overflow or the loss turns infinite; training stops with the reason, parameters finite.
        var (model, optimizer, source) = try Self.setup(steps: 400, lr: 1e4, rule: .sgd())
        let history = try fit(&model, optimizer: &optimizer, source: source, epochs: 10)
        #expect(history.stop == .nonFinite, "\(history.stop): \(history.message)")
        #expect(history.message.contains("stopped before applying it"))
        #expect(optimizer.step == history.losses.count && optimizer.step < 100)
        let finite = model.parameters.allSatisfy { $0.isFinite }
        #expect(finite)
        #expect(throws: SSMError.self) { _ = try fit(&model, optimizer: &optimizer, source: source, epochs: 0) }
        #expect(throws: SSMError.self) { _ = try Optimizer(count: 1, rule: .adam(), learningRate: 0) }
    }
}
