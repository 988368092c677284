// Header section "Kernels, scans and convolution".
import ComplexModule
import CSSMKit
import SSMKit

/// A C array of ssm_complex_t read as Complex<Double> (same layout: two Doubles, re then im).
private func complexBuffer(_ p: UnsafePointer<ssm_complex_t>, _ count: Int) -> UnsafeBufferPointer<Complex<Double>> {
    UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: Complex<Double>.self), count: count)
}

/// The output counterpart of `complexBuffer`.
private func complexBuffer(_ p: UnsafeMutablePointer<ssm_complex_t>, _ count: Int) -> UnsafeMutableBufferPointer<Complex<Double>> {
    UnsafeMutableBufferPointer(start: UnsafeMutableRawPointer(p).assumingMemoryBound(to: Complex<Double>.self), count: count)
}

@c @implementation
public func ssm_set_threads(_ threads: Int32) -> Int32 {
    boundary("ssm_set_threads") {
        guard threads >= 0 && threads <= 1024 else {
            throw SSMError(.value, "threads = \(threads) must be in 0…1024 (0: all cores)")
        }
        try setThreadCount(Int(threads))
    }
}

@c @implementation
public func ssm_threads() -> Int32 {
    Int32(clamping: threadCount)
}

@c @implementation
public func ssm_kernel_diag(_ H: Int64, _ N: Int64, _ L: Int64, _ z: UnsafePointer<ssm_complex_t>?,
                            _ w: UnsafePointer<ssm_complex_t>?, _ pairs: Int32, _ K: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_kernel_diag") { try kernelDiag(H, N, L, z, w, pairs, K) }
}

@c @implementation
public func ssm_kernel_diag_f32(_ H: Int64, _ N: Int64, _ L: Int64, _ z: UnsafePointer<ssm_complex_t>?,
                                _ w: UnsafePointer<ssm_complex_t>?, _ pairs: Int32, _ K: UnsafeMutablePointer<Float>?) -> Int32 {
    boundary("ssm_kernel_diag_f32") { try kernelDiag(H, N, L, z, w, pairs, K) }
}

/// ssm_kernel_diag and its float32 twin.
private func kernelDiag<S: SequenceScalar>(_ H: Int64, _ N: Int64, _ L: Int64, _ z: UnsafePointer<ssm_complex_t>?,
                                           _ w: UnsafePointer<ssm_complex_t>?, _ pairs: Int32,
                                           _ K: UnsafeMutablePointer<S>?) throws {
    let H = try size(H, "H"), N = try size(N, "N"), L = try size(L, "L")
    let z = try nonNull(z, "z"), w = try nonNull(w, "w"), K = try nonNull(K, "K")
    let modes = try elementCount(H, N, what: "z"), outputs = try elementCount(H, L, what: "K")
    // Work per thread: the power table (2N×128 entries) and the coefficients of 32 blocks (32 rows
    // of 2N entries).
    let rows = try elementCount(N, 128 + 32, what: "the power table")
    try requireWorkspace(elements: rows, bytesPerElement: 2 * MemoryLayout<S>.size * max(threadCount, 1),
                         what: "the power table")
    try diagonalKernel(H: H, N: N, L: L, z: complexBuffer(z, modes), w: complexBuffer(w, modes), pairs: pairs != 0,
                       into: UnsafeMutableBufferPointer(start: K, count: outputs))
}

@c @implementation
public func ssm_scan_diag(_ batch: Int64, _ H: Int64, _ N: Int64, _ L: Int64,
                          _ lambda_bar: UnsafePointer<ssm_complex_t>?, _ B_bar: UnsafePointer<ssm_complex_t>?,
                          _ C: UnsafePointer<ssm_complex_t>?, _ D: UnsafePointer<Double>?, _ pairs: Int32,
                          _ u: UnsafePointer<Double>?, _ x0: UnsafePointer<ssm_complex_t>?,
                          _ y: UnsafeMutablePointer<Double>?, _ x_final: UnsafeMutablePointer<ssm_complex_t>?) -> Int32 {
    boundary("ssm_scan_diag") { try scanDiag(batch, H, N, L, lambda_bar, B_bar, C, D, pairs, u, x0, y, x_final) }
}

@c @implementation
public func ssm_scan_diag_f32(_ batch: Int64, _ H: Int64, _ N: Int64, _ L: Int64,
                              _ lambda_bar: UnsafePointer<ssm_complex_t>?, _ B_bar: UnsafePointer<ssm_complex_t>?,
                              _ C: UnsafePointer<ssm_complex_t>?, _ D: UnsafePointer<Double>?, _ pairs: Int32,
                              _ u: UnsafePointer<Float>?, _ x0: UnsafePointer<ssm_complex_t>?,
                              _ y: UnsafeMutablePointer<Float>?, _ x_final: UnsafeMutablePointer<ssm_complex_t>?) -> Int32 {
    boundary("ssm_scan_diag_f32") { try scanDiag(batch, H, N, L, lambda_bar, B_bar, C, D, pairs, u, x0, y, x_final) }
}

/// ssm_scan_diag and its float32 twin.
private func scanDiag<S: SequenceScalar>(_ batch: Int64, _ H: Int64, _ N: Int64, _ L: Int64,
                                         _ lambda_bar: UnsafePointer<ssm_complex_t>?, _ B_bar: UnsafePointer<ssm_complex_t>?,
                                         _ C: UnsafePointer<ssm_complex_t>?, _ D: UnsafePointer<Double>?, _ pairs: Int32,
                                         _ u: UnsafePointer<S>?, _ x0: UnsafePointer<ssm_complex_t>?,
                                         _ y: UnsafeMutablePointer<S>?, _ x_final: UnsafeMutablePointer<ssm_complex_t>?) throws {
    let batch = try size(batch, "batch"), H = try size(H, "H"), N = try size(N, "N"), L = try size(L, "L")
    let lambda_bar = try nonNull(lambda_bar, "lambda_bar"), B_bar = try nonNull(B_bar, "B_bar")
    let C = try nonNull(C, "C"), u = try nonNull(u, "u"), y = try nonNull(y, "y")
    let modes = try elementCount(H, N, what: "lambda_bar"), rows = try elementCount(batch, H, what: "u")
    let steps = try elementCount(rows, L, what: "u"), states = try elementCount(rows, N, what: "x0")
    // Work per thread: eight N-entry arrays.
    try requireWorkspace(elements: N, bytesPerElement: 64 * max(threadCount, 1), what: "the scan state")
    try diagonalScan(batch: batch, H: H, N: N, L: L,
                     lambdaBar: complexBuffer(lambda_bar, modes), bBar: complexBuffer(B_bar, modes),
                     C: complexBuffer(C, modes), D: D.map { UnsafeBufferPointer(start: $0, count: H) }, pairs: pairs != 0,
                     u: UnsafeBufferPointer(start: u, count: steps), x0: x0.map { complexBuffer($0, states) },
                     y: UnsafeMutableBufferPointer(start: y, count: steps),
                     xFinal: x_final.map { complexBuffer($0, states) })
}

@c @implementation
public func ssm_convolve(_ batch: Int64, _ H: Int64, _ L: Int64, _ K: UnsafePointer<Double>?, _ u: UnsafePointer<Double>?,
                         _ D: UnsafePointer<Double>?, _ y: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_convolve") { try convolve(batch, H, L, K, u, D, y) }
}

@c @implementation
public func ssm_convolve_f32(_ batch: Int64, _ H: Int64, _ L: Int64, _ K: UnsafePointer<Float>?, _ u: UnsafePointer<Float>?,
                             _ D: UnsafePointer<Double>?, _ y: UnsafeMutablePointer<Float>?) -> Int32 {
    boundary("ssm_convolve_f32") { try convolve(batch, H, L, K, u, D, y) }
}

/// ssm_convolve and its float32 twin.
private func convolve<S: SequenceScalar>(_ batch: Int64, _ H: Int64, _ L: Int64, _ K: UnsafePointer<S>?,
                                         _ u: UnsafePointer<S>?, _ D: UnsafePointer<Double>?,
                                         _ y: UnsafeMutablePointer<S>?) throws {
    let batch = try size(batch, "batch"), H = try size(H, "H"), L = try size(L, "L")
    let K = try nonNull(K, "K"), u = try nonNull(u, "u"), y = try nonNull(y, "y")
    let kernels = try elementCount(H, L, what: "K"), steps = try elementCount(batch, H, L, what: "u")
    // Padded rows and spectra (float64 in both precisions): (H + 2·64 rows) of about 2·2L doubles,
    // plus the FFT plans.
    try requireWorkspace(elements: try elementCount(H + 128, L, what: "the padded rows"), bytesPerElement: 64,
                         what: "the convolution")
    try causalConvolution(batch: batch, H: H, L: L, K: UnsafeBufferPointer(start: K, count: kernels),
                          u: UnsafeBufferPointer(start: u, count: steps), D: D.map { UnsafeBufferPointer(start: $0, count: H) },
                          into: UnsafeMutableBufferPointer(start: y, count: steps))
}

@c @implementation
public func ssm_scan_diag_dt(_ batch: Int64, _ H: Int64, _ N: Int64, _ L: Int64, _ method: Int32, _ alpha: Double,
                             _ lambda: UnsafePointer<ssm_complex_t>?, _ B: UnsafePointer<ssm_complex_t>?,
                             _ C: UnsafePointer<ssm_complex_t>?, _ D: UnsafePointer<Double>?, _ pairs: Int32,
                             _ dt: UnsafePointer<Double>?, _ u: UnsafePointer<Double>?, _ x0: UnsafePointer<ssm_complex_t>?,
                             _ y: UnsafeMutablePointer<Double>?, _ x_final: UnsafeMutablePointer<ssm_complex_t>?) -> Int32 {
    boundary("ssm_scan_diag_dt") { try scanDiagDt(batch, H, N, L, method, alpha, lambda, B, C, D, pairs, dt, u, x0, y, x_final) }
}

@c @implementation
public func ssm_scan_diag_dt_f32(_ batch: Int64, _ H: Int64, _ N: Int64, _ L: Int64, _ method: Int32, _ alpha: Double,
                                 _ lambda: UnsafePointer<ssm_complex_t>?, _ B: UnsafePointer<ssm_complex_t>?,
                                 _ C: UnsafePointer<ssm_complex_t>?, _ D: UnsafePointer<Double>?, _ pairs: Int32,
                                 _ dt: UnsafePointer<Float>?, _ u: UnsafePointer<Float>?, _ x0: UnsafePointer<ssm_complex_t>?,
                                 _ y: UnsafeMutablePointer<Float>?, _ x_final: UnsafeMutablePointer<ssm_complex_t>?) -> Int32 {
    boundary("ssm_scan_diag_dt_f32") { try scanDiagDt(batch, H, N, L, method, alpha, lambda, B, C, D, pairs, dt, u, x0, y, x_final) }
}

/// ssm_scan_diag_dt and its float32 twin.
private func scanDiagDt<S: SequenceScalar>(_ batch: Int64, _ H: Int64, _ N: Int64, _ L: Int64, _ method: Int32, _ alpha: Double,
                                           _ lambda: UnsafePointer<ssm_complex_t>?, _ B: UnsafePointer<ssm_complex_t>?,
                                           _ C: UnsafePointer<ssm_complex_t>?, _ D: UnsafePointer<Double>?, _ pairs: Int32,
                                           _ dt: UnsafePointer<S>?, _ u: UnsafePointer<S>?, _ x0: UnsafePointer<ssm_complex_t>?,
                                           _ y: UnsafeMutablePointer<S>?, _ x_final: UnsafeMutablePointer<ssm_complex_t>?) throws {
    let batch = try size(batch, "batch"), H = try size(H, "H"), N = try size(N, "N"), L = try size(L, "L")
    let m = try SSMKitC.method(method, alpha: alpha)
    let lambda = try nonNull(lambda, "lambda"), B = try nonNull(B, "B"), C = try nonNull(C, "C")
    let dt = try nonNull(dt, "dt"), u = try nonNull(u, "u"), y = try nonNull(y, "y")
    let modes = try elementCount(H, N, what: "lambda"), rows = try elementCount(batch, H, what: "u")
    let steps = try elementCount(rows, L, what: "u"), states = try elementCount(rows, N, what: "x0")
    try requireWorkspace(elements: N, bytesPerElement: 16 * max(threadCount, 1), what: "the scan state")
    try diagonalScan(batch: batch, H: H, N: N, L: L, lambda: complexBuffer(lambda, modes), B: complexBuffer(B, modes),
                     C: complexBuffer(C, modes), D: D.map { UnsafeBufferPointer(start: $0, count: H) }, pairs: pairs != 0,
                     dt: UnsafeBufferPointer(start: dt, count: steps), method: m,
                     u: UnsafeBufferPointer(start: u, count: steps), x0: x0.map { complexBuffer($0, states) },
                     y: UnsafeMutableBufferPointer(start: y, count: steps),
                     xFinal: x_final.map { complexBuffer($0, states) })
}

@c @implementation
public func ssm_kernel_dense(_ N: Int64, _ m: Int64, _ p: Int64, _ L: Int64, _ Ad: UnsafePointer<Double>?,
                             _ Bd: UnsafePointer<Double>?, _ Cd: UnsafePointer<Double>?, _ K: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_kernel_dense") {
        let N = try size(N, "N"), m = try size(m, "m"), p = try size(p, "p"), L = try size(L, "L")
        let Ad = try nonNull(Ad, "Ad"), Bd = try nonNull(Bd, "Bd"), Cd = try nonNull(Cd, "Cd"), K = try nonNull(K, "K")
        let a = try elementCount(N, N, what: "Ad"), b = try elementCount(N, m, what: "Bd"), c = try elementCount(p, N, what: "Cd")
        let k = try elementCount(L, p, m, what: "K")
        try requireWorkspace(elements: b, bytesPerElement: 16, what: "the Krylov vectors")
        try denseKernel(N: N, m: m, p: p, L: L, A: UnsafeBufferPointer(start: Ad, count: a), B: UnsafeBufferPointer(start: Bd, count: b),
                        C: UnsafeBufferPointer(start: Cd, count: c), into: UnsafeMutableBufferPointer(start: K, count: k))
    }
}

@c @implementation
public func ssm_scan_dense(_ batch: Int64, _ N: Int64, _ m: Int64, _ p: Int64, _ L: Int64, _ Ad: UnsafePointer<Double>?,
                           _ Bd: UnsafePointer<Double>?, _ Cd: UnsafePointer<Double>?, _ Dd: UnsafePointer<Double>?,
                           _ u: UnsafePointer<Double>?, _ x0: UnsafePointer<Double>?, _ y: UnsafeMutablePointer<Double>?,
                           _ x_final: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_scan_dense") {
        let batch = try size(batch, "batch"), N = try size(N, "N"), m = try size(m, "m"), p = try size(p, "p")
        let L = try size(L, "L")
        let Ad = try nonNull(Ad, "Ad"), Bd = try nonNull(Bd, "Bd"), Cd = try nonNull(Cd, "Cd")
        let u = try nonNull(u, "u"), y = try nonNull(y, "y")
        let a = try elementCount(N, N, what: "Ad"), b = try elementCount(N, m, what: "Bd"), c = try elementCount(p, N, what: "Cd")
        let d = try elementCount(p, m, what: "Dd"), inputs = try elementCount(batch, L, m, what: "u")
        let outputs = try elementCount(batch, L, p, what: "y"), states = try elementCount(batch, N, what: "x0")
        try requireWorkspace(elements: N, bytesPerElement: 16 * max(threadCount, 1), what: "the state")
        try denseScan(batch: batch, N: N, m: m, p: p, L: L, A: UnsafeBufferPointer(start: Ad, count: a),
                      B: UnsafeBufferPointer(start: Bd, count: b), C: UnsafeBufferPointer(start: Cd, count: c),
                      D: Dd.map { UnsafeBufferPointer(start: $0, count: d) }, u: UnsafeBufferPointer(start: u, count: inputs),
                      x0: x0.map { UnsafeBufferPointer(start: $0, count: states) },
                      y: UnsafeMutableBufferPointer(start: y, count: outputs),
                      xFinal: x_final.map { UnsafeMutableBufferPointer(start: $0, count: states) })
    }
}

@c @implementation
public func ssm_kernel_dplr(_ H: Int64, _ N: Int64, _ rank: Int64, _ L: Int64, _ Lambda: UnsafePointer<ssm_complex_t>?,
                            _ P: UnsafePointer<ssm_complex_t>?, _ Q: UnsafePointer<ssm_complex_t>?,
                            _ B: UnsafePointer<ssm_complex_t>?, _ C: UnsafePointer<ssm_complex_t>?,
                            _ dt: UnsafePointer<Double>?, _ pairs: Int32, _ K: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_kernel_dplr") {
        let H = try size(H, "H"), N = try size(N, "N"), r = try size(rank, "rank"), L = try size(L, "L")
        let Lambda = try nonNull(Lambda, "Lambda"), P = try nonNull(P, "P"), B = try nonNull(B, "B")
        let C = try nonNull(C, "C"), dt = try nonNull(dt, "dt"), K = try nonNull(K, "K")
        let modes = try elementCount(H, N, what: "Lambda"), factors = try elementCount(H, r, N, what: "P")
        let outputs = try elementCount(H, L, what: "K")
        // Work per thread: the spectrum (L complex values) and (1 + rank)² numerators per mode
        // (both halves of each pair).
        let work = try elementCount(L + 2 * N * (r + 1) * (r + 1) + 8 * N * (r + 1), what: "the work space")
        try requireWorkspace(elements: work, bytesPerElement: 32 * max(threadCount, 1), what: "the DPLR kernel")
        try dplrKernel(H: H, M: N, rank: r, L: L, Lambda: complexBuffer(Lambda, modes), P: complexBuffer(P, factors),
                       Q: Q.map { complexBuffer($0, factors) }, B: complexBuffer(B, modes), C: complexBuffer(C, modes),
                       dt: UnsafeBufferPointer(start: dt, count: H), pairs: pairs != 0,
                       into: UnsafeMutableBufferPointer(start: K, count: outputs))
    }
}
