// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Writes regular files atomically: the content goes to a temporary file in the same directory,
/// which is then renamed over the destination, so a reader never sees a partial file and an
/// interrupted run leaves either the old file or the new one. The temporary file is removed on
/// every error path (a full disk leaves nothing behind). Commands reach it through
/// ``OutputTarget``, which decides when atomic replacement is the rule.
package enum AtomicFile {
  /// An output file that could not be written.
  package struct WriteError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, which decides the exit code (`Docs/cli.md`).
    package enum Kind: Sendable {
      /// The file or directory cannot be created or replaced (exit 73).
      case cannotCreate
      /// A write failed part-way: full disk, closed pipe, I/O error (exit 74).
      case io
      /// The output path is an input or another output of the same command (exit 64).
      case conflict
      /// Another live process holds the output directory's lock (exit 75).
      case busy
    }

    package let path: String
    package let reason: String
    package let kind: Kind
    package var description: String { "\(path): cannot write output: \(reason)" }

    /// Creates an error.
    package init(path: String, reason: String, kind: Kind = .cannotCreate) {
      self.path = path; self.reason = reason; self.kind = kind
    }
  }

  /// The prefix of the temporary files: `.NAME.tmp-PID-RANDOM` next to `NAME`.
  static let temporaryMarker = ".tmp-"

  /// Writes `contents` to `path` atomically.
  package static func write(_ contents: String, to path: String, durable: Bool = false) throws(WriteError) {
    var contents = contents
    var result: Result<Void, WriteError> = .success(())
    contents.withUTF8 { utf8 in
      result = Result { () throws(WriteError) in try write(bytes: UnsafeRawBufferPointer(utf8), to: path, durable: durable) }
    }
    try result.get()
  }

  /// Writes `data` to `path` atomically (temporary file + rename).
  package static func write(_ data: Data, to path: String, durable: Bool = false) throws(WriteError) {
    var result: Result<Void, WriteError> = .success(())
    data.withUnsafeBytes { raw in result = Result { () throws(WriteError) in try write(bytes: raw, to: path, durable: durable) } }
    try result.get()
  }

  /// Writes `bytes` to `path` atomically: a temporary file `.NAME.tmp-PID-N` in the same
  /// directory (created with `O_EXCL | O_NOFOLLOW`), the bytes, `close`, then `rename(2)` over
  /// `path`. A batch writes one result file per pair, so this makes only those system calls
  /// (no `stat` of the directory first: it is looked at only when the temporary file cannot be
  /// created, to say why).
  ///
  /// With `durable`, the file is `fsync`ed before the rename and its directory after it, so the
  /// new content survives a power loss once this returns (used for a batch's manifest at each
  /// checkpoint, which `--resume` trusts; result files are only renamed: one lost by a crash is
  /// recomputed, its hash no longer matching the manifest).
  package static func write(bytes: UnsafeRawBufferPointer, to path: String, durable: Bool = false) throws(WriteError) {
    // The directory and the name as `URL(fileURLWithPath:)` splits them; the fast split is
    // used for a plain path (no trailing slash, no `.` or `..` as its name).
    let (dir, name) = split(path)
    var fd: Int32 = -1
    var tmp = ""
    for _ in 0..<100 {  // a name taken by another file (O_EXCL) is skipped; bounded
      tmp = dir + "/." + name + temporaryMarker + processID + "-" + String(nextTemporaryNumber(), radix: 16)
      fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o666)
      if fd >= 0 || errno != EEXIST { break }
    }
    if fd < 0 {
      let reason = String(cString: strerror(errno))
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
        throw WriteError(path: path, reason: "directory \(URL(fileURLWithPath: dir).path) does not exist")
      }
      throw WriteError(path: path, reason: reason)
    }
    if let base = bytes.baseAddress {
      var p = base
      var left = bytes.count
      while left > 0 {
        let n = Foundation.write(fd, p, left)
        if n < 0 {
          if errno == EINTR { continue }
          let reason = String(cString: strerror(errno))
          close(fd)
          unlink(tmp)
          throw WriteError(path: path, reason: reason, kind: .io)
        }
        p += n
        left -= n
      }
    }
    if durable, fsync(fd) != 0 {
      let reason = String(cString: strerror(errno))
      close(fd)
      unlink(tmp)
      throw WriteError(path: path, reason: reason, kind: .io)
    }
    if close(fd) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(tmp)
      throw WriteError(path: path, reason: reason, kind: .io)
    }
    if rename(tmp, dir + "/" + name) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(tmp)
      throw WriteError(path: path, reason: reason)
    }
    if durable {
      let dirFD = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      if dirFD >= 0 {
        defer { close(dirFD) }
        if fsync(dirFD) != 0 { throw WriteError(path: path, reason: String(cString: strerror(errno)), kind: .io) }
      }
    }
  }

  /// The directory and the last component of `path`: split at the last slash for a plain path,
  /// else as `URL(fileURLWithPath:)` does (absolute, standardised).
  static func split(_ path: String) -> (directory: String, name: String) {
    let utf8 = path.utf8
    if let slash = utf8.lastIndex(of: UInt8(ascii: "/")), slash != utf8.startIndex {
      let name = String(path[path.index(after: slash)...])
      if !name.isEmpty, name != ".", name != ".." { return (String(path[..<slash]), name) }
    }
    let url = URL(fileURLWithPath: path)
    return (url.deletingLastPathComponent().path, url.lastPathComponent)
  }

  /// This process' id in temporary names (read once: orrmeta never forks without exec).
  private static let processID = String(getpid())

  /// A per-process sequence of temporary-file numbers, started at a random point.
  private static let temporaryNumbers = TemporaryNumbers()

  private static func nextTemporaryNumber() -> UInt64 { temporaryNumbers.next() }

  private final class TemporaryNumbers: @unchecked Sendable {
    private let lock = NSLock()
    private var value = UInt64.random(in: 0...UInt64.max)
    func next() -> UInt64 {
      lock.lock()
      defer { lock.unlock() }
      value &+= 1
      return value
    }
  }

  /// Whether a file name is one of this type's temporary files.
  static func isTemporary(_ name: String) -> Bool {
    name.hasPrefix(".") && name.contains(temporaryMarker)
  }

  /// Removes the temporary files left under `directory` (recursively) by a run that was killed
  /// or died; only call it while holding the directory's ``OutputDirectoryLock``.
  /// - Returns: how many were removed.
  @discardableResult
  package static func removeLeftovers(under directory: String) -> Int {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return 0 }
    var removed = 0
    while let relative = walker.nextObject() as? String {
      let name = (relative as NSString).lastPathComponent
      if isTemporary(name), unlink(directory + "/" + relative) == 0 { removed += 1 }
    }
    return removed
  }
}
