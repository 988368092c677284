// Header section "Versions" and "Status codes and errors".
import CSSMKit
import SSMKit

#if canImport(Glibc)
import Glibc
#endif

/// The version of this build; must equal the header's SSM_VERSION_* (checked by the tests).
let versionMajor: Int32 = 0, versionMinor: Int32 = 1, versionPatch: Int32 = 0

/// Static C strings, allocated once and never freed.
private let versionCString: UnsafePointer<CChar> =
    UnsafePointer(strdup("\(versionMajor).\(versionMinor).\(versionPatch)")!)

private let statusCStrings: [Int32: UnsafePointer<CChar>] = {
    let texts: [Int32: String] = [
        SSM_OK: "SSM_OK: success",
        SSM_ERR_NULL: "SSM_ERR_NULL: a required pointer argument is NULL",
        SSM_ERR_SIZE: "SSM_ERR_SIZE: a size is out of range or overflows",
        SSM_ERR_VALUE: "SSM_ERR_VALUE: a value is not finite, out of range or unknown",
        SSM_ERR_UNSUPPORTED: "SSM_ERR_UNSUPPORTED: this combination of arguments is not supported",
        SSM_ERR_MEMORY: "SSM_ERR_MEMORY: the work would exceed the allocation limit",
        SSM_ERR_INTERNAL: "SSM_ERR_INTERNAL: internal error in SSMKit",
        SSM_ERR_IO: "SSM_ERR_IO: a file could not be opened, read, written or renamed",
        SSM_NOT_CONVERGED: "SSM_NOT_CONVERGED: an iterative method did not converge",
        SSM_SINGULAR: "SSM_SINGULAR: a matrix is singular to working precision",
        SSM_UNSTABLE: "SSM_UNSTABLE: the result overflowed or the system is unstable",
    ]
    return texts.mapValues { UnsafePointer(strdup($0)!) }
}()

private let unknownStatusCString: UnsafePointer<CChar> = UnsafePointer(strdup("unknown status")!)

@c @implementation
public func ssm_version_number() -> Int32 {
    versionMajor * 10000 + versionMinor * 100 + versionPatch
}

@c @implementation
public func ssm_version_string() -> UnsafePointer<CChar>? {
    versionCString
}

@c @implementation
public func ssm_status_string(_ status: Int32) -> UnsafePointer<CChar>? {
    statusCStrings[status] ?? unknownStatusCString
}

@c @implementation
public func ssm_last_error() -> UnsafePointer<CChar>? {
    lastErrorCString()
}

@c @implementation
public func ssm_set_allocation_limit(_ bytes: Int64) -> Int32 {
    boundary("ssm_set_allocation_limit") {
        guard bytes > 0 else { throw SSMError(.value, "bytes = \(bytes) must be positive") }
        allocationLimit = bytes
    }
}

@c @implementation
public func ssm_allocation_limit() -> Int64 {
    allocationLimit
}
