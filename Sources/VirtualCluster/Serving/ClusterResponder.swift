import Foundation
import HTTPTypes
import Hummingbird
import KubeAPI
import NIOCore
import NIOSSL

/// A request context that keeps the connection, so the responder can read the TLS peer certificate.
struct ClusterRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The common name of the verified client certificate, if the client presented one.
    func certificateUser() async -> String? {
        guard let certificate = try? await channel.nioSSL_peerCertificate().get() else { return nil }
        guard let der = try? certificate.toDERBytes() else { return nil }
        return CertificateAuthority.commonName(ofDER: der)
    }
}

/// The Hummingbird side of the API: injected faults, authentication, then `ClusterAPI`.
struct ClusterResponder: HTTPResponder {
    typealias Context = ClusterRequestContext

    let api: ClusterAPI
    let authentication: Authentication
    let faults: FaultInjector
    let maxBodySize = 64 * 1024 * 1024

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let method = request.method.rawValue
        if path != RequestRouting.faultsPath {
            let (delay, failure) = faults.intercept(method: method, path: path)
            if delay > .zero { try await Task.sleep(for: delay) }
            if let failure { return Self.response(.error(failure), requestBody: request.body) }
        }
        let user: String
        if Authentication.isPublic(path) {
            user = "system:anonymous"
        } else {
            let certificateUser = await context.certificateUser()
            switch authentication.authenticate(authorization: request.headers[.authorization], certificateUser: certificateUser) {
            case .user(let name): user = name
            case .rejected: return Self.response(.error(.unauthorized), requestBody: request.body)
            }
        }
        var request = request
        let body = try await request.collectBody(upTo: maxBodySize)
        let apiRequest = APIRequest(
            method: method, path: path, query: APIRequest.parseQuery(request.uri.query ?? ""),
            accept: request.headers[.accept] ?? "", contentType: request.headers[.contentType] ?? "",
            body: Data(buffer: body), user: user
        )
        return Self.response(await api.handle(apiRequest), requestBody: request.body)
    }

    /// `requestBody` lets a watch end when its client goes, as kube-apiserver's
    /// handler context is cancelled when the connection closes: the watch is unregistered at once, not
    /// at the next write that fails (a bookmark, up to a minute later, or never on a watch without
    /// bookmarks). Hummingbird allows remote half-closure, so the channel itself stays open after the
    /// client's FIN; its end of input is seen through the request's part stream.
    static func response(_ response: APIResponse, requestBody: RequestBody) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = response.contentType
        for (name, value) in response.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let status = HTTPResponse.Status(code: response.code)
        switch response.body {
        case .text(let text):
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        case .bytes(let bytes):
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .watch(let stream):
            return Response(status: status, headers: headers, body: ResponseBody { writer in
                let (lines, continuation) = AsyncStream.makeStream(of: String.self)
                let producer = Task {
                    await stream.run { continuation.yield($0) }
                    continuation.finish()
                }
                defer { producer.cancel() }
                try await requestBody.consumeWithInboundCloseHandler { _ in
                    for await line in lines {
                        try await writer.write(ByteBuffer(string: line))
                    }
                } onInboundClosed: {
                    producer.cancel()
                    continuation.finish()
                }
                try await writer.finish(nil)
            })
        }
    }
}
