// Header section "Diagonal initializations".
import ComplexModule
import CSSMKit
import SSMKit

/// Reads `ssm_diag_options_t` (NULL: defaults) into the core's options.
private func diagonalOptions(_ options: UnsafePointer<ssm_diag_options_t>?) throws -> DiagonalInitOptions {
    let c = try readOptions(options, minimumSize: MemoryLayout<ssm_diag_options_t>.size,
                            default: { var o = ssm_diag_options_t(); _ = ssm_diag_options_default(&o); return o },
                            name: "options")
    let scheme: DiagonalScheme = try enumCase(c.scheme, "options->scheme", "ssm_diag_scheme_t", "LEGS 0 … MAMBA2 6")
    let bInit: DiagonalBInit = try enumCase(c.b_init, "options->b_init", "ssm_b_init_t", "ONES 0, HIPPO 1, RANDOM 2")
    var o = DiagonalInitOptions()
    o.scheme = scheme
    o.H = try size(c.H, "options->H")
    o.N = try size(c.N, "options->N")
    o.realPart = c.override_real != 0 ? c.real_part : nil
    o.realScale = c.real_scale; o.imagScale = c.imag_scale
    o.bInit = bInit
    o.normalize = c.normalize != 0
    o.blocks = try size(c.blocks, "options->blocks")
    o.seed = c.seed
    o.rMin = c.r_min; o.rMax = c.r_max; o.maxPhase = c.max_phase
    o.aMin = c.a_min; o.aMax = c.a_max
    return o
}

@c @implementation
public func ssm_diag_options_default(_ options: UnsafeMutablePointer<ssm_diag_options_t>?) -> Int32 {
    boundary("ssm_diag_options_default") {
        let options = try nonNull(options, "options")
        let d = DiagonalInitOptions()
        options.pointee = ssm_diag_options_t(
            size: Int64(MemoryLayout<ssm_diag_options_t>.size), scheme: d.scheme.rawValue, H: Int64(d.H), N: Int64(d.N),
            override_real: 0, real_part: -0.5, real_scale: d.realScale, imag_scale: d.imagScale,
            b_init: d.bInit.rawValue, normalize: 0, blocks: Int64(d.blocks), seed: d.seed,
            r_min: d.rMin, r_max: d.rMax, max_phase: d.maxPhase, a_min: d.aMin, a_max: d.aMax)
    }
}

@c @implementation
public func ssm_diag_scheme_from_name(_ name: UnsafePointer<CChar>?, _ scheme: UnsafeMutablePointer<Int32>?) -> Int32 {
    boundary("ssm_diag_scheme_from_name") {
        try parseName(name, into: scheme, outName: "scheme", what: "diagonal scheme",
                      known: "legs, lin, inv, real, random, lru, mamba2") { DiagonalScheme(name: $0)?.rawValue }
    }
}

@c @implementation
public func ssm_diag_modes(_ options: UnsafePointer<ssm_diag_options_t>?, _ modes: UnsafeMutablePointer<Int64>?) -> Int32 {
    boundary("ssm_diag_modes") {
        let out = try nonNull(modes, "modes")
        let o = try diagonalOptions(options)
        out.pointee = Int64(diagonalModes(o.scheme, N: o.N))
    }
}

@c @implementation
public func ssm_diag_init(_ options: UnsafePointer<ssm_diag_options_t>?, _ lambda: UnsafeMutablePointer<ssm_complex_t>?,
                          _ B: UnsafeMutablePointer<ssm_complex_t>?, _ C: UnsafeMutablePointer<ssm_complex_t>?,
                          _ gamma: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_diag_init") {
        let o = try diagonalOptions(options)
        let lambda = try nonNull(lambda, "lambda")
        let count = try elementCount(o.H, max(diagonalModes(o.scheme, N: o.N), 1), what: "lambda")
        // λ, B, C, γ and the LegS DPLR work (≈ 130·(N/J)² bytes) when it is used.
        try requireWorkspace(elements: count, bytesPerElement: 64, what: "the initialization")
        if o.scheme == .legs || o.bInit == .hippo {
            let block = o.N / max(o.blocks, 1)
            try requireWorkspace(elements: try elementCount(block, block, what: "the LegS block"), bytesPerElement: 128,
                                 what: "the LegS DPLR form")
        }
        let result = try diagonalInit(o)
        write(result.lambda, to: lambda)
        if let B { write(result.B, to: B) }
        if let C { write(result.C, to: C) }
        if let gamma { write(result.gamma, to: gamma) }
    }
}

@c @implementation
public func ssm_timescales(_ count: Int64, _ dt_min: Double, _ dt_max: Double, _ seed: UInt64,
                           _ dt: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_timescales") {
        let count = try size(count, "count")
        let dt = try nonNull(dt, "dt")
        try requireWorkspace(elements: count, bytesPerElement: 8, what: "\(count) timescales")
        write(try logUniformTimescales(count: count, dtMin: dt_min, dtMax: dt_max, seed: seed), to: dt)
    }
}

@c @implementation
public func ssm_dt_transform(_ transform: Int32, _ inverse: Int32, _ count: Int64, _ x: UnsafePointer<Double>?,
                             _ floor: Double, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_dt_transform") {
        let t: TimescaleTransform = try enumCase(transform, "transform", "ssm_dt_transform_t", "EXP 0, SOFTPLUS 1")
        let count = try size(count, "count")
        let x = try nonNull(x, "x"), out = try nonNull(out, "out")
        for k in 0..<count where !x[k].isFinite { throw SSMError(.value, "x[\(k)] = \(x[k]) is not finite") }
        if inverse != 0 {
            for k in 0..<count {
                do { out[k] = try timescaleParameter(x[k], t, floor: floor) } catch let e as SSMError {
                    throw SSMError(e.kind, "x[\(k)]: \(e.message)")
                }
            }
        } else {
            for k in 0..<count {
                let value = timescale(fromParameter: x[k], t)
                guard value.isFinite else { throw SSMError(.unstable, "exp(x[\(k)] = \(x[k])) overflows") }
                out[k] = value
            }
        }
    }
}
