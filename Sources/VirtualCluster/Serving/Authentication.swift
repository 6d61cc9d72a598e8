import Foundation

/// Who may call the API: bearer tokens, client certificates signed by the cluster CA, and anonymous
/// requests only when enabled. What a user may do is the authorizer's business (`RBACAuthorizer`).
struct Authentication: Sendable {
    /// Token → user name, including issued ServiceAccount tokens.
    let tokens: TokenRegistry
    var allowAnonymous: Bool

    enum Outcome: Equatable {
        case user(String)
        case rejected
    }

    /// Paths any caller may read, as the real server's `system:public-info-viewer` role allows.
    static func isPublic(_ path: String) -> Bool {
        ["/version", "/healthz", "/readyz", "/livez"].contains(path)
    }

    /// A presented but unknown token is rejected even when anonymous access is on, as kube-apiserver does.
    func authenticate(authorization: String?, certificateUser: String?) -> Outcome {
        if let authorization, !authorization.isEmpty {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer", let user = tokens.user(for: String(parts[1]).trimmingCharacters(in: .whitespaces)) {
                return .user(user)
            }
            return .rejected
        }
        if let certificateUser { return .user(certificateUser) }
        return allowAnonymous ? .user("system:anonymous") : .rejected
    }
}
