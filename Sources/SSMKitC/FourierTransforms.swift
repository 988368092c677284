// Header section "Fourier transforms".
import ComplexModule
import CSSMKit
import SSMKit

/// Bytes of plan and work space per transformed point, an upper bound: Bluestein at length n uses
/// an inner length m < 4n (factors 2, 3, 5, 7) with its twiddles, chirp, filter spectrum and three
/// scratch rows (≈ 42n Doubles); direct plans need far less.
private let fftBytesPerPoint = 400

/// Validates a batch and returns (count, n, input element count, output element count).
private func batch(_ count: Int64, _ n: Int64, inRow: (Int) -> Int, outRow: (Int) -> Int,
                   what: String) throws -> (Int, Int, Int, Int) {
    let count = try size(count, "count"), n = try size(n, "n")
    let inCount = try elementCount(count, inRow(n), what: "x"), outCount = try elementCount(count, outRow(n), what: "out")
    try requireWorkspace(elements: n, bytesPerElement: fftBytesPerPoint, what: "\(what) of length \(n)")
    return (count, n, inCount, outCount)
}

/// Throws `.value` naming the first non-finite entry of `x` (`width` Doubles per element); the
/// scan is the core's `firstNonFinite` (branch-free block sums, split across threads when large).
private func requireFinite(_ x: UnsafePointer<Double>, _ doubles: Int, width: Int) throws {
    if let k = firstNonFinite(UnsafeBufferPointer(start: x, count: doubles)) {
        throw SSMError(.value, "x[\(k / width)] is not finite (\(x[k]))")
    }
}

private func complexTransform(_ count: Int64, _ n: Int64, _ x: UnsafePointer<ssm_complex_t>?,
                              _ out: UnsafeMutablePointer<ssm_complex_t>?, inverse: Bool) throws {
    let (count, n, total, _) = try batch(count, n, inRow: { $0 }, outRow: { $0 }, what: inverse ? "ifft" : "fft")
    let x = try nonNull(x, "x"), out = try nonNull(out, "out")
    try x.withMemoryRebound(to: Double.self, capacity: 2 * total) { try requireFinite($0, 2 * total, width: 2) }
    // ssm_complex_t and Complex<Double> are both two Doubles (re, im): same layout.
    try x.withMemoryRebound(to: Complex<Double>.self, capacity: total) { input in
        try out.withMemoryRebound(to: Complex<Double>.self, capacity: total) { output in
            try fft(n: n, count: count, UnsafeBufferPointer(start: input, count: total),
                    into: UnsafeMutableBufferPointer(start: output, count: total), inverse: inverse)
        }
    }
}

@c @implementation
public func ssm_fft(_ count: Int64, _ n: Int64, _ x: UnsafePointer<ssm_complex_t>?, _ out: UnsafeMutablePointer<ssm_complex_t>?) -> Int32 {
    boundary("ssm_fft") { try complexTransform(count, n, x, out, inverse: false) }
}

@c @implementation
public func ssm_ifft(_ count: Int64, _ n: Int64, _ x: UnsafePointer<ssm_complex_t>?, _ out: UnsafeMutablePointer<ssm_complex_t>?) -> Int32 {
    boundary("ssm_ifft") { try complexTransform(count, n, x, out, inverse: true) }
}

@c @implementation
public func ssm_rfft(_ count: Int64, _ n: Int64, _ x: UnsafePointer<Double>?, _ out: UnsafeMutablePointer<ssm_complex_t>?) -> Int32 {
    boundary("ssm_rfft") {
        let (count, n, inCount, outCount) = try batch(count, n, inRow: { $0 }, outRow: { $0 / 2 + 1 }, what: "rfft")
        let x = try nonNull(x, "x"), out = try nonNull(out, "out")
        try requireFinite(x, inCount, width: 1)
        try out.withMemoryRebound(to: Complex<Double>.self, capacity: outCount) { output in
            try rfft(n: n, count: count, UnsafeBufferPointer(start: x, count: inCount),
                     into: UnsafeMutableBufferPointer(start: output, count: outCount))
        }
    }
}

@c @implementation
public func ssm_irfft(_ count: Int64, _ n: Int64, _ x: UnsafePointer<ssm_complex_t>?, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_irfft") {
        let (count, n, inCount, outCount) = try batch(count, n, inRow: { $0 / 2 + 1 }, outRow: { $0 }, what: "irfft")
        let x = try nonNull(x, "x"), out = try nonNull(out, "out")
        try x.withMemoryRebound(to: Double.self, capacity: 2 * inCount) { try requireFinite($0, 2 * inCount, width: 2) }
        try x.withMemoryRebound(to: Complex<Double>.self, capacity: inCount) { input in
            try irfft(n: n, count: count, UnsafeBufferPointer(start: input, count: inCount),
                      into: UnsafeMutableBufferPointer(start: out, count: outCount))
        }
    }
}
