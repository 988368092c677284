/// The one error type of SSMKit. `kind` maps one-to-one onto the C status codes of `ssmkit.h`;
/// `message` names the argument, the value and what was expected.
public struct SSMError: Error, CustomStringConvertible, Sendable {
    /// What went wrong. Raw values are the C status codes (negative: caller error, positive:
    /// numerical outcome); they are never reused once published.
    public enum Kind: Int32, Sendable {
        case null = -1
        case size = -2
        case value = -3
        case unsupported = -4
        case memory = -5
        case `internal` = -6
        /// A file could not be opened, read, written or renamed (the message carries the system's
        /// reason). Not yet in ssmkit.h: the C layer adds SSM_ERR_IO with the checkpoint functions.
        case io = -7
        case notConverged = 1
        case singular = 2
        case unstable = 3
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

// MARK: - Argument checks shared by the core

@inline(__always)
func require(_ condition: Bool, _ kind: SSMError.Kind, _ message: @autoclosure () -> String) throws {
    if !condition { throw SSMError(kind, message()) }
}

/// Throws `.value` naming `name` and the first bad index if any entry of a float64 or float32 array
/// is NaN or infinite (the branch-free, threaded check of FiniteCheck.swift).
func requireFinite<S: SequenceScalar>(_ values: [S], _ name: String) throws {
    if let k = values.withUnsafeBufferPointer(firstNonFinite) {
        throw SSMError(.value, "\(name)[\(k)] = \(values[k]) is not finite")
    }
}

/// Throws `.value` naming `name` and the first bad index if any entry is NaN or infinite.
func requireFinite<C: Collection>(_ values: C, _ name: String) throws where C.Element: FloatingPoint {
    var index = 0
    for v in values {
        if !v.isFinite { throw SSMError(.value, "\(name)[\(index)] = \(v) is not finite") }
        index += 1
    }
}
