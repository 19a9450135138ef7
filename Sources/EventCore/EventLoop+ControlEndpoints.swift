// EventLoop+ControlEndpoints: the loop's own endpoints under /__isoring/ (the metrics text and
// the control endpoint the CLI installs), answered before anything reaches the responder.
import HTTP1
import Responding

/// A control endpoint: (target, method) -> the answer, or nil when the path is not its own.
public typealias ControlEndpoint = (_ target: String, _ method: String) -> ControlAnswer?

public struct ControlAnswer: Sendable {
    public var status: Int
    public var contentType: String
    public var body: String
    public init(status: Int, contentType: String = "application/json", body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

extension EventLoop {
    /// Answers the loop's own endpoints at once, and hands anything else to the responder.
    func answer(_ request: HTTPRequest, _ bytes: UnsafeRawBufferPointer, handle: ResponseHandle,
                into out: OutputBuffer) -> ResponseProgress {
        if let metrics = metricsText, Self.targetIsMetrics(request.target, bytes) {
            let text = metrics()
            HTTPResponseWriter.writeHead(status: 200, headers: [("content-type", "text/plain; version=0.0.4")],
                                         contentLength: text.utf8.count, keepAlive: handle.keepAlive, into: out)
            if !request.isHead { out.append(text) }
            return .answered(status: 200)
        }
        if let control = controlEndpoint, Self.targetHasPrefix(request.target, bytes, Self.controlPrefix),
           let answer = control(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[request.target]), as: UTF8.self),
                                String(decoding: UnsafeRawBufferPointer(rebasing: bytes[request.method]), as: UTF8.self)) {
            HTTPResponseWriter.writeHead(status: answer.status, headers: [("content-type", answer.contentType)],
                                         contentLength: answer.body.utf8.count, keepAlive: handle.keepAlive, into: out)
            if !request.isHead { out.append(answer.body) }
            return .answered(status: answer.status)
        }
        framing = slots[Int(handle.slot)]
        defer { framing = nil }
        return responder.respond(to: request, in: bytes, handle: handle, into: out)
    }

    static let controlPrefix: [UInt8] = Array("/__isoring/".utf8)

    static func targetHasPrefix(_ target: Range<Int>, _ bytes: UnsafeRawBufferPointer, _ prefix: [UInt8]) -> Bool {
        guard target.count >= prefix.count else { return false }
        for i in 0..<prefix.count where bytes[target.lowerBound + i] != prefix[i] { return false }
        return true
    }

    static let metricsPath: [UInt8] = Array("/__isoring/metrics".utf8)

    static func targetIsMetrics(_ target: Range<Int>, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let path = metricsPath
        guard target.count >= path.count else { return false }
        for i in 0..<path.count where bytes[target.lowerBound + i] != path[i] { return false }
        return target.count == path.count || bytes[target.lowerBound + path.count] == UInt8(ascii: "?")
    }
}
