// JSCMemoryUsage: one reading of a context group's heap statistics.

/// The fields of JSGetMemoryUsageStatistics (JSBasePrivate.h), in bytes and objects.
public struct JSCMemoryUsage: Sendable, Equatable {
    public var heapSizeBytes: Int
    public var heapCapacityBytes: Int
    public var extraMemoryBytes: Int
    public var objectCount: Int
}
