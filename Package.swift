// swift-tools-version:6.1
// Isoring: one package, one executable (`isoring`). Each library target imports only the
// targets listed above it, so SwiftPM enforces the layering described in shared/DESIGN.md, and
// each declares exactly what it imports (Scripts/check-imports holds it to that).
import PackageDescription

/// swift-log: every target that writes log lines (levels, a tenant label; see Platform/LineLog.swift).
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")

let package = Package(
    name: "Isoring",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "isoring", targets: ["StudyCLI"]),
        // For Benchmarks/ (its own package): the libraries its micro benchmarks call.
        .library(name: "IsoringCore", targets: ["HTTP1", "IOCore", "Isolates", "EngineURing", "EngineEpoll", "Platform"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // crypto.subtle's algorithms (BoringSSL underneath; RSA, AES-CBC, PBKDF2 in _CryptoExtras).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C shims: module maps and a few one-line wrappers for what Swift cannot import.
        .target(name: "CLiburing", linkerSettings: [.linkedLibrary("uring")]),
        .systemLibrary(name: "CJavaScriptCore", pkgConfig: "javascriptcoregtk-4.1",
                       providers: [.apt(["libjavascriptcoregtk-4.1-dev"])]),
        .target(name: "CLinux"),
        // The one clock, thread starter and errno naming every Swift target shares.
        .target(name: "Platform", dependencies: ["CLinux", logging]),

        // I/O core and the three engines behind its completion-shaped protocol.
        .target(name: "IOCore", dependencies: ["CLinux"]),
        .target(name: "EngineURing", dependencies: ["IOCore", "CLiburing", "CLinux"]),
        .target(name: "EngineEpoll", dependencies: ["IOCore", "CLinux", "Platform"]),
        .target(name: "EngineBlocking", dependencies: ["IOCore", "CLinux", "Platform"]),

        // HTTP/1.1 over bytes; tenant names and routing; what answers a request (now or later).
        .target(name: "HTTP1"),
        .target(name: "Tenants", dependencies: ["HTTP1"]),
        .target(name: "Responding", dependencies: ["HTTP1"]),

        // JavaScript glue and isolates. The preludes and demo tenants are .js files compiled
        // into the binary (`.embedInCode`), so the executable stays one file and
        // `/proc/self/exe` workers carry them.
        .target(name: "JSCGlue", dependencies: ["CJavaScriptCore"]),
        .target(name: "Isolates", dependencies: ["JSCGlue", "HTTP1", "Tenants", "Responding", "Platform", logging,
                                                 .product(name: "Crypto", package: "swift-crypto"),
                                                 .product(name: "_CryptoExtras", package: "swift-crypto")],
                resources: [
                    .embedInCode("Prelude/workers-prelude.js"), .embedInCode("Prelude/url-prelude.js"), .embedInCode("Prelude/clock.js"),
                    .embedInCode("DemoTenants/hello.js"), .embedInCode("DemoTenants/echo.js"),
                    .embedInCode("DemoTenants/json.js"), .embedInCode("DemoTenants/stream.js"),
                    .embedInCode("Prelude/Extensions/ext-events.js"), .embedInCode("Prelude/Extensions/ext-forms.js"),
                    .embedInCode("Prelude/Extensions/ext-buffer.js"), .embedInCode("Prelude/Extensions/ext-platform.js"),
                    .embedInCode("Prelude/Extensions/ext-subtle.js"), .embedInCode("Prelude/Extensions/ext-subtle-keys.js"),
                    .embedInCode("Prelude/Extensions/ext-urlpattern.js"), .embedInCode("Prelude/Extensions/ext-urlpattern-parser.js"),
                    .embedInCode("Prelude/Extensions/ext-fetch.js"), .embedInCode("Prelude/Extensions/ext-streams.js"),
                    .embedInCode("Prelude/Extensions/ext-basics.js"),
                ]),

        // Measurement, the event core, and the CLI that wires them.
        .target(name: "Measurement", dependencies: ["IOCore", "CLinux", "Platform",
                                                    .product(name: "Histogram", package: "hdrhistogram-swift")]),
        .target(name: "EventCore", dependencies: ["IOCore", "CLinux", "HTTP1", "Responding", "Platform", logging],
                exclude: ["README.md"]),
        // Process model: worker processes, hand-over over Unix sockets, routing by tenant name.
        .target(name: "Supervisor", dependencies: ["CLinux", "HTTP1", "Tenants", "Measurement", "EventCore", "Platform", logging]),
        // The load generator: an HTTP/1.1 client on the same engines (open and closed loop).
        .target(name: "LoadGen", dependencies: ["IOCore", "Measurement", "Platform"]),
        .executableTarget(name: "StudyCLI", dependencies: [
            "IOCore", "HTTP1", "EngineURing", "EngineEpoll", "EngineBlocking", "EventCore", "Isolates", "Measurement",
            "Supervisor", "LoadGen", "Tenants", "JSCGlue", "CLinux", "Platform", "Responding", logging,
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [
            // Exports CLinux's clock_gettime so shared libraries (JavaScriptCore) bind to it:
            // see Sources/CLinux/thread_clock.c and Kernel-notes/javascriptcore.md.
            .unsafeFlags(["-Xlinker", "--export-dynamic-symbol=clock_gettime"]),
        ]),
        .target(name: "TestSupport", dependencies: ["IOCore", "CLinux", "Platform"]),

        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1"]),
        .testTarget(name: "TenantsTests", dependencies: ["Tenants", "HTTP1"]),
        .testTarget(name: "EventCoreTests", dependencies: ["EventCore", "Responding", "HTTP1", "IOCore", "TestSupport", "Platform", logging]),
        .testTarget(name: "IsolatesTests", dependencies: ["Isolates", "Tenants", "HTTP1", "JSCGlue", "CJavaScriptCore", "Platform", logging],
                    exclude: ["JavaScript", "WPT"]),   // read at run time through #filePath
        .testTarget(name: "EngineTests", dependencies: ["IOCore", "EngineURing", "EngineEpoll", "EngineBlocking", "TestSupport"]),
        .testTarget(name: "MeasurementTests", dependencies: ["Measurement", "IOCore", "CLinux"]),
        .testTarget(name: "EndToEndTests", dependencies: ["IOCore", "TestSupport"], exclude: ["Workers"]),
        .testTarget(name: "SupervisorTests", dependencies: ["Supervisor"]),
        .testTarget(name: "LoadGenTests", dependencies: ["LoadGen", "Measurement", "IOCore", "EngineEpoll", "EngineURing", "TestSupport"]),
    ],
    // Swift 5 mode: the server shares state between its own pthreads (loops, the blocking pool)
    // under its own locks, which the Swift 6 checker cannot follow without unsafe wrappers.
    swiftLanguageModes: [.v5]
)

// The request path runs without Swift's dynamic exclusivity checks in release builds: they were
// 6% of a request's user-space instructions (swift_beginAccess and AccessSet::insert, 3,354 of
// 55,005 per request under Scripts/callgrind-requests). Debug builds, which every test runs,
// keep the checks, so an overlapping access on a tested path still traps there.
let requestPathTargets: Set<String> = ["IOCore", "EngineURing", "EngineEpoll", "EngineBlocking", "HTTP1", "Tenants",
                                       "Responding", "JSCGlue", "Isolates", "EventCore"]
for target in package.targets where requestPathTargets.contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? [])
        + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}
