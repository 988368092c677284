// Safetensors files on disk. Writing is atomic (a temporary file in the same folder, flushed, then
// renamed over the target), so a crash mid-save never leaves a half-written checkpoint under the
// real name. Reading checks the file size against the allocation limit before allocating anything.
#if canImport(Glibc)
import Glibc
#endif

/// Writes `tensors` and `metadata` as a safetensors file at `path`, replacing any file there only
/// once the new one is complete on disk.
/// Errors: those of `encodeSafetensors`; `.io` (the folder is not writable, the disk is full, ...).
public func writeSafetensors(path: String, tensors: [SafetensorsTensor], metadata: [String: String] = [:]) throws {
    let bytes = try encodeSafetensors(tensors, metadata: metadata)
    let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw ioError("cannot create \(temporary)") }
    var closed = false
    do {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw ioError("cannot write \(temporary)") }
                done += n
            }
        }
        guard fsync(fd) == 0 else { throw ioError("cannot flush \(temporary)") }
        closed = true
        guard close(fd) == 0 else { throw ioError("cannot close \(temporary)") }
        guard rename(temporary, path) == 0 else { throw ioError("cannot rename \(temporary) to \(path)") }
    } catch {
        if !closed { close(fd) }
        unlink(temporary)
        throw error
    }
    syncFolder(of: path)
}

/// Reads the safetensors file at `path`, checking everything `decodeSafetensors` checks; messages
/// start with the path. The file's size is compared with `allocationLimit` before it is read.
/// Errors: `.io` (missing, unreadable, not a regular file, changed while read), and those of
/// `decodeSafetensors`.
public func readSafetensors(path: String, allocationLimit: Int = Safetensors.defaultAllocationLimit) throws -> SafetensorsContents {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw ioError("cannot open \(path)") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw ioError("cannot stat \(path)") }
    guard info.st_mode & S_IFMT == S_IFREG else { throw SSMError(.io, "\(path) is not a regular file") }
    let size = Int(info.st_size)
    guard size <= allocationLimit else {
        throw SSMError(.memory, "\(path): the file has \(size) bytes, above the allocation limit of \(allocationLimit) bytes")
    }
    var failure: SSMError?
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        var done = 0
        while done < size {
            let n = read(fd, buffer.baseAddress! + done, size - done)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { failure = ioError("cannot read \(path)"); break }
            if n == 0 { failure = SSMError(.io, "\(path) shrank while being read"); break }
            done += n
        }
        initialized = done
    }
    if let failure { throw failure }
    do {
        return try decodeSafetensors(bytes, allocationLimit: allocationLimit)
    } catch let error as SSMError {
        throw SSMError(error.kind, "\(path): \(error.message)")
    }
}

/// `.io` with `what` and the system's reason for the current errno.
private func ioError(_ what: String) -> SSMError {
    SSMError(.io, "\(what): \(String(cString: strerror(errno)))")
}

/// Flushes the folder holding `path`, so the rename itself survives a power loss (best effort:
/// the file is already complete under its name).
private func syncFolder(of path: String) {
    let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
    let fd = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 { _ = fsync(fd); close(fd) }
}
