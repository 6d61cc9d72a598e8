import Synchronization

/// The string syntaxes the GPUPool schema enforces. The CRD publishes the same patterns, so a manifest
/// `fleetcast validate` accepts is one the API server accepts, and vice versa.
public enum NamePatterns {
    /// RFC 1123 subdomain (object names): `a100-serving`, `pool.example`.
    public static let dnsSubdomain = #"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"#
    public static let dnsSubdomainMaxLength = 253
    /// RFC 1123 label (schedule names).
    public static let dnsLabel = #"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"#
    public static let dnsLabelMaxLength = 63
    /// `group/version` or a bare core `version`.
    public static let apiVersion = #"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?v[0-9]+((alpha|beta)[0-9]+)?$"#
    /// A Kubernetes kind: CamelCase identifier.
    public static let kind = #"^[A-Z][A-Za-z0-9]*$"#
    /// A merge-patch path to an integer field: `.spec.replicas`; empty selects the `/scale` subresource.
    public static let replicasPath = #"^((\.[A-Za-z_][A-Za-z0-9_]*)+)?$"#
    /// An extended resource name: `nvidia.com/gpu`, `amd.com/gpu`.
    public static let resourceName = #"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"#
    /// A container image reference as the distribution grammar reads it: an optional registry host
    /// (with port), lowercase path components, an optional tag and an optional sha256 digest:
    /// `nvcr.io/nvidia/tritonserver:24.08-py3`, `ubuntu`, `repo@sha256:…`.
    public static let imageReference = #"^([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*(:[0-9]+)?/)?[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(@sha256:[a-f0-9]{64})?$"#
    /// Go duration syntax without a sign (`90s`, `1h30m`, `1.5h`); the sign is rejected by validation.
    public static let duration = #"^(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$"#

    /// Whether the whole of `text` matches `pattern`. Compiled patterns are cached: compiling a Regex
    /// costs far more than matching one (it dominated `fleetcast validate` before the cache).
    static func matches(_ text: String, _ pattern: String) -> Bool {
        let regex = compiled.withLock { cache -> Regex<AnyRegexOutput>? in
            if let hit = cache[pattern] { return hit }
            let fresh = try? Regex(pattern)
            cache[pattern] = fresh
            return fresh
        }
        guard let regex else { return false }
        return text.wholeMatch(of: regex) != nil
    }

    private static let compiled = Mutex<[String: Regex<AnyRegexOutput>?]>([:])

    static let dnsSubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let dnsLabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
}
