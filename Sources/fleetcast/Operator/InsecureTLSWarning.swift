import KubeClient
import Logging

/// `insecure-skip-tls-verify` turns off the check that the API server is who it says it is: anyone
/// on the path can read the credentials sent to it. kubectl accepts it silently; Fleetcast accepts
/// it too (development clusters use it) but says so every time, so it is never on by accident.
enum InsecureTLSWarning {
    static let message: Logger.Message =
        "The kubeconfig sets insecure-skip-tls-verify: the API server's certificate is not verified, and the credentials sent to it can be intercepted. Set certificate-authority or certificate-authority-data instead."

    static func warnIfInsecure(_ configuration: ClientConfiguration, logger: Logger) {
        guard configuration.tls.insecureSkipVerify else { return }
        logger.warning(message, metadata: ["server": "\(configuration.server)"])
    }

    /// The same warning for commands that print to the terminal rather than log.
    static func warningLine(_ configuration: ClientConfiguration) -> String? {
        configuration.tls.insecureSkipVerify ? "warning: \(message)" : nil
    }
}
