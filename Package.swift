// swift-tools-version:6.1
// Isoring: one package, one executable (`isoring`). Each library target imports only the
// targets listed above it, so SwiftPM enforces the layering described in shared/DESIGN.md.
import PackageDescription

let package = Package(
    name: "Isoring",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "isoring", targets: ["StudyCLI"]),
        // For Benchmarks/ (its own package): the libraries its micro benchmarks call.
        .library(name: "IsoringCore", targets: ["HTTP1", "IOCore", "Isolates", "EngineURing", "EngineEpoll"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // C shims: module maps and a few one-line wrappers for what Swift cannot import.
        .target(name: "CLiburing", linkerSettings: [.linkedLibrary("uring")]),
        .systemLibrary(name: "CJavaScriptCore", pkgConfig: "javascriptcoregtk-4.1",
                       providers: [.apt(["libjavascriptcoregtk-4.1-dev"])]),
        .target(name: "CLinux"),

        // I/O core and the three engines behind its completion-shaped protocol.
        .target(name: "IOCore", dependencies: ["CLinux"]),
        .target(name: "EngineURing", dependencies: ["IOCore", "CLiburing", "CLinux"]),
        .target(name: "EngineEpoll", dependencies: ["IOCore", "CLinux"]),
        .target(name: "EngineBlocking", dependencies: ["IOCore", "CLinux"]),

        // HTTP/1.1 over bytes; JavaScript glue and isolates.
        .target(name: "HTTP1"),
        .target(name: "JSCGlue", dependencies: ["CJavaScriptCore"]),
        // What answers a framed request, now or later: the contract between the loop and Isolates.
        .target(name: "Responding", dependencies: ["HTTP1"]),
        // The preludes and demo tenants are .js files compiled into the binary (`.embedInCode`),
        // so the executable stays one file and `/proc/self/exe` workers carry them.
        .target(name: "Isolates", dependencies: ["JSCGlue", "HTTP1", "Responding"],
                resources: [
                    .embedInCode("Prelude/workers-prelude.js"), .embedInCode("Prelude/url-prelude.js"),
                    .embedInCode("DemoTenants/hello.js"), .embedInCode("DemoTenants/echo.js"),
                    .embedInCode("DemoTenants/json.js"),
                    .embedInCode("Prelude/Extensions/ext-events.js"), .embedInCode("Prelude/Extensions/ext-forms.js"),
                    .embedInCode("Prelude/Extensions/ext-buffer.js"), .embedInCode("Prelude/Extensions/ext-platform.js"),
                    .embedInCode("Prelude/Extensions/ext-fetch.js"), .embedInCode("Prelude/Extensions/ext-streams.js"),
                ]),

        // Measurement, the event core, and the CLI that wires them.
        .target(name: "Measurement", dependencies: ["IOCore", "CLinux",
                                                    .product(name: "Histogram", package: "hdrhistogram-swift")]),
        .target(name: "EventCore", dependencies: ["IOCore", "CLinux", "HTTP1", "Responding"]),
        // Process model: worker processes, hand-over over Unix sockets (Isolates for routing only).
        .target(name: "Supervisor", dependencies: ["IOCore", "CLinux", "HTTP1", "Isolates", "Measurement", "EventCore"]),
        // The load generator: an HTTP/1.1 client on the same engines (open and closed loop).
        .target(name: "LoadGen", dependencies: ["IOCore", "HTTP1", "Measurement"]),
        .executableTarget(name: "StudyCLI", dependencies: [
            "IOCore", "HTTP1", "EngineURing", "EngineEpoll", "EngineBlocking", "EventCore", "Isolates", "Measurement",
            "Supervisor", "LoadGen",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [
            // Exports CLinux's clock_gettime so shared libraries (JavaScriptCore) bind to it:
            // see Sources/CLinux/thread_clock.c and Kernel-notes/javascriptcore.md.
            .unsafeFlags(["-Xlinker", "--export-dynamic-symbol=clock_gettime"]),
        ]),
        .target(name: "TestSupport", dependencies: ["IOCore", "CLinux"]),

        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1"]),
        .testTarget(name: "EventCoreTests", dependencies: ["EventCore", "Responding", "HTTP1", "IOCore", "TestSupport"]),
        .testTarget(name: "IsolatesTests", dependencies: ["Isolates", "TestSupport", "CJavaScriptCore"]),
        .testTarget(name: "EngineTests", dependencies: ["IOCore", "EngineURing", "EngineEpoll", "EngineBlocking", "TestSupport"]),
        .testTarget(name: "MeasurementTests", dependencies: ["Measurement", "TestSupport", "CLinux"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
        .testTarget(name: "SupervisorTests", dependencies: ["Supervisor", "EventCore", "HTTP1", "Isolates", "CLinux"]),
        .testTarget(name: "LoadGenTests", dependencies: ["LoadGen", "Measurement", "IOCore", "EngineEpoll", "EngineURing", "TestSupport"]),
    ],
    // Swift 5 mode: the server shares state between its own pthreads (loops, the blocking pool)
    // under its own locks, which the Swift 6 checker cannot follow without unsafe wrappers.
    swiftLanguageModes: [.v5]
)
