// swift-tools-version:6.1
// Fuzz: libFuzzer targets over the request parser, chunked decoding and the load generator's
// response parser. The sources are Isoring's own, by symlink (Sources/HTTP1 and
// Sources/LoadGenResponse), so nothing is copied. Build and run with Scripts/fuzz.
import PackageDescription

let package = Package(
    name: "IsoringFuzz",
    targets: [
        .target(name: "HTTP1"),
        .target(name: "LoadGenResponse"),
        .target(name: "FuzzDriver"),
        .target(name: "FuzzHarness", dependencies: ["HTTP1"]),
        .executableTarget(name: "FuzzRequestParser", dependencies: ["HTTP1", "FuzzHarness", "FuzzDriver"]),
        .executableTarget(name: "FuzzChunkedBody", dependencies: ["HTTP1", "FuzzHarness", "FuzzDriver"]),
        .executableTarget(name: "FuzzResponseParser", dependencies: ["LoadGenResponse", "FuzzDriver"]),
    ],
    swiftLanguageModes: [.v5]
)
