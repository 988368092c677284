// Header section "Tasks and data".
import CSSMKit
import SSMKit

/// The core's process for an `ssm_input_process_t` and its parameter.
private func inputProcess(_ code: Int32, _ parameter: Double) throws -> InputProcess {
    let process: InputProcess
    switch code {
    case 0: process = .white
    case 1: process = .ar1(phi: parameter)
    case 2: process = .powerLaw(alpha: parameter)
    case 3: process = .constant
    default: throw SSMError(.value, "process = \(code) is not an ssm_input_process_t (WHITE 0 … CONSTANT 3)")
    }
    try process.validate()
    return process
}

/// The core's kernel for an `ssm_memory_kernel_t` and its parameter.
private func memoryKernel(_ code: Int32, _ parameter: Double) throws -> MemoryKernel {
    let kernel: MemoryKernel
    switch code {
    case 0: kernel = .exponential(tau: parameter)
    case 1: kernel = .powerLaw(beta: parameter)
    case 2:
        guard parameter.isFinite, parameter >= 0, parameter == parameter.rounded(), parameter < 1e15 else {
            throw SSMError(.value, "the delay d = \(parameter) must be a whole number ≥ 0")
        }
        kernel = .delay(Int(parameter))
    default: throw SSMError(.value, "kernel = \(code) is not an ssm_memory_kernel_t (EXPONENTIAL 0, POWER_LAW 1, DELAY 2)")
    }
    try kernel.validate()
    return kernel
}

@c @implementation
public func ssm_input_generate(_ process: Int32, _ parameter: Double, _ count: Int64, _ L: Int64, _ seed: UInt64,
                               _ x: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_input_generate") {
        let p = try inputProcess(process, parameter)
        let count = try size(count, "count"), L = try size(L, "L"), x = try nonNull(x, "x")
        let total = try elementCount(count, L, what: "x")
        // The power-law embedding works on 2·(power of two ≥ L) complex values per pair of rows.
        try requireWorkspace(elements: total + 8 * L, bytesPerElement: 24, what: "the input process")
        let values = try p.generate(count: count, L: L, seed: seed)
        x.update(from: values, count: total)
    }
}

@c @implementation
public func ssm_input_autocorrelation(_ process: Int32, _ parameter: Double, _ lags: Int64,
                                      _ rho: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_input_autocorrelation") {
        let p = try inputProcess(process, parameter)
        let lags = try size(lags, "lags"), rho = try nonNull(rho, "rho")
        try requireWorkspace(elements: lags, bytesPerElement: 8, what: "the autocorrelation")
        rho.update(from: p.autocorrelation(lags: lags), count: lags)
    }
}

@c @implementation
public func ssm_memory_weights(_ kernel: Int32, _ parameter: Double, _ normalized: Int32, _ L: Int64,
                               _ weights: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_memory_weights") {
        let k = try memoryKernel(kernel, parameter)
        let L = try size(L, "L"), weights = try nonNull(weights, "weights")
        try requireWorkspace(elements: L, bytesPerElement: 8, what: "the weights")
        weights.update(from: try k.weights(L: L, normalized: normalized != 0), count: L)
    }
}

@c @implementation
public func ssm_memory_target(_ kernel: Int32, _ parameter: Double, _ normalized: Int32, _ count: Int64, _ L: Int64,
                              _ x: UnsafePointer<Double>?, _ y: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_memory_target") {
        let k = try memoryKernel(kernel, parameter)
        let count = try size(count, "count"), L = try size(L, "L")
        let x = try nonNull(x, "x"), y = try nonNull(y, "y")
        let total = try elementCount(count, L, what: "x")
        try requireWorkspace(elements: total + 64 * L, bytesPerElement: 32, what: "the targets")
        let targets = try k.apply(to: Array(UnsafeBufferPointer(start: x, count: total)), count: count, L: L,
                                  normalized: normalized != 0)
        y.update(from: targets, count: total)
    }
}

@c @implementation
public func ssm_delayed_recall(_ count: Int64, _ L: Int64, _ length: Int64, _ delay: Int64, _ seed: UInt64,
                               _ inputs: UnsafeMutablePointer<Double>?, _ targets: UnsafeMutablePointer<Double>?,
                               _ mask: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_delayed_recall") {
        guard inputs != nil || targets != nil || mask != nil else { throw SSMError(.null, "inputs, targets and mask are all NULL") }
        let count = try size(count, "count"), L = try size(L, "L")
        let length = try size(length, "length"), delay = try size(delay, "delay", minimum: 0)
        let total = try elementCount(count, L, 2, what: "inputs")
        try requireWorkspace(elements: total, bytesPerElement: 24, what: "the task")
        let data = try DelayedRecallTask(L: L, items: .values, length: length, delay: delay).generate(count: count, seed: seed)
        inputs?.update(from: data.inputs, count: data.inputs.count)
        targets?.update(from: data.targets, count: data.targets.count)
        mask?.update(from: data.mask, count: data.mask.count)
    }
}

@c @implementation
public func ssm_sinusoid_task(_ count: Int64, _ L: Int64, _ classes: Int64, _ first: Int64, _ spacing: Int64, _ jitter: Double,
                              _ snr: Double, _ seed: UInt64, _ inputs: UnsafeMutablePointer<Double>?,
                              _ labels: UnsafeMutablePointer<Int64>?) -> Int32 {
    boundary("ssm_sinusoid_task") {
        let count = try size(count, "count"), L = try size(L, "L"), K = try size(classes, "classes")
        let first = try size(first, "first", minimum: 0), spacing = try size(spacing, "spacing")
        let inputs = try nonNull(inputs, "inputs"), labels = try nonNull(labels, "labels")
        let total = try elementCount(count, L, what: "inputs")
        try requireWorkspace(elements: total + K, bytesPerElement: 16, what: "the task")
        // The highest bin first + (K − 1)·spacing must stay at or below L/2: above it frequencies
        // alias onto lower ones (classes that cannot be told apart).
        let (span, o1) = (K - 1).multipliedReportingOverflow(by: spacing)
        let (top, o2) = first.addingReportingOverflow(span)
        guard !o1 && !o2 && 2 * top <= L else {
            throw SSMError(.value, "the highest frequency bin first + (classes − 1)·spacing must be ≤ L/2 = \(L / 2) (higher bins alias), got \(o1 || o2 ? "an overflow" : String(top))")
        }
        let omegas = SinusoidClassificationTask.binOmegas(classes: K, L: L, first: first, spacing: spacing)
        let data = try SinusoidClassificationTask(omegas: omegas, L: L, amplitudeJitter: jitter, snr: snr)
            .generate(count: count, seed: seed)
        inputs.update(from: data.inputs, count: total)
        for i in 0..<count { labels[i] = Int64(data.labels[i]) }
    }
}
