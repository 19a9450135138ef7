// Routers: the process model's ConnectionRouters: the front's (hand each tenant's connections
// to its process) and a worker's (answer its own tenant, hand anything else back).
import EventCore
import HTTP1
import Tenants

/// The front in the process and cgi models: a request for a known tenant hands the connection
/// over to that tenant's process; anything else (unknown tenant) is answered here, by the same
/// runtime code as in the isolate model, so errors read the same. One per loop (not shared).
public final class FrontRouter: ConnectionRouter {
    let names: TenantNames
    let supervisor: Supervisor
    var handles: [String: TenantHandle] = [:]

    public init(names: TenantNames, supervisor: Supervisor) {
        self.names = names
        self.supervisor = supervisor
    }

    public func route(_ request: HTTPRequest, in bytes: UnsafeRawBufferPointer) -> RouteDecision {
        guard let name = names.resolve(request, in: bytes) else { return .respond }
        if let h = handles[name] { return .handOver(h) }
        let h = TenantHandle(tenant: name, supervisor: supervisor)
        handles[name] = h
        return .handOver(h)
    }
}

/// Hands connections to one tenant's process.
final class TenantHandle: ConnectionTaker {
    let tenant: String
    unowned let supervisor: Supervisor
    init(tenant: String, supervisor: Supervisor) {
        self.tenant = tenant
        self.supervisor = supervisor
    }
    func take(fd: Int32, bytes: UnsafeRawBufferPointer, origin: Int32) -> Int32 {
        supervisor.take(tenant: tenant, fd: fd, bytes: bytes, origin: origin)
    }
}

/// A worker process: requests for its own tenant are answered here; a keep-alive connection
/// that asks for another tenant (or the front's own endpoints) goes back to the front. With
/// `once` (cgi) the connection goes back right after the first answer, so a keep-alive client
/// keeps its connection and its next request is again a cold start. Shared by the worker's
/// connection threads (stateless).
public final class WorkerRouter: ConnectionRouter, ConnectionTaker, @unchecked Sendable {
    let tenant: String
    let names: TenantNames
    let channel: WorkerChannel
    let once: Bool

    public init(tenant: String, names: TenantNames, channel: WorkerChannel, once: Bool) {
        self.tenant = tenant
        self.names = names
        self.channel = channel
        self.once = once
    }

    public func route(_ request: HTTPRequest, in bytes: UnsafeRawBufferPointer) -> RouteDecision {
        guard names.resolve(request, in: bytes) == tenant else { return .handOver(self) }
        return once ? .respondThenHandOver(self) : .respond
    }

    public func take(fd: Int32, bytes: UnsafeRawBufferPointer, origin: Int32) -> Int32 {
        channel.send(connection: fd, bytes: bytes, origin: origin)
    }
}
