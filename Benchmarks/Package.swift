// swift-tools-version:6.1
// Isoring micro benchmarks on package-benchmark (ordo-one/benchmark): parser, response writer,
// JavaScript handler calls, isolate creation and an engine round trip on loopback. Kept apart
// from the root package (as swift-nio does) so the benchmark plugin and its malloc interposer
// never touch the server's own build.
import PackageDescription

let benchmarkPlugin: [Target.PluginUsage] = [.plugin(name: "BenchmarkPlugin", package: "benchmark")]

let package = Package(
    name: "IsoringBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Named, because a path dependency is otherwise known by its folder name (which varies by clone).
        .package(name: "Isoring", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "HTTP1Benchmarks",
            dependencies: [.product(name: "Benchmark", package: "benchmark"),
                           .product(name: "IsoringCore", package: "Isoring")],
            path: "Benchmarks/HTTP1Benchmarks",
            plugins: benchmarkPlugin),
        .executableTarget(
            name: "IsolateBenchmarks",
            dependencies: [.product(name: "Benchmark", package: "benchmark"),
                           .product(name: "IsoringCore", package: "Isoring")],
            path: "Benchmarks/IsolateBenchmarks",
            plugins: benchmarkPlugin),
        // Engines behind `any IOEngine`, so EngineBenchmarks never sees liburing's headers.
        .target(name: "BenchEngines", dependencies: [.product(name: "IsoringCore", package: "Isoring")]),
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [.product(name: "Benchmark", package: "benchmark"), "BenchEngines",
                           .product(name: "IsoringCore", package: "Isoring")],
            path: "Benchmarks/EngineBenchmarks",
            plugins: benchmarkPlugin),
    ],
    swiftLanguageModes: [.v5]
)
