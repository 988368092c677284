// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of UTF-8
// JSON {"name": {"dtype", "shape", "data_offsets": [begin, end]}, ..., "__metadata__": {str: str}}
// (padded with spaces), then the data buffer; offsets are relative to the buffer, tensors are
// row-major little-endian and tile the buffer exactly. The decoder treats its input as hostile:
// every length is checked before it is used, and every violation is an SSMError naming it.

/// The tensors (in buffer order) and string metadata of a safetensors file.
public struct SafetensorsContents: Sendable, Equatable {
    public var tensors: [SafetensorsTensor]
    public var metadata: [String: String]

    public init(tensors: [SafetensorsTensor], metadata: [String: String] = [:]) {
        self.tensors = tensors; self.metadata = metadata
    }

    /// The tensor called `name`, if any.
    public func tensor(_ name: String) -> SafetensorsTensor? {
        tensors.first { $0.name == name }
    }
}

/// The key of the metadata object in the header.
private let metadataKey = "__metadata__"

// MARK: - Encoding

/// The bytes of a safetensors file holding `tensors` and `metadata`. Tensors with 8-byte elements
/// are placed before 4-byte ones (stable otherwise), so every tensor starts at a multiple of its
/// element size in a file read to an 8-aligned address. Metadata keys are written sorted, so equal
/// input gives equal bytes.
/// Errors: `.value` (duplicate names, a tensor called "__metadata__"), `.size` (the file would be
/// larger than `Int.max` or the header larger than `Safetensors.headerLimit`).
public func encodeSafetensors(_ tensors: [SafetensorsTensor], metadata: [String: String] = [:]) throws -> [UInt8] {
    var names = Set<String>()
    for t in tensors {
        try require(t.name != metadataKey, .value, "a tensor cannot be called \"\(metadataKey)\"")
        try require(names.insert(t.name).inserted, .value, "two tensors are called \"\(t.name)\"")
    }
    let ordered = tensors.enumerated().sorted {
        ($0.element.dtype.byteCount, -$0.offset) > ($1.element.dtype.byteCount, -$1.offset)
    }.map(\.element)

    var entries: [String] = []
    if !metadata.isEmpty {
        let pairs = metadata.keys.sorted().map { "\(jsonStringLiteral($0)):\(jsonStringLiteral(metadata[$0]!))" }
        entries.append("\(jsonStringLiteral(metadataKey)):{\(pairs.joined(separator: ","))}")
    }
    var offset = 0
    for t in ordered {
        let (end, overflow) = offset.addingReportingOverflow(t.bytes.count)
        try require(!overflow, .size, "the tensors hold more than \(Int.max) bytes")
        let shape = t.shape.map(String.init).joined(separator: ",")
        entries.append("\(jsonStringLiteral(t.name)):{\"dtype\":\"\(t.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
        offset = end
    }
    var header = Array("{\(entries.joined(separator: ","))}".utf8)
    header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
    try require(header.count <= Safetensors.headerLimit, .size,
                "the header would have \(header.count) bytes, more than the limit of \(Safetensors.headerLimit)")
    let (total, overflow) = (8 + header.count).addingReportingOverflow(offset)
    try require(!overflow, .size, "the file would hold more than \(Int.max) bytes")

    var out = [UInt8]()
    out.reserveCapacity(total)
    out.append(contentsOf: littleEndianBytes([UInt64(header.count)]))
    out.append(contentsOf: header)
    for t in ordered { out.append(contentsOf: t.bytes) }
    return out
}

// MARK: - Decoding

/// The tensors and metadata in the bytes of a safetensors file, after checking all of it.
/// `allocationLimit` caps the bytes the decoded tensors may hold (they are copies of the input).
/// Errors: `.size` (fewer than 8 bytes; a header length past the end; offsets that disagree with
/// shape × dtype size, leave the buffer, overlap, leave gaps or stop before its end; shape entries
/// negative or overflowing), `.memory` (header above `Safetensors.headerLimit`, input above
/// `allocationLimit`), `.value` (header not UTF-8 or not JSON, missing, unknown or wrongly typed
/// fields, duplicate names, non-string metadata), `.unsupported` (a dtype other than F64, F32, I64).
public func decodeSafetensors(_ bytes: [UInt8], allocationLimit: Int = Safetensors.defaultAllocationLimit) throws -> SafetensorsContents {
    try require(bytes.count >= 8, .size,
                "the file has \(bytes.count) bytes, fewer than the 8 of the header length (truncated?)")
    try require(bytes.count <= allocationLimit, .memory,
                "the file has \(bytes.count) bytes, above the allocation limit of \(allocationLimit) bytes")
    let declared = fromLittleEndian(Array(bytes[0..<8]), as: UInt64.self)[0]
    try require(declared <= UInt64(Safetensors.headerLimit), .memory,
                "the header length \(declared) is above the limit of \(Safetensors.headerLimit) bytes")
    let headerLength = Int(declared), available = bytes.count - 8
    try require(headerLength <= available, .size,
                "the header length \(headerLength) is larger than the \(available) bytes after it (truncated?)")
    try require(headerLength >= 2 && bytes[8] == UInt8(ascii: "{"), .value,
                "the header must be a JSON object starting with '{' (header length \(headerLength))")
    let header = Array(bytes[8..<(8 + headerLength)])
    try requireUTF8(header)
    guard case .object(let members) = try parseHeaderJSON(header) else {
        throw SSMError(.value, "the header is not a JSON object")  // unreachable after the '{' check
    }

    let bufferStart = 8 + headerLength, bufferLength = bytes.count - bufferStart
    var metadata: [String: String] = [:]
    var layout: [(name: String, dtype: SafetensorsDType, shape: [Int], begin: Int, end: Int)] = []
    for (name, entry) in members {
        if name == metadataKey {
            metadata = try decodeMetadata(entry)
            continue
        }
        let e = try decodeEntry(name, entry)
        try require(e.end <= bufferLength, .size,
                    "tensor \"\(name)\": data_offsets [\(e.begin), \(e.end)] end past the \(bufferLength)-byte data buffer (truncated?)")
        layout.append((name, e.dtype, e.shape, e.begin, e.end))
    }

    // The tensors must tile the buffer: sorted by offsets, each begins where the previous ends.
    layout.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
    var expected = 0, previous = ""
    for t in layout {
        try require(t.begin >= expected, .size,
                    "tensors \"\(previous)\" and \"\(t.name)\" overlap (data_offsets \(t.begin) < \(expected))")
        try require(t.begin == expected, .size,
                    "a gap of \(t.begin - expected) bytes before tensor \"\(t.name)\" (data_offsets begin \(t.begin), expected \(expected))")
        expected = t.end; previous = t.name
    }
    try require(expected == bufferLength, .size,
                "\(bufferLength - expected) bytes after the last tensor's data are not described by the header (trailing garbage)")

    let tensors = try layout.map {
        try SafetensorsTensor(name: $0.name, dtype: $0.dtype, shape: $0.shape,
                              bytes: Array(bytes[(bufferStart + $0.begin)..<(bufferStart + $0.end)]))
    }
    return SafetensorsContents(tensors: tensors, metadata: metadata)
}

/// Throws `.value` naming the header byte where `bytes` stops being valid UTF-8.
private func requireUTF8(_ bytes: [UInt8]) throws {
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var offset = 0
    while true {
        switch parser.parseScalar(from: &iterator) {
        case .valid(let scalar): offset += scalar.count
        case .emptyInput: return
        case .error(let length):
            _ = length
            throw SSMError(.value, "the header is not valid UTF-8 (at header byte \(offset))")
        }
    }
}

/// The `__metadata__` object: string keys to string values.
private func decodeMetadata(_ value: HeaderJSON) throws -> [String: String] {
    guard case .object(let members) = value else {
        throw SSMError(.value, "\"\(metadataKey)\" must be an object of strings, got \(value.typeName)")
    }
    var out: [String: String] = [:]
    for (key, v) in members {
        guard case .string(let text) = v else {
            throw SSMError(.value, "\"\(metadataKey)\".\"\(key)\" must be a string, got \(v.typeName)")
        }
        out[key] = text
    }
    return out
}

/// One tensor entry {"dtype", "shape", "data_offsets"}, checked on its own.
private func decodeEntry(_ name: String, _ value: HeaderJSON) throws
    -> (dtype: SafetensorsDType, shape: [Int], begin: Int, end: Int) {
    guard case .object(let fields) = value else {
        throw SSMError(.value, "tensor \"\(name)\" must be an object, got \(value.typeName)")
    }
    var dtypeValue: HeaderJSON?, shapeValue: HeaderJSON?, offsetsValue: HeaderJSON?
    for (key, v) in fields {
        switch key {
        case "dtype": dtypeValue = v
        case "shape": shapeValue = v
        case "data_offsets": offsetsValue = v
        default: throw SSMError(.value, "tensor \"\(name)\" has an unknown field \"\(key)\"")
        }
    }
    guard let dtypeValue else { throw SSMError(.value, "tensor \"\(name)\" has no \"dtype\"") }
    guard let shapeValue else { throw SSMError(.value, "tensor \"\(name)\" has no \"shape\"") }
    guard let offsetsValue else { throw SSMError(.value, "tensor \"\(name)\" has no \"data_offsets\"") }

    guard case .string(let dtypeName) = dtypeValue else {
        throw SSMError(.value, "tensor \"\(name)\": \"dtype\" must be a string, got \(dtypeValue.typeName)")
    }
    guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
        throw SSMError(.unsupported, "tensor \"\(name)\" has dtype \"\(dtypeName)\"; SSMKit reads F64, F32 and I64")
    }
    let shape = try integers(shapeValue, "tensor \"\(name)\": \"shape\"")
    let count = try safetensorsElementCount(shape, dtype: dtype, name: name)
    let offsets = try integers(offsetsValue, "tensor \"\(name)\": \"data_offsets\"")
    try require(offsets.count == 2, .value,
                "tensor \"\(name)\": \"data_offsets\" must be [begin, end], got \(offsets.count) numbers")
    let (begin, end) = (offsets[0], offsets[1])
    try require(begin >= 0 && end >= 0, .size, "tensor \"\(name)\": data_offsets \(offsets) are negative")
    try require(begin <= end, .size, "tensor \"\(name)\": data_offsets begin \(begin) > end \(end)")
    try require(end - begin == count * dtype.byteCount, .size,
                "tensor \"\(name)\": data_offsets [\(begin), \(end)] hold \(end - begin) bytes, but shape \(shape) of \(dtype.rawValue) needs \(count * dtype.byteCount)")
    return (dtype, shape, begin, end)
}

/// A JSON array of integers (negative ones allowed here, for a precise message later).
/// Errors: `.value` (not an array, or an entry that is not an integer), `.size` (an entry too
/// large for `Int`, or more entries than `Safetensors.maximumRank`).
private func integers(_ value: HeaderJSON, _ what: String) throws -> [Int] {
    guard case .array(let elements) = value else {
        throw SSMError(.value, "\(what) must be an array of integers, got \(value.typeName)")
    }
    try require(elements.count <= Safetensors.maximumRank, .size,
                "\(what) has \(elements.count) entries, more than \(Safetensors.maximumRank)")
    return try elements.enumerated().map { index, element in
        guard case .number(let text) = element else {
            throw SSMError(.value, "\(what)[\(index)] must be an integer, got \(element.typeName)")
        }
        let negative = text.hasPrefix("-")
        guard let magnitude = HeaderJSON.number(negative ? String(text.dropFirst()) : text).nonNegativeInteger else {
            let isInteger = text.utf8.dropFirst(negative ? 1 : 0).allSatisfy { (0x30...0x39).contains($0) }
            throw SSMError(isInteger ? .size : .value,
                           isInteger ? "\(what)[\(index)] = \(text) does not fit in 64 bits" : "\(what)[\(index)] = \(text) is not an integer")
        }
        return negative ? -magnitude : magnitude
    }
}
