// Header section "Autocorrelation: estimators".
import CSSMKit
import SSMKit

/// The core's options for an `ssm_acf_options_t` (NULL: the defaults).
private func acfOptions(_ options: UnsafePointer<ssm_acf_options_t>?) throws -> AutocorrelationOptions {
    let o = try readOptions(options, minimumSize: MemoryLayout<ssm_acf_options_t>.size,
                            default: { var o = ssm_acf_options_t(); _ = ssm_acf_options_default(&o); return o },
                            name: "options")
    return AutocorrelationOptions(biased: o.biased != 0, centered: o.centered != 0, normalized: o.normalized != 0)
}

/// The core's method for an `ssm_eigen_method_t`.
private func eigenvalueMethod(_ code: Int32) throws -> EigenvalueMethod {
    switch code {
    case 0: return .lanczos
    case 1: return .dense
    default: throw SSMError(.value, "method = \(code) is not an ssm_eigen_method_t (LANCZOS 0, DENSE 1)")
    }
}

@c @implementation
public func ssm_acf_options_default(_ options: UnsafeMutablePointer<ssm_acf_options_t>?) -> Int32 {
    boundary("ssm_acf_options_default") {
        let options = try nonNull(options, "options")
        options.pointee = ssm_acf_options_t(size: Int64(MemoryLayout<ssm_acf_options_t>.size), biased: 1, centered: 1,
                                            normalized: 1)
    }
}

@c @implementation
public func ssm_acf(_ count: Int64, _ L: Int64, _ x: UnsafePointer<Double>?, _ lags: Int64,
                    _ options: UnsafePointer<ssm_acf_options_t>?, _ acf: UnsafeMutablePointer<Double>?,
                    _ pairs: UnsafeMutablePointer<Int64>?) -> Int32 {
    boundary("ssm_acf") {
        let count = try size(count, "count"), L = try size(L, "L"), lags = try size(lags, "lags")
        let x = try nonNull(x, "x"), acf = try nonNull(acf, "acf")
        guard lags <= L else { throw SSMError(.size, "lags = \(lags) must be at most L = \(L)") }
        let o = try acfOptions(options)
        let total = try elementCount(count, L, what: "x")
        try requireWorkspace(elements: sampleAutocorrelationWorkspace(count: count, L: L, lags: lags) / 8 + 2 * lags,
                             bytesPerElement: 8, what: "the autocorrelation")
        let result = try sampleAutocorrelation(UnsafeBufferPointer(start: x, count: total), count: count, L: L,
                                               lags: lags, options: o)
        acf.update(from: result.values, count: lags)
        if let pairs { for k in 0..<lags { pairs[k] = Int64(result.pairs[k]) } }
    }
}

@c @implementation
public func ssm_toeplitz(_ L: Int64, _ r: UnsafePointer<Double>?, _ R: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_toeplitz") {
        let L = try size(L, "L"), r = try nonNull(r, "r"), R = try nonNull(R, "R")
        let total = try elementCount(L, L, what: "R")
        try toeplitzMatrix(UnsafeBufferPointer(start: r, count: L), into: UnsafeMutableBufferPointer(start: R, count: total))
    }
}

@c @implementation
public func ssm_toeplitz_matvec(_ L: Int64, _ r: UnsafePointer<Double>?, _ count: Int64, _ v: UnsafePointer<Double>?,
                                _ out: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_toeplitz_matvec") {
        let L = try size(L, "L"), count = try size(count, "count")
        let r = try nonNull(r, "r"), v = try nonNull(v, "v"), out = try nonNull(out, "out")
        let total = try elementCount(count, L, what: "v")
        // The embedding's eigenvalues, and per thread one product's buffers.
        let perThread = ToeplitzOperator.workspaceBytes(L: L)
        let (bytes, overflow) = perThread.multipliedReportingOverflow(by: min(threadCount, count) + 1)
        try requireWorkspace(elements: overflow ? Int.max / 8 : bytes / 8, bytesPerElement: 8, what: "the products")
        let R = try ToeplitzOperator(doubles(r, L))
        if UnsafeRawPointer(v) == UnsafeRawPointer(out) {   // in place: read the inputs before writing
            let copy = doubles(v, total)
            try copy.withUnsafeBufferPointer { try R.apply(count: count, $0, into: UnsafeMutableBufferPointer(start: out, count: total)) }
        } else {
            try R.apply(count: count, UnsafeBufferPointer(start: v, count: total), into: UnsafeMutableBufferPointer(start: out, count: total))
        }
    }
}

@c @implementation
public func ssm_toeplitz_lambda_max(_ L: Int64, _ r: UnsafePointer<Double>?, _ method: Int32, _ tol: Double,
                                    _ max_iter: Int64, _ value: UnsafeMutablePointer<Double>?,
                                    _ iterations: UnsafeMutablePointer<Int64>?, _ residual: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_toeplitz_lambda_max") {
        let L = try size(L, "L"), r = try nonNull(r, "r"), value = try nonNull(value, "value")
        let m = try eigenvalueMethod(method)
        let steps: Int
        switch m {
        case .dense:
            guard L <= denseEigenvalueLimit else {
                throw SSMError(.size, "the dense method is for small L (≤ \(denseEigenvalueLimit)), got L = \(L): use SSM_EIGEN_LANCZOS")
            }
            try requireWorkspace(elements: try elementCount(L, L, 2, what: "R"), bytesPerElement: 8, what: "the dense matrix")
            steps = 1
        case .lanczos:
            guard tol.isFinite, tol > 0, tol < 1 else { throw SSMError(.value, "tol = \(tol) must be in (0, 1)") }
            steps = try size(max_iter, "max_iter")
            // The operator, four vectors of L, and per step about six values of the tridiagonal problem.
            try requireWorkspace(elements: ToeplitzOperator.workspaceBytes(L: L) / 8 + 4 * L + 6 * steps, bytesPerElement: 8,
                                 what: "Lanczos")
        }
        let result = try toeplitzLambdaMax(doubles(r, L), method: m, tolerance: tol, maxIterations: steps)
        value.pointee = result.value
        iterations?.pointee = Int64(result.iterations)
        residual?.pointee = result.residual
        guard result.converged else {
            throw SSMError(.notConverged, "Lanczos did not converge in max_iter = \(max_iter) steps: the residual bound \(result.residual) of the estimate λ_max ≈ \(result.value) is above tol·|λ_max| = \(tol * abs(result.value)) (value, iterations and residual hold the estimate)")
        }
    }
}

@c @implementation
public func ssm_long_memory_fit(_ lags: Int64, _ acf: UnsafePointer<Double>?, _ kmin: Int64, _ kmax: Int64,
                                _ alpha: UnsafeMutablePointer<Double>?, _ c: UnsafeMutablePointer<Double>?,
                                _ used: UnsafeMutablePointer<Int64>?, _ r_squared: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_long_memory_fit") {
        let lags = try size(lags, "lags"), acf = try nonNull(acf, "acf"), alpha = try nonNull(alpha, "alpha")
        let fit = try longMemoryFit(doubles(acf, lags), kmin: Int(kmin), kmax: Int(kmax))   // the core checks the range
        alpha.pointee = fit.alpha
        c?.pointee = fit.c
        used?.pointee = Int64(fit.lags)
        r_squared?.pointee = fit.rSquared
    }
}
