// RequestTemplates: the request bytes for every tenant, built once before the run.

/// One GET per tenant, laid out in a single buffer so the hot path copies a slice and never
/// formats text. With no tenant mix there is a single request whose Host is the target.
struct RequestTemplates {
    let bytes: [UInt8]
    let offsets: [Int]

    init(options: LoadOptions) {
        var bytes: [UInt8] = []
        var offsets: [Int] = [0]
        func add(host: String) {
            bytes.append(contentsOf: Array("GET \(options.path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: isoring-load\r\n\r\n".utf8))
            offsets.append(bytes.count)
        }
        if options.tenants <= 0 {
            add(host: "\(options.host):\(options.port)")
        } else {
            for k in 0..<options.tenants { add(host: "t\(k).localhost") }
        }
        self.bytes = bytes
        self.offsets = offsets
    }

    var count: Int { offsets.count - 1 }
    var largest: Int { zip(offsets.dropFirst(), offsets).map { $0 - $1 }.max() ?? 0 }

    func range(_ k: Int) -> Range<Int> { offsets[k]..<offsets[k + 1] }
}
