// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// An exclusive lock on a batch output directory, so that two runs (`batch`, `merge`) never
/// write into one directory at once: the file `DIR/.orrmeta.lock` holds the holder's pid, and
/// an `flock(2)` on it is the lock itself. The kernel drops an `flock` when its process dies,
/// so a lock file left by a killed run (its pid no longer alive) is stale and taken over
/// without a word; a live holder makes the second run fail at once (exit 75, Docs/cli.md).
package final class OutputDirectoryLock {
  /// The lock file's name inside the directory.
  package static let fileName = ".orrmeta.lock"

  private let path: String
  private var fd: Int32

  /// Takes the lock on `directory` (which must exist).
  /// - Throws: ``AtomicFile/WriteError`` of kind `busy` when another live process holds it,
  ///   `cannotCreate` when the lock file cannot be made.
  package init(directory: String) throws(AtomicFile.WriteError) {
    path = directory + "/" + Self.fileName
    // Bounded: a retry is needed only when the holder removed the file between our open and
    // our flock (then we locked a file no longer in the directory).
    for _ in 0..<100 {
      let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
      if fd < 0 { throw AtomicFile.WriteError(path: path, reason: "cannot create the lock file (\(String(cString: strerror(errno))))") }
      if flock(fd, LOCK_EX | LOCK_NB) != 0 {
        let code = errno
        let holder = Self.pid(in: fd)
        close(fd)
        if code == EWOULDBLOCK {
          throw AtomicFile.WriteError(
            path: directory,
            reason: "the output directory is in use by another orrmeta run\(holder.map { " (pid \($0))" } ?? ""); wait for it to finish or choose another --out",
            kind: .busy)
        }
        throw AtomicFile.WriteError(path: path, reason: "cannot lock (\(String(cString: strerror(code))))")
      }
      var held = stat()
      var named = stat()
      guard fstat(fd, &held) == 0, stat(path, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev else {
        close(fd)
        continue
      }
      let text = "\(getpid())\n"
      _ = ftruncate(fd, 0)
      _ = pwrite(fd, text, text.utf8.count, 0)
      self.fd = fd
      return
    }
    throw AtomicFile.WriteError(path: path, reason: "cannot lock (the lock file keeps changing)", kind: .busy)
  }

  /// The pid written in a lock file, if any.
  static func pid(in fd: Int32) -> Int32? {
    var buffer = [UInt8](repeating: 0, count: 32)
    let n = pread(fd, &buffer, buffer.count, 0)
    guard n > 0 else { return nil }
    return Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
  }

  /// Releases the lock and removes the lock file.
  package func release() {
    guard fd >= 0 else { return }
    unlink(path)
    close(fd)
    fd = -1
  }

  deinit { release() }
}
