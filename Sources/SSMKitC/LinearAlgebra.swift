// Header section "Linear algebra".
import ComplexModule
import CSSMKit
import SSMKit

/// Matrices of work space expm holds at once (powers, Padé numerator and denominator, LU).
private let expmWorkMatrices = 16

@c @implementation
public func ssm_expm(_ n: Int64, _ M: UnsafePointer<Double>?, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_expm") {
        let n = try size(n, "n")
        let M = try nonNull(M, "M"), out = try nonNull(out, "out")
        let count = try elementCount(n, n, what: "M")
        try requireWorkspace(elements: count, bytesPerElement: 8 * expmWorkMatrices, what: "expm of a \(n)×\(n) matrix")
        try expm(n: n, UnsafeBufferPointer(start: M, count: count), into: UnsafeMutableBufferPointer(start: out, count: count))
    }
}

@c @implementation
public func ssm_expm_complex(_ n: Int64, _ M: UnsafePointer<ssm_complex_t>?, _ out: UnsafeMutablePointer<ssm_complex_t>?) -> Int32 {
    boundary("ssm_expm_complex") {
        let n = try size(n, "n")
        let M = try nonNull(M, "M"), out = try nonNull(out, "out")
        let count = try elementCount(n, n, what: "M")
        try requireWorkspace(elements: count, bytesPerElement: 16 * expmWorkMatrices, what: "expm of a \(n)×\(n) matrix")
        // ssm_complex_t and Complex<Double> are both two Doubles (re, im): same layout.
        try M.withMemoryRebound(to: Complex<Double>.self, capacity: count) { m in
            try out.withMemoryRebound(to: Complex<Double>.self, capacity: count) { o in
                try expm(n: n, UnsafeBufferPointer(start: m, count: count), into: UnsafeMutableBufferPointer(start: o, count: count))
            }
        }
    }
}
