// ProcessColdStart: what starting one worker process cost, for reports (issue: cold start).

/// How tenants map to worker processes.
public enum WorkerModel: String, Sendable, Codable {
    /// One long-lived process per tenant, started on its first request, kept warm.
    case process
    /// A new process per request, which exits once it has answered.
    case cgi
}

/// One worker start: posix_spawn until the worker's ready message (exec, dynamic linking,
/// Swift and JavaScriptCore start-up, runtime set-up). The tenant's isolate itself is created
/// on the worker's first request, as in the isolate model; the client-side first-request
/// latency covers both.
public struct ProcessColdStart: Sendable, Codable, Equatable {
    public var tenant: String
    public var pid: Int32
    public var model: WorkerModel
    public var spawnToReadyNanos: Int64
}

/// One live worker's memory (PSS splits shared pages between the processes sharing them).
public struct WorkerMemory: Sendable {
    public var tenant: String
    public var pid: Int32
    public var pssKilobytes: UInt64
    public var rssKilobytes: UInt64
}
