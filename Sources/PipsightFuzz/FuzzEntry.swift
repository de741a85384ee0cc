#if FUZZING
import Foundation

/// The target of this fuzzing process, from `PIPSIGHT_FUZZ_TARGET` (read once).
private let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["PIPSIGHT_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        fatalError("set PIPSIGHT_FUZZ_TARGET to one of: \(names)")
    }
    return target
}()

/// libFuzzer's entry point: one input, through the selected target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    selectedTarget.run(data)
    return 0
}

/// libFuzzer's driver (part of the `-sanitize=fuzzer` runtime): parses the libFuzzer flags and runs the loop.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The executable's entry point under `-D FUZZING`. SwiftPM links an executable target with `main` aliased
/// to `<Module>_main`, which shadows libFuzzer's own `main`; this one hands over to libFuzzer's driver.
@_cdecl("PipsightFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return runFuzzerDriver(&count, &vector) { bytes, size in fuzzOneInput(bytes, size) }
}
#endif
