// Header section "HiPPO-Prophecy": next-value predictors as opaque handles.
import CSSMKit
import SSMKit

/// The object behind an `ssm_predictor_t *`: the predictor and its streaming state.
final class PredictorBox {
    let predictor: ProphecyPredictor
    var stream: ProphecyStream
    init(_ predictor: ProphecyPredictor, d: Int) throws {
        self.predictor = predictor
        stream = try ProphecyStream(predictor, d: d)
    }
}

private func defaultPredictorOptions() -> ssm_predictor_options_t {
    ssm_predictor_options_t(size: Int64(MemoryLayout<ssm_predictor_options_t>.size), basis: 0, N: 8, theta: 0, W: 20, dt: 1,
                            readout: 0, state_input: 0, output: 0, method: Int32(SSM_METHOD_BILINEAR.rawValue))
}

/// The core configuration of C options, with every enum and the window checked.
private func configuration(_ options: UnsafePointer<ssm_predictor_options_t>?) throws -> ProphecyConfiguration {
    let o = try readOptions(options, minimumSize: MemoryLayout<ssm_predictor_options_t>.size,
                            default: defaultPredictorOptions, name: "options")
    let basis: ProphecyBasis = try enumCase(o.basis, "options->basis", "ssm_prophecy_basis_t", "LEGT 0, FOUT 1, LEGS 2")
    let readout: ProphecyReadout = try enumCase(o.readout, "options->readout", "ssm_readout_t", "TIME 0, SPACE 1")
    let input: ProphecyStateInput = try enumCase(o.state_input, "options->state_input", "ssm_state_input_t", "AVERAGE 0, PLAIN 1")
    let rule: ProphecyOutputRule = try enumCase(o.output, "options->output", "ssm_output_rule_t", "EULER 0, TRAPEZOID 1")
    let method: ProphecyDiscretization
    switch o.method {
    case Int32(SSM_METHOD_BILINEAR.rawValue): method = .bilinear
    case Int32(SSM_METHOD_ZOH.rawValue): method = .zoh
    default: throw SSMError(.value, "options->method = \(o.method) must be SSM_METHOD_BILINEAR (3) or SSM_METHOD_ZOH (0)")
    }
    let N = try size(o.N, "options->N")
    try need(o.dt.isFinite && o.dt > 0, "options->dt = \(o.dt) must be finite and > 0")
    var theta = 0.0
    if basis != .legs {
        if o.theta != 0 {
            try need(o.theta.isFinite && o.theta > 0, "options->theta = \(o.theta) must be finite and > 0")
            theta = o.theta
        } else {
            try need(o.W >= 1, "options->W = \(o.W) must be ≥ 1 when options->theta is 0 (the window in samples)")
            theta = Double(o.W) * o.dt
            try need(theta.isFinite, "options->W·dt overflows")
        }
    }
    return ProphecyConfiguration(N: N, theta: theta, dt: o.dt, basis: basis, readout: readout, stateInput: input,
                                 output: rule, discretization: method)
}

/// Throws `.value` with `message` unless `condition` holds.
private func need(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    guard condition else { throw SSMError(.value, message()) }
}

@c @implementation
public func ssm_predictor_options_default(_ options: UnsafeMutablePointer<ssm_predictor_options_t>?) -> Int32 {
    boundary("ssm_predictor_options_default") {
        try nonNull(options, "options").pointee = defaultPredictorOptions()
    }
}

@c @implementation
public func ssm_predictor_options_authors(_ N: Int64, _ T: Int64, _ dt: Double,
                                          _ options: UnsafeMutablePointer<ssm_predictor_options_t>?) -> Int32 {
    boundary("ssm_predictor_options_authors") {
        let out = try nonNull(options, "options")
        var o = defaultPredictorOptions()
        o.N = N
        o.W = T
        o.theta = 0
        o.dt = dt
        o.readout = Int32(SSM_READOUT_TIME.rawValue)
        o.state_input = Int32(SSM_STATE_INPUT_PLAIN.rawValue)
        o.output = Int32(SSM_RULE_TRAPEZOID.rawValue)
        o.method = Int32(SSM_METHOD_BILINEAR.rawValue)
        out.pointee = o
    }
}

@c @implementation
public func ssm_predictor_create(_ options: UnsafePointer<ssm_predictor_options_t>?, _ d: Int64,
                                 _ predictor: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    boundary("ssm_predictor_create") {
        let out = try nonNull(predictor, "predictor")
        out.pointee = nil
        let c = try configuration(options)
        let d = try size(d, "d")
        let count = try elementCount(c.N, c.N, what: "the predictor's matrices")
        let stateCount = try elementCount(c.N, d, what: "the streaming state")
        try requireWorkspace(elements: 4 * count + 2 * stateCount, bytesPerElement: 8, what: "a predictor with N = \(c.N), d = \(d)")
        out.pointee = handle(try PredictorBox(try ProphecyPredictor(c), d: d))
    }
}

@c @implementation
public func ssm_predictor_free(_ predictor: OpaquePointer?) {
    release(predictor, as: PredictorBox.self)
}

@c @implementation
public func ssm_predictor_predict(_ predictor: OpaquePointer?, _ batch: Int64, _ T: Int64, _ d: Int64,
                                  _ u: UnsafePointer<Double>?, _ pred: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_predictor_predict") {
        let p: PredictorBox = try box(predictor, "predictor")
        let batch = try size(batch, "batch"), T = try size(T, "T"), d = try size(d, "d")
        let u = try nonNull(u, "u"), pred = try nonNull(pred, "pred")
        let count = try elementCount(batch, T, d, what: "u")
        let (elements, overflow) = (2 * count).addingReportingOverflow(p.predictor.predictWorkspace(batch: batch, T: T, d: d))
        try requireWorkspace(elements: overflow ? .max : elements, bytesPerElement: 8,
                             what: "predictions over \(batch)×\(T)×\(d) samples")
        write(try p.predictor.predict(doubles(u, count), batch: batch, T: T, d: d), to: pred)
    }
}

@c @implementation
public func ssm_predictor_step(_ predictor: OpaquePointer?, _ x: UnsafePointer<Double>?, _ next: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_predictor_step") {
        let p: PredictorBox = try box(predictor, "predictor")
        let x = try nonNull(x, "x"), next = try nonNull(next, "next")
        write(try p.stream.step(doubles(x, p.stream.d)), to: next)
    }
}

@c @implementation
public func ssm_predictor_reset(_ predictor: OpaquePointer?) -> Int32 {
    boundary("ssm_predictor_reset") {
        let p: PredictorBox = try box(predictor, "predictor")
        p.stream.reset()
    }
}

@c @implementation
public func ssm_predictor_state_size(_ predictor: OpaquePointer?, _ n: UnsafeMutablePointer<Int64>?) -> Int32 {
    boundary("ssm_predictor_state_size") {
        let p: PredictorBox = try box(predictor, "predictor")
        let n = try nonNull(n, "n")
        n.pointee = Int64(try prophecyExport(p.predictor).A.rows)
    }
}

@c @implementation
public func ssm_predictor_ssm(_ predictor: OpaquePointer?, _ Ad: UnsafeMutablePointer<Double>?, _ Bd: UnsafeMutablePointer<Double>?,
                              _ Cd: UnsafeMutablePointer<Double>?, _ Dd: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_predictor_ssm") {
        let p: PredictorBox = try box(predictor, "predictor")
        let Ad = try nonNull(Ad, "Ad"), Bd = try nonNull(Bd, "Bd"), Cd = try nonNull(Cd, "Cd"), Dd = try nonNull(Dd, "Dd")
        let e = try prophecyExport(p.predictor)
        write(e.A.elements, to: Ad)
        write(e.B.elements, to: Bd)
        write(e.C.elements, to: Cd)
        write(e.D.elements, to: Dd)
    }
}

@c @implementation
public func ssm_predictor_rollout_radius(_ predictor: OpaquePointer?, _ radius: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_predictor_rollout_radius") {
        let p: PredictorBox = try box(predictor, "predictor")
        let radius = try nonNull(radius, "radius")
        radius.pointee = try prophecyRolloutRadius(p.predictor)
    }
}

@c @implementation
public func ssm_predictor_rollout(_ predictor: OpaquePointer?, _ T: Int64, _ d: Int64, _ context: UnsafePointer<Double>?,
                                  _ steps: Int64, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_predictor_rollout") {
        let p: PredictorBox = try box(predictor, "predictor")
        let T = try size(T, "T"), d = try size(d, "d"), steps = try size(steps, "steps", minimum: 0)
        let context = try nonNull(context, "context")
        let count = try elementCount(T, d, what: "context"), outCount = try elementCount(steps, d, what: "out")
        if outCount > 0 { _ = try nonNull(out, "out") }
        try requireWorkspace(elements: count + outCount, bytesPerElement: 8, what: "a rollout of \(steps)×\(d) samples")
        let values = try prophecyRollout(p.predictor, context: doubles(context, count), d: d, steps: steps)
        if let out { write(values, to: out) }
    }
}

@c @implementation
public func ssm_baseline_predict(_ method: Int32, _ parameter: Int64, _ batch: Int64, _ T: Int64, _ d: Int64,
                                 _ u: UnsafePointer<Double>?, _ pred: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_baseline_predict") {
        let baseline: ProphecyBaseline
        switch method {
        case Int32(SSM_BASELINE_PERSISTENCE.rawValue):
            baseline = .persistence
        case Int32(SSM_BASELINE_POLYNOMIAL.rawValue):
            try need(parameter >= 0 && parameter <= Int64(ProphecyBaseline.maximumOrder),
                     "parameter = \(parameter) (the polynomial order) must be in 0…\(ProphecyBaseline.maximumOrder)")
            baseline = .polynomial(order: Int(parameter))
        case Int32(SSM_BASELINE_PARROT.rawValue):
            try need(parameter >= 1 && parameter <= Int64(1) << 48,
                     "parameter = \(parameter) (the parroting window) must be at least 1")
            baseline = .parrot(window: Int(parameter))
        default:
            throw SSMError(.value, "method = \(method) is not an ssm_baseline_t (PERSISTENCE 0, POLYNOMIAL 1, PARROT 2)")
        }
        let batch = try size(batch, "batch"), T = try size(T, "T"), d = try size(d, "d")
        let u = try nonNull(u, "u"), pred = try nonNull(pred, "pred")
        let count = try elementCount(batch, T, d, what: "u")
        try requireWorkspace(elements: 2 * count, bytesPerElement: 8, what: "baseline predictions over \(batch)×\(T)×\(d) samples")
        write(try prophecyBaseline(baseline, doubles(u, count), batch: batch, T: T, d: d), to: pred)
    }
}
