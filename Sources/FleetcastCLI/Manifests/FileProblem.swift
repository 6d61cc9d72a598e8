import Foundation

/// Reads a file with the operating system's own reason when it cannot be read, in words a user
/// recognises: "permission denied", "is a directory", and for a symbolic link that points back at
/// itself "symbolic link loop" rather than Foundation's "no such file", which sends people looking
/// for a file that is right there.
public struct FileProblem: Error, CustomStringConvertible {
    public var description: String

    public static func contents(of path: String) throws(FileProblem) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileProblem(errno: errno) }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileProblem(errno: errno)
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    /// Why `path` does not exist as far as `fileExists` can tell: missing, a dangling link, or a loop.
    public static func whyMissing(_ path: String) -> String {
        var info = stat()
        if stat(path, &info) != 0 {
            let code = errno
            if code == ENOENT, lstat(path, &info) == 0 { return "dangling symbolic link (its target does not exist)" }
            return FileProblem(errno: code).description
        }
        return "no such file or directory"
    }

    public init(errno code: Int32) {
        switch code {
        case ELOOP: description = "symbolic link loop (too many levels of symbolic links)"
        case ENOENT: description = "no such file or directory"
        case EACCES: description = "permission denied"
        case EISDIR: description = "is a directory"
        default: description = String(cString: strerror(code)).lowercased()
        }
    }
}
