import Foundation
import Testing
import TestSupport
@testable import SSMKit

/// The safetensors writer and reader (Safetensors*.swift, HeaderJSON.swift): round trips, the exact
/// bytes of a small file, one test per class of malformed file, every truncation, random byte flips,
/// and files checked by NumPy and the `safetensors` package in a Python subprocess.
@Suite struct SafetensorsTests {
    /// A few tensors covering every dtype, a scalar and empty tensors.
    static func sampleTensors() throws -> [SafetensorsTensor] {
        [
            try SafetensorsTensor(name: "weights", shape: [2, 3], values: [1.5, -2.0, 0.0, -0.0, 1e-300, .greatestFiniteMagnitude]),
            try SafetensorsTensor(name: "scale", shape: [], values: [Float(0.25)]),
            try SafetensorsTensor(name: "steps", shape: [3], values: [Int64.min, 0, Int64.max]),
            try SafetensorsTensor(name: "empty", shape: [0, 5], values: [Double]()),
            try SafetensorsTensor(name: "nothing", shape: [0], values: [Int64]()),
            try SafetensorsTensor(name: "halfs", shape: [3, 1], values: [Float(0.5), -1.25, 3]),
        ]
    }

    static let sampleMetadata = ["format": "ssmkit", "quote\"and\\slash": "line\nbreak\ttab\u{01}", "ünïcode": "λ = −1 + 2i 🙂"]

    /// Throws unless `body` throws an SSMError of `kind` whose message contains `text`.
    func expectError(_ kind: SSMError.Kind, _ text: String, sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected \(kind) containing \"\(text)\", but nothing was thrown", sourceLocation: sourceLocation)
        } catch let error as SSMError {
            #expect(error.kind == kind, "\(error.message)", sourceLocation: sourceLocation)
            #expect(error.message.contains(text), "message: \(error.message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    /// A file with `header` as its JSON (space-padded to a multiple of 8) and `data` as its buffer.
    func file(_ header: String, _ data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
        var h = Array(header.utf8)
        h += [UInt8](repeating: 0x20, count: (8 - h.count % 8) % 8)
        return littleEndianBytes([length ?? UInt64(h.count)]) + h + data
    }

    func entry(_ name: String, _ dtype: String = "F64", _ shape: String = "[1]", _ offsets: String = "[0,8]") -> String {
        "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
    }

    // MARK: Round trips and layout

    @Test func roundTripKeepsEveryDtypeScalarsAndEmptyTensors() throws {
        let tensors = try Self.sampleTensors()
        let bytes = try encodeSafetensors(tensors, metadata: Self.sampleMetadata)
        #expect(bytes.count % 8 == 0)  // 8 + padded header + 48 + 24 + 0 + 0 + 4 + 12 bytes of data
        let back = try decodeSafetensors(bytes)
        #expect(back.metadata == Self.sampleMetadata)
        #expect(back.tensors.count == tensors.count)
        for t in tensors { #expect(back.tensor(t.name) == t) }
        #expect(try back.tensor("weights")!.doubles() == [1.5, -2.0, 0.0, -0.0, 1e-300, .greatestFiniteMagnitude])
        #expect(try back.tensor("weights")!.doubles()[3].sign == .minus)
        #expect(try back.tensor("scale")!.floats() == [0.25])
        #expect(try back.tensor("scale")!.doubles() == [0.25])
        #expect(back.tensor("scale")!.shape == [] && back.tensor("scale")!.count == 1)
        #expect(try back.tensor("steps")!.int64s() == [Int64.min, 0, Int64.max])
        #expect(back.tensor("empty")!.count == 0 && back.tensor("empty")!.shape == [0, 5])
        #expect(try back.tensor("halfs")!.floats() == [0.5, -1.25, 3])
        // 8-byte tensors come first, so each starts at a multiple of its element size.
        #expect(back.tensors.map(\.name) == ["weights", "steps", "empty", "nothing", "scale", "halfs"])
        // Equal input, equal bytes.
        #expect(try encodeSafetensors(back.tensors, metadata: back.metadata) == bytes)
    }

    @Test func nonFiniteValuesKeepTheirBits() throws {
        let nan = Double(bitPattern: 0x7FF8_0000_DEAD_BEEF)
        let t = try SafetensorsTensor(name: "x", shape: [3], values: [nan, .infinity, -.infinity])
        let back = try decodeSafetensors(try encodeSafetensors([t])).tensors[0].doubles()
        #expect(back[0].bitPattern == nan.bitPattern && back[1] == .infinity && back[2] == -.infinity)
    }

    @Test func layoutOfASmallFileIsExact() throws {
        let bytes = try encodeSafetensors(
            [try SafetensorsTensor(name: "s", shape: [], values: [Float(0.5)]),
             try SafetensorsTensor(name: "x", shape: [2], values: [1.0, -2.0])],
            metadata: ["k": "v"])
        // 134 bytes of JSON padded with two spaces to 136 = 0x88; x (F64) before s (F32).
        let header = #"{"__metadata__":{"k":"v"},"x":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"s":{"dtype":"F32","shape":[],"data_offsets":[16,20]}}  "#
        var expected: [UInt8] = [0x88, 0, 0, 0, 0, 0, 0, 0]
        expected += Array(header.utf8)
        expected += [0, 0, 0, 0, 0, 0, 0xF0, 0x3F]  // 1.0
        expected += [0, 0, 0, 0, 0, 0, 0, 0xC0]     // -2.0
        expected += [0, 0, 0, 0x3F]                 // 0.5f
        #expect(header.utf8.count == 136)
        #expect(bytes == expected)
    }

    @Test func headerWhitespaceAndKeyOrderAreAccepted() throws {
        // Another writer's style: pretty-printed, metadata last, tensors in any header order.
        let header = "{\n  \"b\": {\"data_offsets\": [8, 16], \"shape\": [1], \"dtype\": \"I64\"},\n  \"a\": {\"dtype\": \"F64\", \"shape\": [1], \"data_offsets\": [0, 8]},\n  \"__metadata__\": {}\n}"
        let data = littleEndianBytes([Double(3).bitPattern]) + littleEndianBytes([Int64(-7)])
        let back = try decodeSafetensors(file(header, data))
        #expect(back.tensors.map(\.name) == ["a", "b"])
        #expect(try back.tensor("a")!.doubles() == [3] && back.tensor("b")!.int64s() == [-7])
        #expect(back.metadata.isEmpty)
    }

    @Test func filesAreWrittenAtomicallyAndReadBack() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.safetensors"
        try writeSafetensors(path: path, tensors: try Self.sampleTensors(), metadata: Self.sampleMetadata)
        let replacement = [try SafetensorsTensor(name: "only", shape: [1], values: [42.0])]
        try writeSafetensors(path: path, tensors: replacement)  // replaces the first file
        #expect(try readSafetensors(path: path) == SafetensorsContents(tensors: replacement))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.safetensors"])
        // A failed write leaves the old file and no temporary file behind.
        expectError(.value, "two tensors") { try writeSafetensors(path: path, tensors: replacement + replacement) }
        expectError(.io, "cannot create") { try writeSafetensors(path: folder + "/missing/x.safetensors", tensors: replacement) }
        #expect(try readSafetensors(path: path).tensors == replacement)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["model.safetensors"])
        // Reading: missing file, a folder, and the size limit checked before reading.
        expectError(.io, "No such file") { _ = try readSafetensors(path: folder + "/absent") }
        expectError(.io, "not a regular file") { _ = try readSafetensors(path: folder) }
        expectError(.memory, "allocation limit") { _ = try readSafetensors(path: path, allocationLimit: 16) }
        // Errors from the content name the file.
        let truncated = folder + "/truncated.safetensors"
        try Data(try encodeSafetensors(replacement).dropLast()).write(to: URL(fileURLWithPath: truncated))
        expectError(.size, truncated) { _ = try readSafetensors(path: truncated) }
    }

    // MARK: Writer and accessor errors

    @Test func writerAndAccessorsRefuseInconsistentInput() throws {
        expectError(.size, "needs 48 bytes") { _ = try SafetensorsTensor(name: "x", dtype: .f64, shape: [2, 3], bytes: [0]) }
        expectError(.size, "needs 6 values, got 1") { _ = try SafetensorsTensor(name: "x", shape: [2, 3], values: [1.0]) }
        expectError(.size, "negative") { _ = try SafetensorsTensor(name: "x", shape: [-1], values: [Double]()) }
        expectError(.size, "overflows") { _ = try SafetensorsTensor(name: "x", shape: [1 << 32, 1 << 32], values: [Double]()) }
        expectError(.size, "overflows") { _ = try SafetensorsTensor(name: "x", shape: [1 << 61], values: [Double]()) }
        let t = try SafetensorsTensor(name: "x", shape: [1], values: [Int64(1)])
        expectError(.value, "two tensors are called \"x\"") { _ = try encodeSafetensors([t, t]) }
        expectError(.value, "__metadata__") {
            _ = try encodeSafetensors([try SafetensorsTensor(name: "__metadata__", shape: [1], values: [1.0])])
        }
        expectError(.unsupported, "is I64") { _ = try t.doubles() }
        expectError(.unsupported, "not F32") { _ = try t.floats() }
        expectError(.unsupported, "not I64") { _ = try SafetensorsTensor(name: "y", shape: [], values: [1.0]).int64s() }
    }

    // MARK: Malformed files, one class at a time

    @Test func lengthsAndLimitsAreCheckedBeforeUse() {
        expectError(.size, "fewer than the 8") { _ = try decodeSafetensors([]) }
        expectError(.size, "fewer than the 8") { _ = try decodeSafetensors([16, 0, 0, 0, 0, 0, 0]) }
        expectError(.size, "larger than the 8 bytes after it") { _ = try decodeSafetensors(file("{}", length: 9)) }
        expectError(.memory, "above the limit") { _ = try decodeSafetensors(file("{}", length: UInt64.max)) }
        expectError(.memory, "above the limit") { _ = try decodeSafetensors(file("{}", length: 100_000_001)) }
        expectError(.memory, "allocation limit of 8") { _ = try decodeSafetensors(file("{}"), allocationLimit: 8) }
    }

    @Test func headerTextMustBeUTF8JSON() {
        expectError(.value, "starting with '{'") { _ = try decodeSafetensors(file("")) }
        expectError(.value, "starting with '{'") { _ = try decodeSafetensors(file(" {}")) }
        expectError(.value, "starting with '{'") { _ = try decodeSafetensors(file("[1]")) }
        var bad = file("{\"a\u{7F}\":1}")
        bad[11] = 0xFF
        expectError(.value, "not valid UTF-8 (at header byte 3)") { _ = try decodeSafetensors(bad) }
        expectError(.value, "invalid JSON in the header at byte 5") { _ = try decodeSafetensors(file("{\"a\":}")) }
        expectError(.value, "expected ',' or '}'") { _ = try decodeSafetensors(file("{\"a\":1")) }
        expectError(.value, "unterminated string") { _ = try decodeSafetensors(file("{\"a")) }
        expectError(.value, "after the end") { _ = try decodeSafetensors(file("{} x")) }
        expectError(.value, "after the end") { _ = try decodeSafetensors(file("{}\u{0}")) }
        expectError(.value, "leading zero") { _ = try decodeSafetensors(file("{\"a\":01}")) }
        expectError(.value, "unpaired UTF-16 surrogate") { _ = try decodeSafetensors(file("{\"\\ud800\":1}")) }
        expectError(.value, "unknown escape") { _ = try decodeSafetensors(file("{\"\\q\":1}")) }
        expectError(.value, "raw control character") { _ = try decodeSafetensors(file("{\"a\u{1}\":1}")) }
        // Deep nesting is refused, not recursed into until the stack overflows.
        let deep = "{\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        expectError(.value, "nested deeper than 16") { _ = try decodeSafetensors(file(deep)) }
    }

    @Test func fieldsMustBePresentKnownAndWellTyped() {
        let d8 = [UInt8](repeating: 0, count: 8)
        expectError(.value, "tensor \"x\" must be an object, got an array") { _ = try decodeSafetensors(file("{\"x\":[]}", d8)) }
        expectError(.value, "no \"dtype\"") { _ = try decodeSafetensors(file("{\"x\":{\"shape\":[1],\"data_offsets\":[0,8]}}", d8)) }
        expectError(.value, "no \"shape\"") { _ = try decodeSafetensors(file("{\"x\":{\"dtype\":\"F64\",\"data_offsets\":[0,8]}}", d8)) }
        expectError(.value, "no \"data_offsets\"") { _ = try decodeSafetensors(file("{\"x\":{\"dtype\":\"F64\",\"shape\":[1]}}", d8)) }
        expectError(.value, "unknown field \"extra\"") {
            _ = try decodeSafetensors(file("{\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8],\"extra\":0}}", d8))
        }
        expectError(.value, "\"dtype\" must be a string, got a number") {
            _ = try decodeSafetensors(file("{\"x\":{\"dtype\":64,\"shape\":[1],\"data_offsets\":[0,8]}}", d8))
        }
        expectError(.value, "\"shape\" must be an array of integers, got a string") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "\"1\""))}", d8)) }
        expectError(.value, "\"shape\"[0] = 1.0 is not an integer") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "[1.0]"))}", d8)) }
        expectError(.value, "\"shape\"[0] = 1e0 is not an integer") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "[1e0]"))}", d8)) }
        expectError(.value, "must be an integer, got null") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "[null]"))}", d8)) }
        expectError(.value, "must be [begin, end], got 3") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "[1]", "[0,8,8]"))}", d8)) }
        expectError(.value, "duplicate key \"x\"") { _ = try decodeSafetensors(file("{\(entry("x")),\(entry("x"))}", d8)) }
        expectError(.value, "must be an object of strings") { _ = try decodeSafetensors(file("{\"__metadata__\":[]}")) }
        expectError(.value, "\"__metadata__\".\"k\" must be a string, got a number") {
            _ = try decodeSafetensors(file("{\"__metadata__\":{\"k\":1}}"))
        }
        expectError(.value, "duplicate key \"k\"") { _ = try decodeSafetensors(file("{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}")) }
    }

    @Test func dtypesOtherThanF64F32I64AreUnsupported() {
        for dtype in ["F16", "BF16", "I32", "U8", "BOOL", "f64", "XYZ"] {
            expectError(.unsupported, "dtype \"\(dtype)\"") { _ = try decodeSafetensors(file("{\(entry("x", dtype))}", [UInt8](repeating: 0, count: 8))) }
        }
    }

    @Test func shapesAndOffsetsMustMatchAndTileTheBuffer() {
        let d8 = [UInt8](repeating: 0, count: 8), d16 = d8 + d8
        expectError(.size, "shape[0] = -1 is negative") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "[-1]", "[0,0]"))}")) }
        expectError(.size, "overflows") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "[4294967296,4294967296]", "[0,0]"))}")) }
        expectError(.size, "overflows") { _ = try decodeSafetensors(file("{\(entry("x", "I64", "[2305843009213693952]", "[0,0]"))}")) }
        expectError(.size, "does not fit in 64 bits") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "[99999999999999999999]", "[0,8]"))}", d8)) }
        let rank65 = "[" + Array(repeating: "1", count: 65).joined(separator: ",") + "]"
        expectError(.size, "more than 64") { _ = try decodeSafetensors(file("{\(entry("x", "F64", rank65))}", d8)) }
        expectError(.size, "hold 16 bytes, but shape [1] of F64 needs 8") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "[1]", "[0,16]"))}", d16)) }
        expectError(.size, "hold 8 bytes, but shape [1] of F32 needs 4") { _ = try decodeSafetensors(file("{\(entry("x", "F32"))}", d8)) }
        expectError(.size, "negative") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "[1]", "[-8,0]"))}", d8)) }
        expectError(.size, "begin 8 > end 0") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "[0]", "[8,0]"))}", d8)) }
        expectError(.size, "end past the 8-byte data buffer") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "[2]", "[0,16]"))}", d8)) }
        expectError(.size, "end past the 8-byte data buffer") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "[1]", "[8,16]"))}", d8)) }
        expectError(.size, "\"a\" and \"b\" overlap") { _ = try decodeSafetensors(file("{\(entry("a")),\(entry("b"))}", d16)) }
        expectError(.size, "\"a\" and \"b\" overlap") {
            _ = try decodeSafetensors(file("{\(entry("a", "F64", "[2]", "[0,16]")),\(entry("b", "F64", "[0]", "[8,8]"))}", d16))
        }
        expectError(.size, "a gap of 8 bytes before tensor \"x\"") { _ = try decodeSafetensors(file("{\(entry("x", "F64", "[1]", "[8,16]"))}", d16)) }
        expectError(.size, "8 bytes after the last tensor's data") { _ = try decodeSafetensors(file("{\(entry("x"))}", d16)) }
        expectError(.size, "3 bytes after the last tensor's data") { _ = try decodeSafetensors(file("{}", [1, 2, 3])) }
        // Zero-size tensors at the same offset as their neighbours do not overlap.
        #expect(throws: Never.self) {
            _ = try decodeSafetensors(file("{\(entry("a", "F64", "[0]", "[0,0]")),\(entry("b")),\(entry("c", "I64", "[0,3]", "[8,8]"))}", d8))
        }
    }

    // MARK: Hostile input in bulk

    @Test func everyTruncationThrows() throws {
        let bytes = try encodeSafetensors(try Self.sampleTensors(), metadata: Self.sampleMetadata)
        for length in 0..<bytes.count {
            #expect(throws: SSMError.self, "truncated to \(length) bytes") { _ = try decodeSafetensors(Array(bytes[..<length])) }
        }
        #expect(try decodeSafetensors(bytes).tensors.count == 6)
    }

    @Test func randomByteFlipsNeverCrash() throws {
        let valid = try encodeSafetensors(try Self.sampleTensors(), metadata: Self.sampleMetadata)
        let headerEnd = 8 + Int(valid[0]) + 256 * Int(valid[1])
        var rng = SplitMix64(seed: 20_240_604)
        var rejected = 0, accepted = 0
        for _ in 0..<4000 {
            var bytes = valid
            // Mostly flips in the header, where the structure is; some in the length and data.
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0..<10, using: &rng) < 8 ? Int.random(in: 8..<headerEnd, using: &rng)
                                                                  : Int.random(in: 0..<bytes.count, using: &rng)
                bytes[at] = Bool.random(using: &rng) ? bytes[at] ^ UInt8(1 << Int.random(in: 0..<8, using: &rng))
                                                     : UInt8.random(in: 0...255, using: &rng)
            }
            do {
                let contents = try decodeSafetensors(bytes)
                accepted += 1
                // Whatever was accepted is self-consistent: it encodes and decodes to itself.
                #expect(try decodeSafetensors(try encodeSafetensors(contents.tensors, metadata: contents.metadata)).tensors.count
                        == contents.tensors.count)
            } catch is SSMError {
                rejected += 1
            }
        }
        print("SafetensorsTests: \(rejected) mutated files rejected, \(accepted) accepted")
        #expect(rejected > 1000 && accepted > 100, "rejected \(rejected), accepted \(accepted)")
    }

    // MARK: Compatibility with NumPy and the safetensors package

    @Test func pythonReadsOurFilesAndWeReadTheirs() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ours = folder + "/ours.safetensors", theirs = folder + "/theirs.safetensors"
        let tensors = try Self.sampleTensors()
        try writeSafetensors(path: ours, tensors: tensors, metadata: Self.sampleMetadata)

        // NumPy parses our file by hand; `safetensors` (if installed) loads it and writes a file back.
        let script = """
        import json, struct, sys
        import numpy as np
        path, theirs = sys.argv[1], sys.argv[2]
        expected = {
            "weights": ("F64", (2, 3), np.array([1.5, -2.0, 0.0, -0.0, 1e-300, np.finfo(np.float64).max]).reshape(2, 3)),
            "scale": ("F32", (), np.array(0.25, dtype=np.float32)),
            "steps": ("I64", (3,), np.array([-2**63, 0, 2**63 - 1], dtype=np.int64)),
            "empty": ("F64", (0, 5), np.zeros((0, 5))),
            "nothing": ("I64", (0,), np.zeros(0, dtype=np.int64)),
            "halfs": ("F32", (3, 1), np.array([[0.5], [-1.25], [3.0]], dtype=np.float32)),
        }
        numpy_dtype = {"F64": "<f8", "F32": "<f4", "I64": "<i8"}
        raw = open(path, "rb").read()
        (n,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + n].decode("utf-8"))
        assert header.pop("__metadata__") == \(pythonDict(Self.sampleMetadata)), "metadata"
        assert set(header) == set(expected), sorted(header)
        buffer = raw[8 + n:]
        for name, (dtype, shape, want) in expected.items():
            e = header[name]
            assert e["dtype"] == dtype and tuple(e["shape"]) == shape, (name, e)
            begin, end = e["data_offsets"]
            got = np.frombuffer(buffer[begin:end], dtype=numpy_dtype[dtype]).reshape(shape)
            assert got.dtype == want.dtype and np.array_equal(got, want), (name, got, want)
        assert np.signbit(np.frombuffer(buffer, "<f8", 6)[3]), "-0.0 lost its sign"
        print("numpy ok")
        try:
            from safetensors import safe_open
            from safetensors.numpy import load_file, save_file
        except ImportError:
            print("safetensors not installed: skipped")
            sys.exit(0)
        loaded = load_file(path)
        for name, (dtype, shape, want) in expected.items():
            assert loaded[name].dtype == want.dtype and np.array_equal(loaded[name], want), name
        with safe_open(path, framework="numpy") as f:
            assert f.metadata() == \(pythonDict(Self.sampleMetadata)), f.metadata()
        save_file({"a": np.arange(6, dtype=np.float64).reshape(2, 3) / 8, "b": np.array([7, -9], dtype=np.int64),
                   "c": np.array(1.5, dtype=np.float32)}, theirs, metadata={"made by": "safetensors"})
        print("safetensors ok")
        """
        let output = try runPython(script, arguments: [ours, theirs])
        #expect(output.contains("numpy ok"), "\(output)")
        if output.contains("safetensors ok") {
            let back = try readSafetensors(path: theirs)
            #expect(try back.tensor("a")?.doubles() == [0, 0.125, 0.25, 0.375, 0.5, 0.625])
            #expect(back.tensor("a")?.shape == [2, 3])
            #expect(try back.tensor("b")?.int64s() == [7, -9])
            #expect(try back.tensor("c")?.floats() == [1.5] && back.tensor("c")?.shape == [])
            #expect(back.metadata == ["made by": "safetensors"])
        } else {
            print("SafetensorsTests: the safetensors package is not installed (python3 -m pip install safetensors); checked with NumPy only")
        }
    }
}

// MARK: - Helpers

/// A new empty folder under the system's temporary folder.
func temporaryFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory.path + "/ssmkit-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
}

/// A Python dict literal of string pairs (JSON string literals are valid Python literals).
func pythonDict(_ d: [String: String]) -> String {
    "{" + d.keys.sorted().map { "\(jsonStringLiteral($0)): \(jsonStringLiteral(d[$0]!))" }.joined(separator: ", ") + "}"
}

/// Runs `python3 -c script arguments...` (python3 from PATH) and returns its standard output;
/// a non-zero exit is a test failure that shows standard error.
func runPython(_ script: String, arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "python3 failed:\n\(stderr)")
    return stdout
}
