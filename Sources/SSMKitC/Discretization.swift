// Header section "Discretization".
import ComplexModule
import CSSMKit
import SSMKit

/// Maps an `ssm_method_t` value (plus the GBT parameter) to the core's method.
func method(_ value: Int32, alpha: Double) throws -> DiscretizationMethod {
    switch value {
    case Int32(SSM_METHOD_ZOH.rawValue): return .zoh
    case Int32(SSM_METHOD_FOH.rawValue): return .foh
    case Int32(SSM_METHOD_GBT.rawValue): return .gbt(alpha: alpha)
    case Int32(SSM_METHOD_BILINEAR.rawValue): return .bilinear
    case Int32(SSM_METHOD_EULER.rawValue): return .euler
    case Int32(SSM_METHOD_BACKWARD_DIFF.rawValue): return .backwardDiff
    case Int32(SSM_METHOD_IMPULSE.rawValue): return .impulse
    case Int32(SSM_METHOD_ZOH_A_EULER_B.rawValue): return .zohAEulerB
    default:
        throw SSMError(.value, "method = \(value) is not an ssm_method_t (ZOH 0, FOH 1, GBT 2, BILINEAR 3, EULER 4, BACKWARD_DIFF 5, IMPULSE 6, ZOH_A_EULER_B 7)")
    }
}

/// The header's value for a core method (inverse of `method(_:alpha:)`).
private func methodValue(_ m: DiscretizationMethod) -> Int32 {
    switch m {
    case .zoh: return Int32(SSM_METHOD_ZOH.rawValue)
    case .foh: return Int32(SSM_METHOD_FOH.rawValue)
    case .gbt: return Int32(SSM_METHOD_GBT.rawValue)
    case .bilinear: return Int32(SSM_METHOD_BILINEAR.rawValue)
    case .euler: return Int32(SSM_METHOD_EULER.rawValue)
    case .backwardDiff: return Int32(SSM_METHOD_BACKWARD_DIFF.rawValue)
    case .impulse: return Int32(SSM_METHOD_IMPULSE.rawValue)
    case .zohAEulerB: return Int32(SSM_METHOD_ZOH_A_EULER_B.rawValue)
    }
}

@c @implementation
public func ssm_discretize_options_default(_ options: UnsafeMutablePointer<ssm_discretize_options_t>?) -> Int32 {
    boundary("ssm_discretize_options_default") {
        let options = try nonNull(options, "options")
        options.pointee = ssm_discretize_options_t(
            size: Int64(MemoryLayout<ssm_discretize_options_t>.size),
            method: Int32(SSM_METHOD_ZOH.rawValue), alpha: 0.5,
            convention: Int32(SSM_OUTPUT_SCIPY.rawValue))
    }
}

@c @implementation
public func ssm_method_from_name(_ name: UnsafePointer<CChar>?, _ method: UnsafeMutablePointer<Int32>?) -> Int32 {
    boundary("ssm_method_from_name") {
        try parseName(name, into: method, outName: "method", what: "method name",
                      known: "zoh, foh, gbt, bilinear, tustin, euler, forward_diff, backward_diff, impulse, zoh_a_euler_b") {
            DiscretizationMethod(name: $0).map(methodValue)
        }
    }
}

@c @implementation
public func ssm_discretize(
    _ n: Int64, _ m: Int64, _ p: Int64,
    _ A: UnsafePointer<Double>?, _ B: UnsafePointer<Double>?, _ C: UnsafePointer<Double>?, _ D: UnsafePointer<Double>?,
    _ dt: Double, _ options: UnsafePointer<ssm_discretize_options_t>?,
    _ Ad: UnsafeMutablePointer<Double>?, _ Bd: UnsafeMutablePointer<Double>?,
    _ Cd: UnsafeMutablePointer<Double>?, _ Dd: UnsafeMutablePointer<Double>?
) -> Int32 {
    boundary("ssm_discretize") {
        let n = try size(n, "n"), m = try size(m, "m"), p = try size(p, "p", minimum: 0)
        let A = try nonNull(A, "A"), B = try nonNull(B, "B")
        let Ad = try nonNull(Ad, "Ad"), Bd = try nonNull(Bd, "Bd")
        let o = try readOptions(options,
                                minimumSize: MemoryLayout<ssm_discretize_options_t>.size,
                                default: { var o = ssm_discretize_options_t(); _ = ssm_discretize_options_default(&o); return o },
                                name: "options")
        // The core checks alpha (GBT only), dt and every entry, naming them.
        let method = try SSMKitC.method(o.method, alpha: o.alpha)
        let convention: OutputConvention = try enumCase(o.convention, "options->convention", "ssm_output_convention_t", "SCIPY 0, STATE_ONLY 1")
        // Budget the work before any copy: FOH exponentiates an (n + 2m)-square matrix, the other
        // methods work on n×(n + m) blocks (about 24 of them, counting the core's temporaries);
        // C, D and their results are copied a few times.
        let blocks = method == .foh
            ? try elementCount(n + 2 * m, n + 2 * m, 20, what: "the augmented matrix")
            : try elementCount(n, n + m, 24, what: "the work matrices")
        let outputsWork = try elementCount(p, n + m, 4, what: "C and D")
        try requireWorkspace(elements: try elementCount(1, blocks + outputsWork, what: "the work"),
                             bytesPerElement: 8, what: "discretizing a system with n = \(n), m = \(m), p = \(p)")
        let outputs: (C: UnsafePointer<Double>, D: UnsafePointer<Double>, Cd: UnsafeMutablePointer<Double>, Dd: UnsafeMutablePointer<Double>)?
        if p > 0 {
            outputs = (try nonNull(C, "C"), try nonNull(D, "D"), try nonNull(Cd, "Cd"), try nonNull(Dd, "Dd"))
        } else {
            outputs = nil
        }
        let system = StateSpace(
            A: RealMatrix(rows: n, columns: n, elements: doubles(A, n * n)),
            B: RealMatrix(rows: n, columns: m, elements: doubles(B, n * m)),
            C: RealMatrix(rows: p, columns: n, elements: outputs.map { doubles($0.C, p * n) } ?? []),
            D: RealMatrix(rows: p, columns: m, elements: outputs.map { doubles($0.D, p * m) } ?? []))
        let result = try discretize(system, dt: dt, method: method, convention: convention)
        write(result.A.elements, to: Ad)
        write(result.B.elements, to: Bd)
        if let outputs {
            write(result.C.elements, to: outputs.Cd)
            write(result.D.elements, to: outputs.Dd)
        }
    }
}

@c @implementation
public func ssm_discretize_diag(
    _ method: Int32, _ H: Int64, _ N: Int64,
    _ lambda: UnsafePointer<ssm_complex_t>?, _ B: UnsafePointer<ssm_complex_t>?,
    _ dt: UnsafePointer<Double>?, _ dt_count: Int64, _ alpha: Double,
    _ lambda_bar: UnsafeMutablePointer<ssm_complex_t>?, _ B_bar: UnsafeMutablePointer<ssm_complex_t>?
) -> Int32 {
    boundary("ssm_discretize_diag") {
        let method = try SSMKitC.method(method, alpha: alpha)
        let H = try size(H, "H"), N = try size(N, "N")
        let lambda = try nonNull(lambda, "lambda"), dt = try nonNull(dt, "dt")
        let lambdaBar = try nonNull(lambda_bar, "lambda_bar")
        let count = try elementCount(H, N, what: "lambda")
        try requireWorkspace(elements: count, bytesPerElement: 16 * 6, what: "\(H)×\(N) modes")
        guard dt_count == 1 || dt_count == Int64(H) || dt_count == Int64(count) else {
            throw SSMError(.size, "dt_count = \(dt_count) must be 1, H = \(H) or H·N = \(count)")
        }
        // B NULL means b = 1; then B_bar may be NULL too, but if B is given B_bar is required.
        let b: [Complex<Double>]? = B.map { complexes($0, count) }
        let bBar: UnsafeMutablePointer<ssm_complex_t>? = B == nil ? B_bar : try nonNull(B_bar, "B_bar")
        let result = try discretizeDiagonal(
            lambda: complexes(lambda, count), B: b, dt: doubles(dt, Int(dt_count)),
            channels: H, method: method)
        write(result.lambdaBar, to: lambdaBar)
        if let bBar { write(result.BBar, to: bBar) }
    }
}
