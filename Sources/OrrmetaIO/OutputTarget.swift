// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Where one output of a command goes, and the one rule for writing it (Docs/robustness.md):
///
/// - `-` (and `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`): the process's own
///   file descriptor, written directly;
/// - an existing character device or FIFO (also behind a symbolic link): written through, never
///   replaced. A FIFO without a reader for 10 s is an error rather than a hang;
/// - anything else (a new path, a regular file, a symbolic link to one): replaced atomically by
///   ``AtomicFile`` (temporary file in the same directory, then rename; removed on every error);
/// - a path that is one of the command's inputs or another of its outputs (same file, or the same
///   resolved path when it does not exist yet) is refused before anything is written.
///
/// Written by hand on POSIX calls: `FileHandle.write(_:)` traps on a write error (EPIPE, ENOSPC),
/// and Foundation has no way to write through a FIFO without creating or replacing it.
package struct OutputTarget: Sendable, Equatable {
  /// How the target is written.
  package enum Destination: Sendable, Equatable {
    /// An open file descriptor of the process (standard output: 1).
    case descriptor(Int32)
    /// An existing character device or FIFO, opened and written through.
    case stream(String)
    /// A regular file (or a new path), replaced atomically.
    case file(String)
  }

  /// The path as given (`-` for standard output).
  package let path: String
  /// How it is written.
  package let destination: Destination

  /// Standard output.
  package static let standardOutput = OutputTarget(path: "-", destination: .descriptor(STDOUT_FILENO))

  init(path: String, destination: Destination) {
    self.path = path; self.destination = destination
  }

  /// Resolves the outputs of one command, checking them against its inputs and each other.
  /// - Parameters:
  ///   - paths: the output paths, each with the flag that gave it (for messages); nil paths are
  ///     skipped (the result keeps their position as nil).
  ///   - inputs: the input files of the command.
  /// - Throws: ``AtomicFile/WriteError`` of kind `conflict` when an output is an input or two
  ///   outputs are the same file.
  package static func resolve(
    _ paths: [(flag: String, path: String?)], inputs: [String]
  ) throws(AtomicFile.WriteError) -> [OutputTarget?] {
    var seen: [(flag: String, identity: FileIdentity)] = []
    let inputIDs = inputs.compactMap { i in FileIdentity(path: i).map { (i, $0) } }
    var out: [OutputTarget?] = []
    for (flag, path) in paths {
      guard let path else { out.append(nil); continue }
      let target = resolve(path)
      if case .descriptor = target.destination { out.append(target); continue }
      if let id = FileIdentity(path: path) {
        if let (input, _) = inputIDs.first(where: { $0.1 == id }) {
          throw AtomicFile.WriteError(
            path: path, reason: "\(flag) is the input file \(input); refusing to overwrite an input (choose another path)", kind: .conflict)
        }
        if let other = seen.first(where: { $0.identity == id }) {
          throw AtomicFile.WriteError(
            path: path, reason: "\(flag) and \(other.flag) name the same file; give each output its own path", kind: .conflict)
        }
        seen.append((flag, id))
      }
      out.append(target)
    }
    return out
  }

  /// Resolves one path without checking it against anything.
  package static func resolve(_ path: String) -> OutputTarget {
    if path == "-" || path == "/dev/stdout" || path == "/proc/self/fd/1" || path == "/dev/fd/1" { return .standardOutput }
    if path == "/dev/stderr" { return OutputTarget(path: path, destination: .descriptor(STDERR_FILENO)) }
    for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
      if let fd = Int32(path.dropFirst(prefix.count)), fd >= 0 { return OutputTarget(path: path, destination: .descriptor(fd)) }
    }
    var st = stat()
    if stat(path, &st) == 0 {
      let type = st.st_mode & S_IFMT
      if type == S_IFCHR || type == S_IFIFO { return OutputTarget(path: path, destination: .stream(path)) }
    }
    return OutputTarget(path: path, destination: .file(path))
  }

  /// Writes `text` (UTF-8). Copied from its UTF-8 storage: `Data(text.utf8)` (the generic
  /// sequence initialiser) first tries a dynamic cast, whose first use scans the binary's
  /// conformance records (Docs/performance.md, "Start-up").
  package func write(_ text: String) throws(AtomicFile.WriteError) {
    var text = text
    try write(text.withUTF8 { Data(buffer: $0) })
  }

  /// Writes `data` to the target, by its rule.
  package func write(_ data: Data) throws(AtomicFile.WriteError) {
    switch destination {
    case let .descriptor(fd):
      try Self.writeAll(data, to: fd, path: fd == STDOUT_FILENO ? "standard output" : path)
    case let .stream(p):
      // Non-blocking open: a FIFO nobody reads is ENXIO instead of a hang; its reader may
      // start after orrmeta, so it is waited for, for at most 10 s (bounded, polled).
      var fd: Int32 = -1
      var code: Int32 = 0
      for _ in 0..<1000 {
        fd = open(p, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK)
        code = errno
        if fd >= 0 || code != ENXIO { break }
        usleep(10_000)
      }
      if fd < 0 {
        let reason = code == ENXIO ? "no process opened this FIFO for reading within 10 s" : String(cString: strerror(code))
        throw AtomicFile.WriteError(path: p, reason: reason, kind: .cannotCreate)
      }
      defer { close(fd) }
      let flags = fcntl(fd, F_GETFL)
      if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
      try Self.writeAll(data, to: fd, path: p)
    case let .file(p):
      try AtomicFile.write(data, to: p)
    }
  }

  /// Writes every byte of `data` to `fd` (retrying short writes and EINTR).
  static func writeAll(_ data: Data, to fd: Int32, path: String) throws(AtomicFile.WriteError) {
    var failure: Int32 = 0
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
      guard var p = raw.baseAddress else { return }
      var left = raw.count
      while left > 0 {
        let n = Foundation.write(fd, p, left)
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        p += n
        left -= n
      }
    }
    if failure != 0 {
      throw AtomicFile.WriteError(path: path, reason: String(cString: strerror(failure)), kind: .io)
    }
  }
}

/// What makes two paths the same file: device and inode when it exists, else the resolved
/// absolute path (a new file named twice).
struct FileIdentity: Equatable {
  let device: UInt64
  let inode: UInt64
  let path: String?

  init?(path: String) {
    var st = stat()
    if stat(path, &st) == 0 {
      device = UInt64(st.st_dev)
      inode = UInt64(st.st_ino)
      self.path = nil
      return
    }
    let url = URL(fileURLWithPath: path)
    let parent = url.deletingLastPathComponent().path
    guard let real = BatchInputs.realPath(parent) else { return nil }
    device = 0
    inode = 0
    self.path = real + "/" + url.lastPathComponent
  }
}

/// Writes to standard error, ignoring failures (a message that cannot be shown must not crash
/// the process or hide its exit code).
package enum StandardError {
  /// Writes `text` as it is.
  package static func write(_ text: String) {
    try? OutputTarget.writeAll(Data(text.utf8), to: STDERR_FILENO, path: "standard error")
  }
}
