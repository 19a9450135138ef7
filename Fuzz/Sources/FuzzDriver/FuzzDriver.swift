// FuzzDriver: hands a fuzz function to libFuzzer's driver from an ordinary main.
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's entry for programs that keep their own main (SwiftPM renames an executable's
/// main, so libFuzzer's own main cannot be the entry point).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// Runs libFuzzer with the process's arguments (corpus folders, -runs=, -max_total_time=, ...)
/// and exits with its status.
public func runFuzzer(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
}
