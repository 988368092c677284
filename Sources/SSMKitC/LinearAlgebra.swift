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
        let result = try expm(RealMatrix(rows: n, columns: n, elements: doubles(M, count)))
        write(result.elements, to: out)
    }
}

@c @implementation
public func ssm_expm_complex(_ n: Int64, _ M: UnsafePointer<ssm_complex_t>?, _ out: UnsafeMutablePointer<ssm_complex_t>?) -> Int32 {
    boundary("ssm_expm_complex") {
        let n = try size(n, "n")
        let M = try nonNull(M, "M"), out = try nonNull(out, "out")
        let count = try elementCount(n, n, what: "M")
        try requireWorkspace(elements: count, bytesPerElement: 16 * expmWorkMatrices, what: "expm of a \(n)×\(n) matrix")
        let result = try expm(ComplexMatrix(rows: n, columns: n, elements: complexes(M, count)))
        write(result.elements, to: out)
    }
}
