// One tensor of a safetensors file: a name, an element type, a row-major shape and the raw
// little-endian bytes. Raw bytes (not typed arrays) are what the format stores and what a C or
// Python wrapper hands over; the typed initializers and accessors convert at the edge.

/// The element types SSMKit reads and writes (safetensors' names). Others are refused with
/// `.unsupported`.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case f64 = "F64"
    case f32 = "F32"
    case i64 = "I64"

    /// Bytes per element.
    public var byteCount: Int { self == .f32 ? 4 : 8 }
}

/// Limits that keep a hostile file from making SSMKit allocate without bound.
public enum Safetensors {
    /// Largest JSON header accepted (the reference implementation's limit).
    public static let headerLimit = 100_000_000
    /// Default cap on the bytes one read may hold (the C layer's default allocation limit, 4 GiB).
    public static let defaultAllocationLimit = 4 << 30
    /// Largest number of dimensions (NumPy's limit).
    public static let maximumRank = 64
}

/// A named tensor. Immutable and always consistent: `bytes.count == count × dtype.byteCount`.
public struct SafetensorsTensor: Sendable, Equatable {
    public let name: String
    public let dtype: SafetensorsDType
    /// Row-major; `[]` is a scalar (one element), a zero entry makes an empty tensor.
    public let shape: [Int]
    /// Little-endian element bytes, row-major.
    public let bytes: [UInt8]

    /// The number of elements (the product of `shape`; 1 for a scalar).
    public var count: Int { bytes.count / dtype.byteCount }

    /// Errors: `.size` (negative or overflowing shape, more than 64 dimensions, or a byte count that
    /// is not shape × dtype size).
    public init(name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) throws {
        let count = try safetensorsElementCount(shape, dtype: dtype, name: name)
        try require(bytes.count == count * dtype.byteCount, .size,
                    "tensor \"\(name)\": shape \(shape) of \(dtype.rawValue) needs \(count * dtype.byteCount) bytes, got \(bytes.count)")
        self.name = name; self.dtype = dtype; self.shape = shape; self.bytes = bytes
    }

    /// An F64 tensor. Errors: `.size` (values.count is not the product of shape).
    public init(name: String, shape: [Int], values: [Double]) throws {
        try requireCount(values.count, shape, .f64, name)
        try self.init(name: name, dtype: .f64, shape: shape, bytes: littleEndianBytes(values.map(\.bitPattern)))
    }

    /// An F32 tensor. Errors: `.size`.
    public init(name: String, shape: [Int], values: [Float]) throws {
        try requireCount(values.count, shape, .f32, name)
        try self.init(name: name, dtype: .f32, shape: shape, bytes: littleEndianBytes(values.map(\.bitPattern)))
    }

    /// An I64 tensor. Errors: `.size`.
    public init(name: String, shape: [Int], values: [Int64]) throws {
        try requireCount(values.count, shape, .i64, name)
        try self.init(name: name, dtype: .i64, shape: shape, bytes: littleEndianBytes(values))
    }

    /// The elements as Float64: F64 as stored, F32 widened (exactly). Errors: `.unsupported` for I64.
    public func doubles() throws -> [Double] {
        switch dtype {
        case .f64: return fromLittleEndian(bytes, as: UInt64.self).map(Double.init(bitPattern:))
        case .f32: return fromLittleEndian(bytes, as: UInt32.self).map { Double(Float(bitPattern: $0)) }
        case .i64: throw SSMError(.unsupported, "tensor \"\(name)\" is I64, not a floating-point tensor")
        }
    }

    /// The elements of an F32 tensor. Errors: `.unsupported` for other dtypes (no silent rounding).
    public func floats() throws -> [Float] {
        try require(dtype == .f32, .unsupported, "tensor \"\(name)\" is \(dtype.rawValue), not F32")
        return fromLittleEndian(bytes, as: UInt32.self).map(Float.init(bitPattern:))
    }

    /// The elements of an I64 tensor. Errors: `.unsupported` for other dtypes.
    public func int64s() throws -> [Int64] {
        try require(dtype == .i64, .unsupported, "tensor \"\(name)\" is \(dtype.rawValue), not I64")
        return fromLittleEndian(bytes, as: Int64.self)
    }
}

/// The element count of `shape`, checking each entry ≥ 0, the rank, and that count × element size
/// fits in `Int`. Errors: `.size` naming the tensor.
func safetensorsElementCount(_ shape: [Int], dtype: SafetensorsDType, name: String) throws -> Int {
    try require(shape.count <= Safetensors.maximumRank, .size,
                "tensor \"\(name)\" has \(shape.count) dimensions, more than \(Safetensors.maximumRank)")
    var count = 1
    for (axis, n) in shape.enumerated() {
        try require(n >= 0, .size, "tensor \"\(name)\": shape[\(axis)] = \(n) is negative")
        let (product, overflow) = count.multipliedReportingOverflow(by: n)
        try require(!overflow, .size, "tensor \"\(name)\": the element count of shape \(shape) overflows")
        count = product
    }
    try require(!count.multipliedReportingOverflow(by: dtype.byteCount).overflow, .size,
                "tensor \"\(name)\": the byte size of shape \(shape) overflows")
    return count
}

/// Throws `.size` unless `count` values fill `shape`.
private func requireCount(_ count: Int, _ shape: [Int], _ dtype: SafetensorsDType, _ name: String) throws {
    let needed = try safetensorsElementCount(shape, dtype: dtype, name: name)
    try require(count == needed, .size, "tensor \"\(name)\": shape \(shape) needs \(needed) values, got \(count)")
}

/// The little-endian bytes of `values`, in order.
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    let size = MemoryLayout<T>.size
    return [UInt8](unsafeUninitializedCapacity: values.count * size) { buffer, initialized in
        let raw = UnsafeMutableRawBufferPointer(buffer)
        for (i, v) in values.enumerated() {
            raw.storeBytes(of: v.littleEndian, toByteOffset: i * size, as: T.self)
        }
        initialized = values.count * size
    }
}

/// The values stored little-endian in `bytes` (whose count is a multiple of the size of T).
func fromLittleEndian<T: FixedWidthInteger>(_ bytes: [UInt8], as: T.Type) -> [T] {
    let size = MemoryLayout<T>.size
    return bytes.withUnsafeBytes { raw in
        (0..<(raw.count / size)).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * size, as: T.self)) }
    }
}
