// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#endif

/// Turns the INPUT arguments of `orrmeta batch` into the sorted list of cohort files.
///
/// - A file is taken as it is, whatever its extension.
/// - A directory is searched recursively for files ending in `.csv` (any case); names starting
///   with a dot (hidden files and directories, and orrmeta's own temporary files) are skipped,
///   and so is the batch's output directory when it lies inside an input directory. A file
///   named inside the output directory is refused (it could be overwritten by a result).
/// - An argument with `*`, `?` or `[` that is not an existing path is a glob(3) pattern; each
///   match is treated as above.
///
/// Paths are kept as given, only cleaned lexically (`a//./b` is `a/b`; `..` is kept), so the
/// same arguments give the same paths on every machine of a cluster. Duplicates are removed;
/// the list is sorted by UTF-8 bytes.
package enum BatchInputs {
  /// Expands the arguments.
  /// - Parameter excluding: directories never searched (the output directory).
  /// - Throws: ``InputError/unreadable(file:reason:)`` for a path that does not exist or a
  ///   pattern that matches nothing (`orrmeta batch` exits with 66).
  package static func expand(_ arguments: [String], excluding: [String] = []) throws(InputError) -> [String] {
    let excluded = Set(excluding.compactMap(realPath))
    var found = Set<String>()
    for argument in arguments {
      if argument.isEmpty { throw .unreadable(file: "''", reason: "an empty path was given") }
      if !exists(argument), argument.contains(where: { "*?[".contains($0) }) {
        let matches = glob(argument)
        if matches.isEmpty { throw .unreadable(file: argument, reason: "the pattern matches no file") }
        for m in matches { try add(m, to: &found, excluded: excluded) }
      } else {
        try add(argument, to: &found, excluded: excluded)
      }
    }
    return found.sorted(by: utf8Less)
  }

  static func add(_ path: String, to found: inout Set<String>, excluded: Set<String>) throws(InputError) {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
      throw .unreadable(file: path, reason: "no such file or directory")
    }
    let cleaned = clean(path)
    if !isDir.boolValue {
      // A file named inside the output directory could be replaced by a result (or be one):
      // refused, so a batch never writes over its inputs.
      if !excluded.isEmpty, let real = realPath(path), excluded.contains(where: { real.hasPrefix($0 + "/") }) {
        throw .unreadable(file: path, reason: "it lies inside the output directory; batch does not read from where it writes (move the input or choose another --output)")
      }
      found.insert(cleaned)
      return
    }
    if let real = realPath(path), excluded.contains(real) { return }
    guard let walker = FileManager.default.enumerator(atPath: path) else {
      throw .unreadable(file: path, reason: "cannot list the directory")
    }
    while let relative = walker.nextObject() as? String {
      let name = (relative as NSString).lastPathComponent
      let full = cleaned == "." ? relative : cleaned + "/" + relative
      let type = walker.fileAttributes?[.type] as? FileAttributeType
      if type == .typeDirectory {
        if name.hasPrefix(".") { walker.skipDescendants(); continue }
        if !excluded.isEmpty, let real = realPath(full), excluded.contains(real) { walker.skipDescendants() }
        continue
      }
      guard !name.hasPrefix("."), name.lowercased().hasSuffix(".csv") else { continue }
      var sub: ObjCBool = false
      if FileManager.default.fileExists(atPath: full, isDirectory: &sub) {
        if !sub.boolValue { found.insert(clean(full)) }
      } else {
        // A dangling symbolic link: kept, so that it is an error row instead of being skipped
        // without a word.
        found.insert(clean(full))
      }
    }
  }

  /// Lexical cleanup: no empty or `.` components, no trailing slash; `..` is kept (resolving it
  /// would need the file system, and symbolic links make it ambiguous).
  package static func clean(_ path: String) -> String {
    let absolute = path.hasPrefix("/")
    let parts = path.split(separator: "/").filter { $0 != "." }
    let joined = parts.joined(separator: "/")
    if absolute { return "/" + joined }
    return joined.isEmpty ? "." : joined
  }

  static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

  package static func realPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
  }

  /// glob(3) with the system's rules (no brace expansion, no `**`); sorted matches.
  static func glob(_ pattern: String) -> [String] {
    var g = glob_t()
    defer { globfree(&g) }
    guard systemGlob(pattern, &g) == 0 else { return [] }
    var out: [String] = []
    for i in 0..<Int(g.gl_pathc) {
      if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
    }
    return out
  }
}

@inline(__always)
private func systemGlob(_ pattern: String, _ g: inout glob_t) -> Int32 {
  #if canImport(Darwin)
    return Darwin.glob(pattern, 0, nil, &g)
  #else
    return Glibc.glob(pattern, 0, nil, &g)
  #endif
}

/// Byte-wise (UTF-8) order: the same on every platform and locale.
@inline(__always)
package func utf8Less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
