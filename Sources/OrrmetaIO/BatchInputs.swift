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
    try walk(path, prefix: cleaned == "." ? "" : cleaned + "/", excluded: excluded, into: &found)
  }

  /// Adds the `.csv` files below the directory `path` (`prefix`: its cleaned path with a
  /// trailing slash, or "" for "."). Hidden entries and excluded directories are skipped;
  /// symbolic links are not followed into directories, and a link named `.csv` is kept unless
  /// it points to a directory (a dangling one too: it becomes an error row, not a silent skip).
  ///
  /// Hand-written on opendir(3)/readdir(3) rather than `FileManager.enumerator(atPath:)`, which
  /// on Linux reads every entry's attributes, its owner's and group's names included: /etc/passwd
  /// and /etc/group were opened and read once per input file (16 system calls a file) on the
  /// one thread that lists the inputs before any worker starts. readdir's entry type needs no
  /// system call for regular files and directories.
  static func walk(_ path: String, prefix: String, excluded: Set<String>, into found: inout Set<String>) throws(InputError) {
    // Directories still to list: their path to open and their cleaned prefix. Bounded: links
    // are not followed, and nesting deeper than `maximumDepth` is refused.
    var pending = [(path: path, prefix: prefix, depth: 0)]
    while let directory = pending.popLast() {
      guard let stream = opendir(directory.path) else {
        throw .unreadable(file: directory.path, reason: "cannot list the directory (\(String(cString: strerror(errno))))")
      }
      defer { closedir(stream) }
      while true {
        errno = 0
        guard let entry = readdir(stream) else {
          if errno != 0 {
            throw .unreadable(file: directory.path, reason: "cannot list the directory (\(String(cString: strerror(errno))))")
          }
          break
        }
        let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
          tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) { String(cString: $0) }
        }
        if name.utf8.first == UInt8(ascii: ".") { continue }  // hidden, ".", ".."
        let full = directory.path + "/" + name
        var type = Int32(entry.pointee.d_type)
        if type == Int32(DT_UNKNOWN) {
          var info = stat()
          guard lstat(full, &info) == 0 else { continue }  // removed since it was listed
          type = info.st_mode & S_IFMT == S_IFDIR ? Int32(DT_DIR) : info.st_mode & S_IFMT == S_IFLNK ? Int32(DT_LNK) : Int32(DT_REG)
        }
        if type == Int32(DT_DIR) {
          if !excluded.isEmpty, let real = realPath(full), excluded.contains(real) { continue }
          guard directory.depth < maximumDepth else {
            throw .unreadable(file: full, reason: "directories nested deeper than \(maximumDepth) levels")
          }
          pending.append((full, directory.prefix + name + "/", directory.depth + 1))
          continue
        }
        guard hasCSVExtension(name) else { continue }
        if type == Int32(DT_LNK) {
          var target = stat()
          if stat(full, &target) == 0, target.st_mode & S_IFMT == S_IFDIR { continue }
        }
        found.insert(directory.prefix + name)
      }
    }
  }

  /// The deepest directory nesting searched.
  package static let maximumDepth = 256

  /// Whether a file name ends in `.csv`, in any case (ASCII: no other characters fold to these).
  package static func hasCSVExtension(_ name: String) -> Bool {
    let tail = Array(name.utf8.suffix(4))
    guard tail.count == 4, tail[0] == UInt8(ascii: ".") else { return false }
    return tail[1] | 0x20 == UInt8(ascii: "c") && tail[2] | 0x20 == UInt8(ascii: "s") && tail[3] | 0x20 == UInt8(ascii: "v")
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
///
/// `memcmp` on the strings' contiguous UTF-8 (every native string has it): the generic
/// `lexicographicallyPrecedes` over two `UTF8View`s took 0.7 % of a batch's instructions
/// sorting its records by path.
package func utf8Less(_ a: String, _ b: String) -> Bool {
  let fast = a.utf8.withContiguousStorageIfAvailable { x in
    b.utf8.withContiguousStorageIfAvailable { y -> Bool in
      let common = min(x.count, y.count)
      let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
      return order != 0 ? order < 0 : x.count < y.count
    }
  }
  return (fast ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
}
