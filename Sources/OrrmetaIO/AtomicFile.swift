// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Writes files atomically: the content goes to a temporary file in the same directory, which
/// is then renamed over the destination, so a reader never sees a partial file and an
/// interrupted run leaves either the old file or the new one.
public enum AtomicFile {
  /// An output file that could not be written.
  public struct WriteError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): cannot write output: \(reason)" }
  }

  /// Writes `contents` to `path` atomically.
  public static func write(_ contents: String, to path: String) throws(WriteError) {
    try write(Data(contents.utf8), to: path)
  }

  /// Writes `data` to `path` atomically (temporary file + rename).
  public static func write(_ data: Data, to path: String) throws(WriteError) {
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent()
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
      throw WriteError(path: path, reason: "directory \(dir.path) does not exist")
    }
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
    do {
      try data.write(to: tmp, options: [])
    } catch {
      throw WriteError(path: path, reason: "\(error.localizedDescription)")
    }
    if rename(tmp.path, url.path) != 0 {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: tmp)
      throw WriteError(path: path, reason: reason)
    }
  }
}
