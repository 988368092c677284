// Header section "HiPPO matrices".
import CSSMKit
import SSMKit

#if canImport(Glibc)
import Glibc
#endif

/// Checks an `ssm_measure_t` value.
func measure(_ value: Int32) throws -> HiPPOMeasure {
    try enumCase(value, "measure", "ssm_measure_t", "LEGS 0, LEGT 1, LMU 2, LAGT 3, FOUT 4")
}

/// Reads and checks the HiPPO options (NULL means defaults).
private func hippoOptions(_ options: UnsafePointer<ssm_hippo_options_t>?) throws -> (theta: Double, convention: HiPPOConvention) {
    let o = try readOptions(options,
                            minimumSize: MemoryLayout<ssm_hippo_options_t>.size,
                            default: { var o = ssm_hippo_options_t(); _ = ssm_hippo_options_default(&o); return o },
                            name: "options")
    let convention: HiPPOConvention = try enumCase(o.convention, "options->convention", "ssm_convention_t", "PAPER 0, S4 1")
    return (o.theta, convention)
}

@c @implementation
public func ssm_hippo_options_default(_ options: UnsafeMutablePointer<ssm_hippo_options_t>?) -> Int32 {
    boundary("ssm_hippo_options_default") {
        let options = try nonNull(options, "options")
        options.pointee = ssm_hippo_options_t(
            size: Int64(MemoryLayout<ssm_hippo_options_t>.size), theta: 1,
            convention: Int32(SSM_CONVENTION_PAPER.rawValue))
    }
}

@c @implementation
public func ssm_measure_from_name(_ name: UnsafePointer<CChar>?, _ measure: UnsafeMutablePointer<Int32>?) -> Int32 {
    boundary("ssm_measure_from_name") {
        try parseName(name, into: measure, outName: "measure", what: "measure name", known: "legs, legt, lmu, lagt, fout") {
            HiPPOMeasure(name: $0)?.rawValue
        }
    }
}

@c @implementation
public func ssm_hippo(_ measure: Int32, _ N: Int64, _ options: UnsafePointer<ssm_hippo_options_t>?,
                      _ A: UnsafeMutablePointer<Double>?, _ B: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_hippo") {
        let m = try SSMKitC.measure(measure)
        let N = try size(N, "N")
        let A = try nonNull(A, "A"), B = try nonNull(B, "B")
        let (theta, convention) = try hippoOptions(options)
        let count = try elementCount(N, N, what: "A")
        try requireWorkspace(elements: count, bytesPerElement: 8, what: "a \(N)×\(N) HiPPO matrix")
        let system = try hippo(m, N: N, theta: theta, convention: convention)
        write(system.A.elements, to: A)
        write(system.B, to: B)
    }
}

@c @implementation
public func ssm_hippo_rank(_ measure: Int32, _ rank: UnsafeMutablePointer<Int64>?) -> Int32 {
    boundary("ssm_hippo_rank") {
        let m = try SSMKitC.measure(measure)
        let rank = try nonNull(rank, "rank")
        rank.pointee = Int64(try hippoRank(m))
    }
}

@c @implementation
public func ssm_hippo_rank_correction(_ measure: Int32, _ N: Int64, _ options: UnsafePointer<ssm_hippo_options_t>?,
                                      _ P: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_hippo_rank_correction") {
        let m = try SSMKitC.measure(measure)
        let N = try size(N, "N")
        let P = try nonNull(P, "P")
        let (theta, convention) = try hippoOptions(options)
        let rank = try hippoRank(m)
        let count = try elementCount(rank, N, what: "P")
        try requireWorkspace(elements: count, bytesPerElement: 8, what: "the rank correction")
        let correction = try hippoRankCorrection(m, N: N, theta: theta, convention: convention)
        write(correction.elements, to: P)
    }
}

/// Bytes of work per N² for ssm_dplr: S and four real N×N products (40), −iK and the eigenvectors
/// (32), zheevd's work space (≈ 2N² complex, 32) and V (16).
private let dplrBytesPerSquare = 128

@c @implementation
public func ssm_dplr(_ measure: Int32, _ N: Int64, _ options: UnsafePointer<ssm_hippo_options_t>?, _ pairs: Int32,
                     _ Lambda: UnsafeMutablePointer<ssm_complex_t>?, _ P: UnsafeMutablePointer<ssm_complex_t>?,
                     _ B: UnsafeMutablePointer<ssm_complex_t>?, _ V: UnsafeMutablePointer<ssm_complex_t>?,
                     _ error: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_dplr") {
        let m = try SSMKitC.measure(measure)
        let N = try size(N, "N")
        let Lambda = try nonNull(Lambda, "Lambda"), P = try nonNull(P, "P"), B = try nonNull(B, "B")
        let (theta, convention) = try hippoOptions(options)
        _ = try hippoRank(m)
        let count = try elementCount(N, N, what: "V")
        try requireWorkspace(elements: count, bytesPerElement: dplrBytesPerSquare, what: "the DPLR form at N = \(N)")
        let form = try dplr(m, N: N, theta: theta, convention: convention, pairs: pairs != 0)
        write(form.lambda, to: Lambda)
        write(form.P.elements, to: P)
        write(form.B, to: B)
        if let V { write(form.V.elements, to: V) }
        error?.pointee = form.reconstructionError
    }
}
