// Header section "Dynamical systems".
import CSSMKit
import SSMKit

/// The core's system for an `ssm_system_t`.
private func system(_ code: Int32) throws -> DynamicalSystem {
    guard let s = DynamicalSystem(rawValue: Int(code)) else {
        throw SSMError(.value, "system = \(code) is not an ssm_system_t (VAN_DER_POL_1D 0 … SUM_OF_SINES 10)")
    }
    return s
}

/// The core's method for an `ssm_ode_method_t`, with RK4 taking `substeps` steps per sample.
private func odeMethod(_ code: Int32, rtol: Double, atol: Double, substeps: Int) throws -> ODEMethod {
    switch code {
    case 0: return .rk4(substeps: substeps)
    case 1:
        let settings = DormandPrince(rtol: rtol, atol: atol)
        try settings.validate()
        return .dormandPrince(settings)
    default: throw SSMError(.value, "method = \(code) is not an ssm_ode_method_t (RK4 0, DOPRI 1)")
    }
}

@c @implementation
public func ssm_system_from_name(_ name: UnsafePointer<CChar>?, _ system: UnsafeMutablePointer<Int32>?) -> Int32 {
    boundary("ssm_system_from_name") {
        try parseName(name, into: system, outName: "system", what: "system name",
                      known: DynamicalSystem.allCases.map(\.name).joined(separator: ", ")) {
            DynamicalSystem(name: $0).map { Int32($0.rawValue) }
        }
    }
}

@c @implementation
public func ssm_system_dimension(_ system: Int32, _ nparams: Int64, _ d: UnsafeMutablePointer<Int64>?) -> Int32 {
    boundary("ssm_system_dimension") {
        let s = try SSMKitC.system(system), d = try nonNull(d, "d")
        let count = try size(nparams, "nparams", minimum: 0)
        d.pointee = Int64(try s.dimension(parameterCount: count))
    }
}

@c @implementation
public func ssm_system_defaults(_ system: Int32, _ nparams: UnsafeMutablePointer<Int64>?,
                                _ params: UnsafeMutablePointer<Double>?, _ x0: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_system_defaults") {
        let s = try SSMKitC.system(system), nparams = try nonNull(nparams, "nparams")
        nparams.pointee = Int64(s.defaultParameters.count)
        if let params { write(s.defaultParameters, to: params) }
        if let x0 { write(s.defaultInitialState, to: x0) }
    }
}

@c @implementation
public func ssm_system_simulate(_ system: Int32, _ params: UnsafePointer<Double>?, _ nparams: Int64,
                                _ x0: UnsafePointer<Double>?, _ t0: Double, _ dt: Double, _ steps: Int64,
                                _ method: Int32, _ rtol: Double, _ atol: Double, _ seed: UInt64,
                                _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_system_simulate") {
        let s = try SSMKitC.system(system), out = try nonNull(out, "out")
        let m = try odeMethod(method, rtol: rtol, atol: atol, substeps: 8)
        var p: [Double]? = nil
        if let params {
            let count = try size(nparams, "nparams", minimum: 0)
            try requireWorkspace(elements: count, bytesPerElement: 8, what: "the parameters")
            p = doubles(params, count)
        }
        let d = try s.dimension(parameterCount: (p ?? s.defaultParameters).count)
        let steps = try size(steps, "steps")
        let total = try elementCount(steps, d, what: "out")
        try requireWorkspace(elements: total + 16 * d, bytesPerElement: 8, what: "the trajectory")
        var start: [Double]? = nil
        if s.kind != .explicit {
            if let x0 { start = doubles(x0, d) } else if s == .linearODE { throw SSMError(.null, "x0 is NULL: linear_ode has no default initial state") }
        }
        let values = try simulate(s, parameters: p, x0: start, t0: t0, dt: dt, steps: steps, method: m, seed: seed)
        out.update(from: values, count: total)
    }
}

@c @implementation
public func ssm_integrate(_ d: Int64, _ f: ssm_rhs_fn?, _ user: UnsafeMutableRawPointer?, _ x0: UnsafePointer<Double>?,
                          _ t0: Double, _ dt: Double, _ steps: Int64, _ method: Int32, _ rtol: Double, _ atol: Double,
                          _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_integrate") {
        let f = try nonNull(f, "f"), x0 = try nonNull(x0, "x0"), out = try nonNull(out, "out")
        let d = try size(d, "d"), steps = try size(steps, "steps")
        let total = try elementCount(steps, d, what: "out")
        try requireWorkspace(elements: total + 16 * d, bytesPerElement: 8, what: "the trajectory")
        let m = try odeMethod(method, rtol: rtol, atol: atol, substeps: 1)
        let field: VectorField = { t, x, dx in
            let code = f(t, x.baseAddress, dx.baseAddress, user)
            if code != 0 { throw SSMError(.value, "the right-hand side f returned \(code) at t = \(t): integration aborted") }
        }
        let values = try integrate(field, x0: doubles(x0, d), t0: t0, dt: dt, steps: steps, method: m)
        out.update(from: values, count: total)
    }
}
