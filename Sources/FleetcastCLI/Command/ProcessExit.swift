import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ends the process once a command has finished, without `exit`'s clean-up running beside live threads.
///
/// `exit` runs the `atexit` handlers and library destructors — OpenSSL's `OPENSSL_cleanup` among them,
/// registered when libcurl loads it — while the threads a command leaves behind still run: the API
/// client's transfer loop (which owns TLS connections and may touch them at any moment) and NIO's event
/// loops. Freeing OpenSSL's global state under a transfer in flight can abort the process after a clean
/// shutdown, turning the operator's exit status 0 into a crash. By the time a command returns everything
/// it owed is done (the operator's writers flushed, its lease released), so the process only flushes C
/// stdio, where `print` buffers, and leaves with `_exit`.
public enum ProcessExit {
    public static func now(_ status: Int32) -> Never {
        fflush(nil)
        _exit(status)
    }
}
