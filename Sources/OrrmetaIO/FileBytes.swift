// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Reads a small file into one byte array with `open`, `fstat` and `read` (a batch reads
/// thousands of cohort files of a few kilobytes: `Data(contentsOf:)` maps or copies them through
/// more system calls and allocations, and the bytes are then copied again to be parsed).
package enum FileBytes {
  /// The bytes of the file at `path`, or nil when it cannot be opened or read (the caller says
  /// why: a directory, a dangling link, no such file, …).
  package static func read(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_mode & S_IFMT != S_IFDIR else { return nil }
    var bytes = [UInt8](repeating: 0, count: max(Int(st.st_size), 0) + 1)
    var count = 0
    // Until end of file; a file that grows while it is read grows the buffer (bounded by the
    // memory it takes, as `Data(contentsOf:)` is).
    while true {
      if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
      let n = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + count, $0.count - count) }
      if n < 0 {
        if errno == EINTR { continue }
        return nil
      }
      if n == 0 { break }
      count += n
    }
    bytes.removeLast(bytes.count - count)
    return bytes
  }
}
