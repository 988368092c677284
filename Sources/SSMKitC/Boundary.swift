// The rules every C entry point follows: check pointers and sizes before touching memory, turn
// every thrown SSMError into its status code plus a per-thread message, and never trap.
import ComplexModule
import CSSMKit
import SSMKit
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// MARK: - Per-thread last error

/// The thread-specific slot holding the last failure's message (a malloc'ed C string).
private let lastErrorKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { free($0) }
    return key
}()

/// An empty C string that lives forever, returned when no call has failed on this thread.
private let emptyCString: UnsafePointer<CChar> = UnsafePointer(strdup("")!)

/// Records `message` as the calling thread's last error.
func setLastError(_ message: String) {
    let copy = strdup(message)
    if let old = pthread_getspecific(lastErrorKey) { free(old) }
    pthread_setspecific(lastErrorKey, copy)
}

/// The calling thread's last error message (never NULL).
func lastErrorCString() -> UnsafePointer<CChar> {
    guard let raw = pthread_getspecific(lastErrorKey) else { return emptyCString }
    return UnsafePointer(raw.assumingMemoryBound(to: CChar.self))
}

/// Runs the body of a C entry point: `SSM_OK` if it returns, the error's code (and the message in
/// `ssm_last_error()`) if it throws. `function` prefixes the message so users see who failed.
func boundary(_ function: String, _ body: () throws -> Void) -> Int32 {
    do {
        try body()
        return SSM_OK
    } catch let error as SSMError {
        setLastError("\(function): \(error.message)")
        return error.kind.rawValue
    } catch {
        setLastError("\(function): unexpected error \(error)")
        return SSM_ERR_INTERNAL
    }
}

// MARK: - Allocation limit

/// Largest number of bytes one call may allocate for its work (process-wide; atomic, so calls
/// running while it is set see either the old or the new value).
private let allocationLimitStorage = Atomic<Int64>(4 << 30)

var allocationLimit: Int64 {
    get { allocationLimitStorage.load(ordering: .relaxed) }
    set { allocationLimitStorage.store(newValue, ordering: .relaxed) }
}

// MARK: - Argument checks

/// Throws `.null` naming `name` if `pointer` is NULL; otherwise returns it.
func nonNull<T>(_ pointer: T?, _ name: String) throws -> T {
    guard let pointer else { throw SSMError(.null, "\(name) is NULL") }
    return pointer
}

/// The body of the `ssm_X_from_name` functions: reads the C string `name`, maps it through `parse`
/// and stores the enum value in `out`; an unknown name is `.value` with the `known` names listed.
func parseName(_ name: UnsafePointer<CChar>?, into out: UnsafeMutablePointer<Int32>?, outName: String,
               what: String, known: String, _ parse: (String) -> Int32?) throws {
    let text = String(cString: try nonNull(name, "name"))
    let out = try nonNull(out, outName)
    guard let value = parse(text) else {
        throw SSMError(.value, "unknown \(what) \"\(text)\" (known: \(known))")
    }
    out.pointee = value
}

/// Checks that a size is at least `minimum` and returns it as `Int`.
/// The core enum case a C enum value names, or `.value` with a message naming the argument, its C
/// type and the valid cases: "options->readout = 7 is not an ssm_readout_t (TIME 0, SPACE 1)".
func enumCase<E: RawRepresentable>(_ value: Int32, _ name: String, _ cType: String, _ cases: String) throws -> E
where E.RawValue == Int32 {
    guard let e = E(rawValue: value) else { throw SSMError(.value, "\(name) = \(value) is not an \(cType) (\(cases))") }
    return e
}

func size(_ value: Int64, _ name: String, minimum: Int64 = 1) throws -> Int {
    guard value >= minimum else {
        throw SSMError(.size, "\(name) = \(value) must be at least \(minimum)")
    }
    // Guard against sizes no machine can hold even before multiplying them together.
    guard value <= Int64(1) << 48 else { throw SSMError(.size, "\(name) = \(value) is too large") }
    return Int(value)
}

/// The product of `factors` as an element count, throwing `.size` on overflow. `what` names the
/// array in the message.
func elementCount(_ factors: Int..., what: String) throws -> Int {
    var total = 1
    for f in factors {
        let (product, overflow) = total.multipliedReportingOverflow(by: f)
        guard !overflow, product <= Int.max / 64 else {
            throw SSMError(.size, "the size of \(what) (\(factors.map(String.init).joined(separator: "×"))) overflows")
        }
        total = product
    }
    return total
}

/// Throws `.memory` if `elements` values of `bytesPerElement` bytes exceed the allocation limit.
/// `elements` is already overflow-checked by `elementCount`, so the product fits in Int.
func requireWorkspace(elements: Int, bytesPerElement: Int, what: String) throws {
    let (bytes, overflow) = elements.multipliedReportingOverflow(by: bytesPerElement)
    guard !overflow, Int64(bytes) <= allocationLimit else {
        throw SSMError(.memory, "\(what) needs about \(overflow ? "more than \(Int.max)" : String(bytes)) bytes of work space, above the allocation limit of \(allocationLimit) bytes (ssm_set_allocation_limit)")
    }
}

/// Reads an options struct whose first field is its size in bytes. The caller's struct must hold at
/// least the fields of version 0.1 (`minimumSize`); only `min(size, sizeof(T))` bytes are read, over
/// the defaults, so a program built against an older, shorter struct keeps working when fields are
/// appended, and a newer, longer one is read up to the fields this library knows.
func readOptions<T>(_ pointer: UnsafePointer<T>?, minimumSize: Int,
                    default make: () -> T, name: String) throws -> T {
    guard let pointer else { return make() }
    // The size field is the first Int64 of every options struct.
    let declared = UnsafeRawPointer(pointer).load(as: Int64.self)
    guard declared >= Int64(minimumSize), declared <= 1 << 20 else {
        throw SSMError(.value, "\(name)->size = \(declared) is not the size of an initialized options struct (expected \(MemoryLayout<T>.size); call the _options_default function first)")
    }
    var value = make()
    let count = min(Int(declared), MemoryLayout<T>.size)
    withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: count)) }
    return value
}

// MARK: - Array conversion

/// Copies `count` doubles from C into a Swift array.
func doubles(_ pointer: UnsafePointer<Double>, _ count: Int) -> [Double] {
    Array(UnsafeBufferPointer(start: pointer, count: count))
}

/// Copies a Swift array into caller memory.
func write(_ values: [Double], to pointer: UnsafeMutablePointer<Double>) {
    for (i, v) in values.enumerated() { pointer[i] = v }
}

/// Copies `count` interleaved complex numbers from C into a Swift array.
func complexes(_ pointer: UnsafePointer<ssm_complex_t>, _ count: Int) -> [Complex<Double>] {
    (0..<count).map { Complex(pointer[$0].re, pointer[$0].im) }
}

/// Copies complex numbers into caller memory.
func write(_ values: [Complex<Double>], to pointer: UnsafeMutablePointer<ssm_complex_t>) {
    for (i, v) in values.enumerated() { pointer[i] = ssm_complex_t(re: v.real, im: v.imaginary) }
}
