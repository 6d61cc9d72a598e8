import CCurl
import Foundation

/// One libcurl easy handle configured for one request. Lives on a `TransferLoop` thread from
/// submission to completion; the callbacks below run there too.
final class CurlTransfer: @unchecked Sendable {
    enum Outcome: Sendable {
        case finished(HTTPResponse)
        case failed(TransportFailure)
        case cancelled
    }

    let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private(set) var statusCode = 0
    private(set) var headers: [String: String] = [:]
    private(set) var body = Data()
    /// For streams: receives bytes of a 2xx response as they arrive (on the loop thread).
    var onStreamData: (@Sendable (Data) -> Void)?
    /// For streams: called once the headers of a 2xx response are complete (on the loop thread), the
    /// moment the server has accepted the request, before any body byte.
    var onAccepted: (@Sendable () -> Void)?
    /// Called exactly once, on the loop thread.
    var onComplete: (@Sendable (Outcome) -> Void)?
    private var completed = false

    init(request: TransportRequest, settings: TransferSettings) throws(TransportFailure) {
        CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else {
            throw TransportFailure(code: -1, message: "curl_easy_init failed")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        do {
            try configure(request: request, settings: settings)
        } catch {
            cleanup()
            throw error
        }
    }

    deinit { cleanup() }

    private var cleanedUp = false
    private func cleanup() {
        guard !cleanedUp else { return }
        cleanedUp = true
        curl_easy_cleanup(handle)
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    private func check(_ code: CURLcode, _ what: String) throws(TransportFailure) {
        guard code == CURLE_OK else {
            throw TransportFailure(code: Int(code.rawValue), message: "\(what): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    private func setLong(_ option: CURLoption, _ value: Int, _ what: String) throws(TransportFailure) {
        try check(fleetcast_easy_setopt_long(handle, option, value), what)
    }

    private func setString(_ option: CURLoption, _ value: String, _ what: String) throws(TransportFailure) {
        // libcurl copies string options (since 7.17), so a temporary C string is enough.
        try check(value.withCString { fleetcast_easy_setopt_string(handle, option, $0) }, what)
    }

    private func setBlob(_ option: CURLoption, _ data: Data, _ what: String) throws(TransportFailure) {
        let code = data.withUnsafeBytes { bytes -> CURLcode in
            var blob = curl_blob(data: UnsafeMutableRawPointer(mutating: bytes.baseAddress), len: bytes.count, flags: UInt32(CURL_BLOB_COPY))
            return fleetcast_easy_setopt_blob(handle, option, &blob)
        }
        try check(code, what)
    }

    private func configure(request: TransportRequest, settings: TransferSettings) throws(TransportFailure) {
        let unmanaged = Unmanaged.passUnretained(self).toOpaque()
        try setString(CURLOPT_URL, request.url, "URL")
        try setLong(CURLOPT_NOSIGNAL, 1, "NOSIGNAL")
        try check(fleetcast_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "ERRORBUFFER")
        try setLong(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1), "HTTP_VERSION")
        try setLong(CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeout * 1000), "CONNECTTIMEOUT")
        if request.streaming {
            try setLong(CURLOPT_LOW_SPEED_LIMIT, 1, "LOW_SPEED_LIMIT")
            try setLong(CURLOPT_LOW_SPEED_TIME, max(1, Int(settings.lowSpeedTime)), "LOW_SPEED_TIME")
            try setLong(CURLOPT_TCP_KEEPALIVE, 1, "TCP_KEEPALIVE")
            try setLong(CURLOPT_TCP_KEEPIDLE, 30, "TCP_KEEPIDLE")
            try setLong(CURLOPT_TCP_KEEPINTVL, 15, "TCP_KEEPINTVL")
        } else {
            try setLong(CURLOPT_TIMEOUT_MS, Int(settings.requestTimeout * 1000), "TIMEOUT")
        }
        if settings.compression { try setString(CURLOPT_ACCEPT_ENCODING, "", "ACCEPT_ENCODING") }
        try configureTLS(settings)

        switch request.method {
        case .get: try setLong(CURLOPT_HTTPGET, 1, "HTTPGET")
        default: try setString(CURLOPT_CUSTOMREQUEST, request.method.rawValue, "CUSTOMREQUEST")
        }
        if let body = request.body {
            try check(fleetcast_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "POSTFIELDSIZE")
            let code = body.withUnsafeBytes { bytes -> CURLcode in
                // COPYPOSTFIELDS copies the bytes, so the Data may go away after this call.
                fleetcast_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)))
            }
            try check(code, "COPYPOSTFIELDS")
        }

        var list: UnsafeMutablePointer<curl_slist>?
        // An empty Expect suppresses `Expect: 100-continue`, which costs a round trip per write.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            list = curl_slist_append(list, line)
        }
        headerList = list
        try check(fleetcast_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list), "HTTPHEADER")

        try check(fleetcast_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback), "WRITEFUNCTION")
        try check(fleetcast_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, unmanaged), "WRITEDATA")
        try check(fleetcast_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback), "HEADERFUNCTION")
        try check(fleetcast_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, unmanaged), "HEADERDATA")
        try check(fleetcast_easy_setopt_pointer(handle, CURLOPT_PRIVATE, unmanaged), "PRIVATE")
    }

    private func configureTLS(_ settings: TransferSettings) throws(TransportFailure) {
        let tls = settings.tls
        if tls.insecureSkipVerify {
            try setLong(CURLOPT_SSL_VERIFYPEER, 0, "SSL_VERIFYPEER")
            try setLong(CURLOPT_SSL_VERIFYHOST, 0, "SSL_VERIFYHOST")
        } else if let ca = tls.certificateAuthorityPEM {
            try setBlob(CURLOPT_CAINFO_BLOB, ca, "CAINFO_BLOB")
            // Trust only the configured authority: no system directory on top of it.
            try check(fleetcast_easy_setopt_pointer(handle, CURLOPT_CAPATH, nil), "CAPATH")
        }
        if let certificate = tls.clientCertificatePEM ?? settings.credentials.clientCertificatePEM,
           let key = tls.clientKeyPEM ?? settings.credentials.clientKeyPEM {
            try setString(CURLOPT_SSLCERTTYPE, "PEM", "SSLCERTTYPE")
            try setBlob(CURLOPT_SSLCERT_BLOB, certificate, "SSLCERT_BLOB")
            try setString(CURLOPT_SSLKEYTYPE, "PEM", "SSLKEYTYPE")
            try setBlob(CURLOPT_SSLKEY_BLOB, key, "SSLKEY_BLOB")
        }
        if let connectTo = settings.connectTo {
            var list: UnsafeMutablePointer<curl_slist>?
            list = curl_slist_append(list, connectTo)
            connectToList = list
            try check(fleetcast_easy_setopt_slist(handle, CURLOPT_CONNECT_TO, list), "CONNECT_TO")
        }
    }

    private var connectToList: UnsafeMutablePointer<curl_slist>? {
        didSet { if let oldValue { curl_slist_free_all(oldValue) } }
    }

    // MARK: Callbacks (loop thread)

    fileprivate func receive(_ bytes: UnsafeRawBufferPointer) {
        if statusCode == 0 {
            var code = 0
            _ = fleetcast_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
            statusCode = code
        }
        if let onStreamData, (200..<300).contains(statusCode) {
            onStreamData(Data(bytes))
        } else {
            body.append(contentsOf: bytes)
        }
    }

    fileprivate func receiveHeader(_ line: String) {
        if line.isEmpty {
            // The blank line that ends a header block; an interim 1xx block is followed by another.
            if (200..<300).contains(statusCode), let accepted = onAccepted {
                onAccepted = nil
                accepted()
            }
            return
        }
        if line.hasPrefix("HTTP/") {
            // A new response (after 100-continue or a redirect) starts over.
            headers = [:]
            let parts = line.split(separator: " ")
            statusCode = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers[name] = value
    }

    /// Delivers the outcome once; later calls are ignored.
    func complete(_ result: CURLcode?) {
        guard !completed else { return }
        completed = true
        let outcome: Outcome
        if let result {
            if result == CURLE_OK {
                var code = 0
                _ = fleetcast_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
                outcome = .finished(HTTPResponse(statusCode: code, headers: headers, body: body))
            } else {
                let detail = String(cString: errorBuffer)
                let message = detail.isEmpty ? String(cString: curl_easy_strerror(result)) : detail
                var verifyResult = 0
                _ = fleetcast_easy_getinfo_long(handle, CURLINFO_SSL_VERIFYRESULT, &verifyResult)
                outcome = .failed(TransportFailure(code: Int(result.rawValue), message: message, verifyResult: verifyResult))
            }
        } else {
            outcome = .cancelled
        }
        let callback = onComplete
        onComplete = nil
        onStreamData = nil
        onAccepted = nil
        callback?(outcome)
    }
}

private let curlWriteCallback: fleetcast_curl_data_callback = { pointer, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    transfer.receive(UnsafeRawBufferPointer(start: pointer, count: length))
    return length
}

private let curlHeaderCallback: fleetcast_curl_data_callback = { pointer, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    if let pointer {
        let line = String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
        transfer.receiveHeader(line.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    return length
}

/// Per-request transport settings derived from the client configuration and current credentials.
struct TransferSettings: Sendable {
    var tls: TLSSettings
    var credentials: Credentials
    var connectTimeout: TimeInterval
    var requestTimeout: TimeInterval
    var lowSpeedTime: TimeInterval
    var compression: Bool
    /// `host:port:connecthost:connectport` when `tls-server-name` differs from the URL's host.
    var connectTo: String?
}

/// `curl_global_init` must run once before any other libcurl call, and before threads start.
enum CurlGlobal {
    private static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
    }()

    static func ensureInitialized() { _ = initialized }
}
