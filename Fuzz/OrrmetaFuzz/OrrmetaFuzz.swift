// SPDX-License-Identifier: GPL-3.0-or-later
//
// libFuzzer target: bytes → CSVTable.parse → CohortFile.load → ProportionMetaAnalysis.analyze
// (every measure × every method) → every report format, with the invariants of FuzzOracle
// (Tests/_FuzzOracle). Built and run by scripts/fuzz.sh (see Docs/robustness.md); never by
// `swift build`. A crash is any trap (Swift runtime error, AddressSanitizer report) or a broken
// invariant, which aborts with its description.

import Foundation
import _FuzzOracle

/// The libFuzzer entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func orrmetaFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = size == 0 || data == nil ? Data() : Data(bytes: data!, count: size)
  let broken = FuzzOracle.violations(for: bytes)
  if !broken.isEmpty {
    FileHandle.standardError.write(Data("orrmeta-fuzz: invariant broken: \(broken.joined(separator: "\n  "))\n".utf8))
    abort()
  }
  return 0
}

// SwiftPM links an executable target with `--defsym main=<module>_main`, which hides
// libFuzzer's own `main`; so this target's `main` hands control to libFuzzer's driver
// (`LLVMFuzzerRunDriver`, part of libFuzzer since LLVM 11).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("orrmeta_fuzz_main")
public func orrmetaFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv) { data, size in orrmetaFuzzOneInput(data, size) }
}
