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
    return readAll(fd, size: Int(st.st_size))
  }

  /// The bytes of the regular file at `path` (a symbolic link is followed): anything else —
  /// a FIFO, a device, a socket, a directory — is refused from `stat` before it is opened, so
  /// reading never blocks on a FIFO without a writer nor touches a device; the file is then
  /// opened with `O_NONBLOCK` and checked again with `fstat` (it may have been replaced in
  /// between). `orrmeta merge` reads its shards' and parts' files with it.
  /// - Parameter missing: the reason given when there is no such file.
  /// - Throws: ``InputError/unreadable(file:reason:)`` naming what the path is instead.
  package static func readRegularFile(_ path: String, missing: String = "no such file") throws(InputError) -> [UInt8] {
    var st = stat()
    guard stat(path, &st) == 0 else {
      throw .unreadable(file: path, reason: errno == ENOENT || errno == ENOTDIR ? missing : "permission denied or I/O error")
    }
    if let kind = notRegular(st.st_mode) { throw .unreadable(file: path, reason: kind) }
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
    guard fd >= 0 else { throw .unreadable(file: path, reason: "permission denied or I/O error") }
    defer { close(fd) }
    guard fstat(fd, &st) == 0 else { throw .unreadable(file: path, reason: "permission denied or I/O error") }
    if let kind = notRegular(st.st_mode) { throw .unreadable(file: path, reason: kind) }
    guard let bytes = readAll(fd, size: Int(st.st_size)) else { throw .unreadable(file: path, reason: "a read error, or the file grew past 4 GiB while it was read") }
    return bytes
  }

  /// What a file of mode `mode` is when it is not a regular file, for a message; nil for one.
  static func notRegular(_ mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: return "it is a directory, not a regular file"
    case S_IFIFO: return "it is a FIFO (named pipe), not a regular file; refusing to read it"
    case S_IFCHR, S_IFBLK: return "it is a device, not a regular file; refusing to read it"
    case S_IFSOCK: return "it is a socket, not a regular file; refusing to read it"
    default: return "it is not a regular file; refusing to read it"
    }
  }

  /// The most bytes ``readAll(_:size:)`` reads (4 GiB): a file that keeps growing while it is
  /// read (or an endless pipe) ends the read with an error instead of exhausting memory.
  static let maximumBytes = 1 << 32

  /// Everything left to read from `fd` (`size`: the expected size, from `fstat`); nil on a read
  /// error or beyond ``maximumBytes``.
  static func readAll(_ fd: Int32, size: Int) -> [UInt8]? {
    var bytes = [UInt8](repeating: 0, count: min(max(size, 0), maximumBytes) + 1)
    var count = 0
    // Until end of file; a file that grows while it is read grows the buffer, up to
    // `maximumBytes`. Each pass reads at least one byte or ends, except an interrupted read,
    // retried at most `maximumInterruptions` times in a row.
    let maximumInterruptions = 1_000
    var interruptions = 0
    while count <= maximumBytes {
      if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
      let n = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + count, $0.count - count) }
      if n < 0 {
        interruptions += 1
        if errno == EINTR, interruptions < maximumInterruptions { continue }
        return nil
      }
      interruptions = 0
      if n == 0 { break }
      count += n
    }
    guard count <= maximumBytes else { return nil }
    bytes.removeLast(bytes.count - count)
    return bytes
  }
}
