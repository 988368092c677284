// swift-tools-version: 6.0
// SSMKit: state space model numerics. One core (SSMKit), one C ABI (SSMKitC -> libssmkit.so).
import PackageDescription

/// The package root, so linker flags can name files in it whatever the working directory.
let root = String(#filePath.dropLast("/Package.swift".count))

let package = Package(
    name: "SSMKit",
    products: [
        // The Swift API.
        .library(name: "SSMKit", targets: ["SSMKit"]),
        // libssmkit.so: the C ABI of include/ssmkit.h (only ssm_* symbols are exported).
        .library(name: "ssmkit", type: .dynamic, targets: ["SSMKitC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // OpenBLAS (CBLAS) + LAPACKE from Debian's libopenblas-dev and liblapacke-dev.
        .systemLibrary(
            name: "CLAPACK", path: "Sources/CLAPACK", pkgConfig: "lapacke",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        // The hand-written C header, imported so @c @implementation checks every signature.
        .systemLibrary(name: "CSSMKit", path: "include"),
        // All the numerics, pure Swift API.
        .target(
            name: "SSMKit",
            dependencies: [
                "CLAPACK",
                .product(name: "ComplexModule", package: "swift-numerics"),
                .product(name: "RealModule", package: "swift-numerics"),
            ]),
        // The C layer: validates every argument and calls the core.
        .target(
            name: "SSMKitC",
            dependencies: [
                "SSMKit", "CSSMKit",
                .product(name: "ComplexModule", package: "swift-numerics"),
            ],
            exclude: ["ssmkit.map"],
            linkerSettings: [
                .unsafeFlags([
                    "-Xlinker", "--version-script=\(root)/Sources/SSMKitC/ssmkit.map",
                    "-Xlinker", "-soname=libssmkit.so.0",
                ])
            ]),
        // Embedded CPython (Debian's libpython3-dev) for cross-checks against numpy/scipy.
        .systemLibrary(
            name: "CPython", path: "Tests/CPython", pkgConfig: "python3-embed",
            providers: [.apt(["libpython3-dev"])]),
        // Reproducible random test data shared by both test targets.
        .target(
            name: "TestSupport",
            dependencies: ["SSMKit", .product(name: "RealModule", package: "swift-numerics")],
            path: "Tests/TestSupport"),
        .testTarget(
            name: "SSMKitTests",
            dependencies: [
                "SSMKit", "TestSupport",
                .product(name: "ComplexModule", package: "swift-numerics"),
            ]),
        .testTarget(
            name: "CrossCheckTests",
            dependencies: [
                "SSMKit", "CPython", "TestSupport",
                .product(name: "ComplexModule", package: "swift-numerics"),
                .product(name: "RealModule", package: "swift-numerics"),
            ]),
    ],
    swiftLanguageModes: [.v5]
)
