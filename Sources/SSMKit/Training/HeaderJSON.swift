// The small JSON reader and writer behind safetensors headers. Written here rather than taken from
// Foundation because a header is hostile input: the reader must report duplicate keys (JSON parsers
// usually keep the last one silently), bound its nesting depth (deep nesting would overflow the
// stack of a recursive parser), keep numbers as text until a caller asks for an exact integer, and
// say where the text is wrong. It reads all of RFC 8259 JSON; it never allocates more than a small
// multiple of the input length.

/// A parsed JSON value. Objects keep their members in order; numbers keep their text.
enum HeaderJSON: Equatable {
    case object([(key: String, value: HeaderJSON)])
    case array([HeaderJSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    static func == (lhs: HeaderJSON, rhs: HeaderJSON) -> Bool {
        switch (lhs, rhs) {
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(a), .array(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case (.null, .null): return true
        default: return false
        }
    }

    /// What the value is, for error messages ("expected an array, got a string").
    var typeName: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// The value as a non-negative integer, or `nil` if it is not a JSON number made only of digits
    /// or does not fit in `Int`. (`-0`, `1.0`, `1e3` are not accepted.)
    var nonNegativeInteger: Int? {
        guard case .number(let text) = self, !text.isEmpty else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }
}

// MARK: - Reading

/// Parses one JSON value filling all of `bytes` (surrounding whitespace allowed). The bytes must
/// already be valid UTF-8. Errors: `.value` naming the byte offset and what was expected.
func parseHeaderJSON(_ bytes: [UInt8], maximumDepth: Int = 16) throws -> HeaderJSON {
    var parser = HeaderJSONParser(bytes: bytes, maximumDepth: maximumDepth)
    parser.skipWhitespace()
    let value = try parser.value(depth: 0)
    parser.skipWhitespace()
    if parser.position < bytes.count {
        throw parser.failure("unexpected \(parser.describeCurrent()) after the end of the JSON value")
    }
    return value
}

/// A recursive-descent parser over bytes; `position` is the next unread byte.
private struct HeaderJSONParser {
    let bytes: [UInt8]
    let maximumDepth: Int
    var position = 0

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes; self.maximumDepth = maximumDepth
    }

    func failure(_ what: String) -> SSMError {
        SSMError(.value, "invalid JSON in the header at byte \(position): \(what)")
    }

    func describeCurrent() -> String {
        guard position < bytes.count else { return "end of header" }
        let b = bytes[position]
        return b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
    }

    mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func expect(_ byte: UInt8) throws {
        guard position < bytes.count, bytes[position] == byte else {
            throw failure("expected '\(Character(Unicode.Scalar(byte)))', got \(describeCurrent())")
        }
        position += 1
    }

    mutating func value(depth: Int) throws -> HeaderJSON {
        guard position < bytes.count else { throw failure("expected a value, got the end of the header") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: throw failure("expected a value, got \(describeCurrent())")
        }
    }

    mutating func literal(_ word: String) throws {
        for byte in word.utf8 {
            guard position < bytes.count, bytes[position] == byte else { throw failure("expected '\(word)'") }
            position += 1
        }
    }

    mutating func object(depth: Int) throws -> HeaderJSON {
        guard depth <= maximumDepth else { throw failure("nested deeper than \(maximumDepth) levels") }
        try expect(UInt8(ascii: "{"))
        var members: [(key: String, value: HeaderJSON)] = []
        var seen = Set<String>()
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipWhitespace()
            let keyPosition = position
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw failure("expected a string key, got \(describeCurrent())")
            }
            let key = try string()
            guard seen.insert(key).inserted else {
                position = keyPosition
                throw failure("duplicate key \"\(key)\"")
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            members.append((key, try value(depth: depth)))
            skipWhitespace()
            guard position < bytes.count else { throw failure("expected ',' or '}', got the end of the header") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"))
            return .object(members)
        }
    }

    mutating func array(depth: Int) throws -> HeaderJSON {
        guard depth <= maximumDepth else { throw failure("nested deeper than \(maximumDepth) levels") }
        try expect(UInt8(ascii: "["))
        var elements: [HeaderJSON] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard position < bytes.count else { throw failure("expected ',' or ']', got the end of the header") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "]"))
            return .array(elements)
        }
    }

    /// A number per RFC 8259 (-?int frac? exp?), returned as its text.
    mutating func number() throws -> String {
        let start = position
        func digits(_ p: inout HeaderJSONParser) -> Int {
            let s = p.position
            while p.position < p.bytes.count, (0x30...0x39).contains(p.bytes[p.position]) { p.position += 1 }
            return p.position - s
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let intStart = position
        let intDigits = digits(&self)
        guard intDigits > 0 else { throw failure("a number needs digits") }
        guard intDigits == 1 || bytes[intStart] != UInt8(ascii: "0") else { throw failure("a number has a leading zero") }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw failure("a number needs digits after '.'") }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { throw failure("a number needs digits in its exponent") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// A string with its escapes resolved (lone UTF-16 surrogates and raw control characters are
    /// errors).
    mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        var out: [UInt8] = []
        while true {
            guard position < bytes.count else { throw failure("unterminated string") }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") { position += 1; break }
            if b < 0x20 { throw failure("raw control character 0x\(String(b, radix: 16)) in a string") }
            if b != UInt8(ascii: "\\") { out.append(b); position += 1; continue }
            position += 1
            guard position < bytes.count else { throw failure("unterminated escape") }
            let e = bytes[position]
            position += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code) {
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                          bytes[position + 1] == UInt8(ascii: "u") else { throw failure("unpaired UTF-16 surrogate") }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired UTF-16 surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(code) {
                    throw failure("unpaired UTF-16 surrogate")
                }
                // Valid by construction: not a surrogate, at most 0x10FFFF.
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(code)!)).utf8))
            default:
                position -= 1
                throw failure("unknown escape \\\(describeCurrent())")
            }
        }
        // The whole header was checked to be UTF-8 and escapes add only valid scalars.
        return String(decoding: out, as: UTF8.self)
    }

    mutating func hex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("a \\u escape needs 4 hex digits") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
            default: throw failure("a \\u escape needs 4 hex digits, got \(describeCurrent())")
            }
            code = code << 4 | digit
            position += 1
        }
        return code
    }
}

// MARK: - Writing

/// `text` as a JSON string literal: quotes, backslashes and control characters escaped, everything
/// else (including non-ASCII) written as UTF-8.
func jsonStringLiteral(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
