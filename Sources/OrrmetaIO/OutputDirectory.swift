// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#endif

/// Directories below an output directory (`batch`'s and `merge`'s `--out`), created so that
/// nothing is written outside it: one `mkdir(2)` per missing component, and an existing
/// component must be a real directory (`lstat(2)`), never a symbolic link, file or device,
/// which `FileManager.createDirectory` would follow or fail on without saying why.
package enum OutputDirectory {
  /// Creates `root/relative` component by component. `verified` holds directories already
  /// created or checked (by this caller), which are skipped; every component checked here is
  /// added to it, so a batch checks each directory once.
  /// - Throws: ``AtomicFile/WriteError`` (exit 73) when a component cannot be created, is not a
  ///   directory or is a symbolic link, or `relative` leads upwards (`..`).
  package static func make(_ relative: some StringProtocol, below root: String, verified: inout Set<String>) throws(AtomicFile.WriteError) {
    var path = root
    for component in relative.split(separator: "/") where component != "." {
      guard component != ".." else {
        throw AtomicFile.WriteError(path: root + "/" + relative, reason: "the path leads outside the output directory (..)")
      }
      path += "/" + component
      if verified.contains(path) { continue }
      if mkdir(path, 0o777) != 0 {
        let code = errno
        guard code == EEXIST else {
          throw AtomicFile.WriteError(path: path, reason: "cannot create the directory (\(String(cString: strerror(code))))")
        }
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
          throw AtomicFile.WriteError(path: path, reason: "exists and is not a directory (a symbolic link or a file); refusing to write through it")
        }
      }
      verified.insert(path)
    }
  }
}
