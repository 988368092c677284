import Foundation
import Testing
import TestSupport
@testable import SSMKit

/// Checkpoints (Checkpoint.swift): training continues bit for bit after save and load, shapes and
/// parameterizations are checked on restore, multi-block models, and malformed checkpoints.
@Suite struct CheckpointTests {
    /// A layer with seeded random parameters and an Adam optimizer after three updates.
    func trainedLayer(H: Int = 2, M: Int = 3) throws -> (DiagonalSSMLayer, Optimizer) {
        var layer = try DiagonalSSMLayer(H: H, M: M, realPart: .negativeExp, step: .softplus)
        var rng = SplitMix64(seed: 7)
        layer.values = layer.values.map { _ in rng.normal() }
        var optimizer = try Optimizer(count: layer.values.count, rule: .adam(), learningRate: 0.01)
        for t in 0..<3 { try optimizer.update(&layer.values, gradient: gradient(layer.values.count, t)) }
        return (layer, optimizer)
    }

    func gradient(_ count: Int, _ t: Int) -> [Double] { (0..<count).map { Double.sin(Double($0 + 7 * t)) } }

    func expectError(_ kind: SSMError.Kind, _ text: String, sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws -> Void) {
        SafetensorsTests().expectError(kind, text, sourceLocation: sourceLocation, body)
    }

    @Test func trainingContinuesBitForBitAfterSaveAndLoad() throws {
        var (layer, optimizer) = try trainedLayer()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/layer.safetensors"
        try layer.checkpoint(optimizer: optimizer, hyperparameters: ["learning_rate": "0.01", "seed": "7"]).save(path: path)

        let loaded = try Checkpoint.load(path: path)
        #expect(loaded.modelKind == "diagonal_ssm_layer")
        #expect(loaded.hyperparameters == ["learning_rate": "0.01", "seed": "7"])
        #expect(loaded.configuration == ["H": "2", "M": "3", "real_part": "negative_exp", "timescale": "softplus"])
        #expect(loaded.parameters.map(\.name) == ["a", "b", "B", "C", "D", "s"])
        #expect(loaded.parameters[2].shape == [2, 3, 2])
        #expect(loaded.optimizer?.step == 3)

        var restored = try DiagonalSSMLayer(H: 2, M: 3, realPart: .negativeExp, step: .softplus)
        var restoredOptimizer = try Optimizer(count: restored.values.count, rule: .adam(), learningRate: 0.01)
        try restored.restore(from: loaded)
        try restoredOptimizer.restore(loaded.optimizer!)
        #expect(restored.values == layer.values)
        #expect(restoredOptimizer.first == optimizer.first && restoredOptimizer.second == optimizer.second)
        // The next update is the same as without the interruption (Adam's bias correction uses step).
        try optimizer.update(&layer.values, gradient: gradient(layer.values.count, 3))
        try restoredOptimizer.update(&restored.values, gradient: gradient(restored.values.count, 3))
        #expect(restored.values == layer.values)
    }

    @Test func restoringIntoAnotherShapeNamesTheBlock() throws {
        let (layer, optimizer) = try trainedLayer(H: 2, M: 3)
        let checkpoint = try layer.checkpoint(optimizer: optimizer)
        var wider = try DiagonalSSMLayer(H: 2, M: 4, realPart: .negativeExp, step: .softplus)
        let before = wider.values
        expectError(.size, "parameter block \"a\" has shape [2, 3] in the checkpoint, the model needs [2, 4]") {
            try wider.restore(from: checkpoint)
        }
        #expect(wider.values == before)
        var otherOptimizer = try Optimizer(count: wider.values.count, rule: .adam(), learningRate: 0.01)
        expectError(.size, "optimizer.first has 40 entries, the parameters 52") { try otherOptimizer.restore(checkpoint.optimizer!) }
        #expect(otherOptimizer.step == 0)

        var direct = try DiagonalSSMLayer(H: 2, M: 3)
        expectError(.value, "real_part is negative_exp, this layer's is direct") { try direct.restore(from: checkpoint) }
        var sgd = try Optimizer(count: direct.values.count, rule: .sgd(momentum: 0.9), learningRate: 0.01)
        expectError(.value, "the checkpoint's optimizer is adam, this one is sgd") { try sgd.restore(checkpoint.optimizer!) }
        var other = checkpoint
        other.modelKind = "deep_ssm"
        expectError(.value, "not a diagonal_ssm_layer") { try direct.restore(from: other) }
    }

    @Test func aModelOfManyBlocksFits() throws {
        let blocks = [
            try CheckpointBlock(name: "layers.0.A", shape: [2, 2], values: [1, 2, 3, 4]),
            try CheckpointBlock(name: "layers.1.A", shape: [3], values: [5, 6, 7]),
            try CheckpointBlock(name: "head.bias", shape: [], values: [8]),
        ]
        let state = OptimizerState(rule: "sgd", step: 12, first: Array(repeating: 0.5, count: 8), second: Array(repeating: 0, count: 8))
        let checkpoint = try Checkpoint(modelKind: "deep_ssm", parameters: blocks, optimizer: state,
                                        configuration: ["depth": "2"])
        let back = try Checkpoint(decodeSafetensors(encodeSafetensors(checkpoint.safetensors().tensors,
                                                                      metadata: checkpoint.safetensors().metadata)))
        #expect(back == checkpoint)
        #expect(back.values == [1, 2, 3, 4, 5, 6, 7, 8])
        // The model's layout picks blocks by name, in its own order.
        #expect(try back.values(layout: [("head.bias", []), ("layers.0.A", [2, 2]), ("layers.1.A", [3])]) == [8, 1, 2, 3, 4, 5, 6, 7])
        expectError(.size, "\"layers.1.A\" has shape [3] in the checkpoint, the model needs [1, 3]") {
            _ = try back.values(layout: [("layers.0.A", [2, 2]), ("layers.1.A", [1, 3]), ("head.bias", [])])
        }
        expectError(.value, "no parameter block \"layers.2.A\"") {
            _ = try back.values(layout: [("layers.0.A", [2, 2]), ("layers.1.A", [3]), ("head.bias", []), ("layers.2.A", [1])])
        }
        expectError(.value, "\"head.bias\" the model does not have") {
            _ = try back.values(layout: [("layers.0.A", [2, 2]), ("layers.1.A", [3])])
        }
        expectError(.value, "two parameter blocks are called") { _ = try Checkpoint(modelKind: "m", parameters: blocks + blocks) }
        expectError(.size, "optimizer.first has 8 entries, the parameters 4") {
            _ = try Checkpoint(modelKind: "m", parameters: [blocks[0]], optimizer: state)
        }
        expectError(.size, "needs 4 values, got 3") { _ = try CheckpointBlock(name: "x", shape: [2, 2], values: [1, 2, 3]) }
    }

    @Test func malformedCheckpointsAreRefused() throws {
        let (layer, optimizer) = try trainedLayer()
        let good = try layer.checkpoint(optimizer: optimizer).safetensors()
        func edited(_ change: (inout [SafetensorsTensor], inout [String: String]) throws -> Void) throws -> SafetensorsContents {
            var tensors = good.tensors, metadata = good.metadata
            try change(&tensors, &metadata)
            return SafetensorsContents(tensors: tensors, metadata: metadata)
        }
        func replace(_ tensors: inout [SafetensorsTensor], _ t: SafetensorsTensor) {
            tensors[tensors.firstIndex { $0.name == t.name }!] = t
        }
        #expect(try Checkpoint(good) == layer.checkpoint(optimizer: optimizer))
        expectError(.value, "not an SSMKit checkpoint (metadata \"ssmkit.format\" is missing)") {
            _ = try Checkpoint(try edited { _, m in m["ssmkit.format"] = nil })
        }
        expectError(.unsupported, "format version 2") { _ = try Checkpoint(try edited { _, m in m["ssmkit.format_version"] = "2" }) }
        expectError(.value, "no valid \"ssmkit.format_version\"") { _ = try Checkpoint(try edited { _, m in m["ssmkit.format_version"] = "x" }) }
        expectError(.value, "no \"ssmkit.model_kind\"") { _ = try Checkpoint(try edited { _, m in m["ssmkit.model_kind"] = nil }) }
        expectError(.value, "no \"ssmkit.optimizer.rule\"") { _ = try Checkpoint(try edited { _, m in m["ssmkit.optimizer.rule"] = nil }) }
        expectError(.value, "unknown optimizer rule \"lion\"") { _ = try Checkpoint(try edited { _, m in m["ssmkit.optimizer.rule"] = "lion" }) }
        expectError(.value, "unknown tensor \"extra\"") {
            _ = try Checkpoint(try edited { t, _ in t.append(try SafetensorsTensor(name: "extra", shape: [], values: [1.0])) })
        }
        expectError(.value, "optimizer state is incomplete") { _ = try Checkpoint(try edited { t, _ in t.removeAll { $0.name == "optimizer.second" } }) }
        expectError(.value, "tensor \"parameters.D\"[1] = nan is not finite") {
            _ = try Checkpoint(try edited { t, _ in replace(&t, try SafetensorsTensor(name: "parameters.D", shape: [2], values: [0, Double.nan])) })
        }
        expectError(.unsupported, "is I64") {
            _ = try Checkpoint(try edited { t, _ in replace(&t, try SafetensorsTensor(name: "parameters.D", shape: [2], values: [Int64(0), 1])) })
        }
        expectError(.value, "optimizer.step = -1 must be in 0…2^53") {
            _ = try Checkpoint(try edited { t, _ in replace(&t, try SafetensorsTensor(name: "optimizer.step", shape: [], values: [Int64(-1)])) })
        }
        expectError(.size, "optimizer.step must be a scalar") {
            _ = try Checkpoint(try edited { t, _ in replace(&t, try SafetensorsTensor(name: "optimizer.step", shape: [1], values: [Int64(1)])) })
        }
        expectError(.value, "optimizer.second[0] = -1.0 is negative") {
            _ = try Checkpoint(try edited { t, _ in
                replace(&t, try SafetensorsTensor(name: "optimizer.second", shape: [40], values: [-1] + Array(optimizer.second.dropFirst())))
            })
        }
        expectError(.size, "optimizer.first has 39 entries, the parameters 40") {
            _ = try Checkpoint(try edited { t, _ in
                replace(&t, try SafetensorsTensor(name: "optimizer.first", shape: [39], values: Array(optimizer.first.dropFirst())))
            })
        }
        // F32 parameter blocks (another tool's file) are widened.
        let widened = try Checkpoint(try edited { t, _ in replace(&t, try SafetensorsTensor(name: "parameters.D", shape: [2], values: [Float(0.5), 2])) })
        #expect(widened.parameters.first { $0.name == "D" }?.values == [0.5, 2])
        // A file that is not a checkpoint names its path.
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try writeSafetensors(path: folder + "/plain.safetensors", tensors: [])
        expectError(.value, "plain.safetensors: not an SSMKit checkpoint") { _ = try Checkpoint.load(path: folder + "/plain.safetensors") }
    }

    @Test func pythonSeesNamedTensorsAndMetadata() throws {
        let (layer, optimizer) = try trainedLayer()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/layer.safetensors"
        try layer.checkpoint(optimizer: optimizer, hyperparameters: ["learning_rate": "0.01"]).save(path: path)
        let a = layer.values[layer.aRange].map { "\($0)" }.joined(separator: ", ")
        let script = """
        import json, struct, sys
        import numpy as np
        raw = open(sys.argv[1], "rb").read()
        (n,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + n])
        meta = header.pop("__metadata__")
        assert meta["ssmkit.format"] == "checkpoint" and meta["hp.learning_rate"] == "0.01", meta
        assert sorted(header) == sorted(["parameters." + k for k in "a b B C D s".split()] +
                                        ["optimizer.first", "optimizer.second", "optimizer.step"]), sorted(header)
        begin, end = header["parameters.a"]["data_offsets"]
        a = np.frombuffer(raw[8 + n + begin:8 + n + end], "<f8").reshape(header["parameters.a"]["shape"])
        assert a.shape == (2, 3) and np.array_equal(a.ravel(), [\(a)]), a
        begin, end = header["optimizer.step"]["data_offsets"]
        assert header["optimizer.step"]["shape"] == [] and np.frombuffer(raw[8 + n + begin:8 + n + end], "<i8")[0] == 3
        print("numpy ok")
        """
        #expect(try runPython(script, arguments: [path]).contains("numpy ok"))
    }
}
