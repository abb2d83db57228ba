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
    try write(Data(contents.utf8), to: path, durable: durable)
  }

  /// Writes `data` to `path` atomically (temporary file + rename).
  ///
  /// With `durable`, the file is `fsync`ed before the rename and its directory after it, so the
  /// new content survives a power loss once this returns (used for a batch's manifest at each
  /// checkpoint, which `--resume` trusts; result files are only renamed: one lost by a crash is
  /// recomputed, its hash no longer matching the manifest).
  package static func write(_ data: Data, to path: String, durable: Bool = false) throws(WriteError) {
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent()
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
      throw WriteError(path: path, reason: "directory \(dir.path) does not exist")
    }
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent)\(temporaryMarker)\(getpid())-\(UInt64.random(in: 0...UInt64.max))").path
    let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o666)
    if fd < 0 { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
    do throws(WriteError) {
      try OutputTarget.writeAll(data, to: fd, path: path)
    } catch {
      close(fd)
      unlink(tmp)
      throw error
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
    if rename(tmp, url.path) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(tmp)
      throw WriteError(path: path, reason: reason)
    }
    if durable {
      let dirFD = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      if dirFD >= 0 {
        defer { close(dirFD) }
        if fsync(dirFD) != 0 { throw WriteError(path: path, reason: String(cString: strerror(errno)), kind: .io) }
      }
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
