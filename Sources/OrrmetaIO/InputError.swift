// SPDX-License-Identifier: GPL-3.0-or-later

/// An error in an input file. Every case names the file and, where there is one, the line, the
/// column and the value, and says what was expected.
package enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file cannot be opened or read.
  case unreadable(file: String, reason: String)
  /// The file's bytes are not a CSV table (empty, binary, invalid UTF-8, unterminated quote…).
  case malformed(file: String, line: Int?, reason: String)
  /// The header is unusable (missing, duplicate or ambiguous columns).
  case header(file: String, reason: String)
  /// A cell holds a value that is not what its column needs.
  case cell(file: String, line: Int, column: String, value: String, expected: String)
  /// A row does not have as many fields as the header.
  case ragged(file: String, line: Int, fields: Int, expected: Int)
  /// A row's values contradict each other (e.g. events > n).
  case row(file: String, line: Int, reason: String)

  /// The file the error is about.
  package var file: String {
    switch self {
    case let .unreadable(f, _), let .malformed(f, _, _), let .header(f, _), let .cell(f, _, _, _, _),
      let .ragged(f, _, _, _), let .row(f, _, _):
      return f
    }
  }

  /// The 1-based line, when the error has one (the header is line 1).
  package var line: Int? {
    switch self {
    case let .malformed(_, l, _): return l
    case .header: return 1
    case let .cell(_, l, _, _, _), let .ragged(_, l, _, _), let .row(_, l, _): return l
    default: return nil
    }
  }

  /// The column name, when the error has one: the cell's column, or the column a header or row
  /// message names (`column 'n'`, `column name 'n'`, `no column named 'size'`, the first of
  /// `both 'events' and 'responders'`).
  package var column: String? {
    switch self {
    case let .cell(_, _, c, _, _): return c
    case let .header(_, reason), let .row(_, _, reason): return Self.namedColumn(in: reason)
    default: return nil
    }
  }

  /// The first single-quoted name in a message, preferring one introduced by "column".
  static func namedColumn(in text: String) -> String? {
    func quoted(after marker: String) -> String? {
      guard let r = text.range(of: marker) else { return nil }
      let rest = text[r.upperBound...]
      guard let end = rest.firstIndex(of: "'") else { return nil }
      let name = String(rest[..<end])
      return name.isEmpty ? nil : name
    }
    return quoted(after: "column '") ?? quoted(after: "column name '") ?? quoted(after: "'")
  }

  /// The message without the location prefix.
  package var message: String {
    switch self {
    case let .unreadable(_, reason): return "cannot read file: \(reason)"
    case let .malformed(_, _, reason): return reason
    case let .header(_, reason): return reason
    case let .cell(_, _, column, value, expected):
      return "column '\(column)': value '\(InputError.shorten(value))' is invalid; expected \(expected)"
    case let .ragged(_, _, fields, expected):
      return "row has \(fields) field\(fields == 1 ? "" : "s"); expected \(expected) (one per header column)"
    case let .row(_, _, reason): return reason
    }
  }

  package var description: String {
    var location = file
    if let line { location += ":\(line)" }
    return "\(location): \(message)"
  }

  /// Long values (a 5 MB field) are cut in messages.
  /// At most 60 Unicode scalars (not characters: one character may hold millions of combining
  /// marks), control characters shown as `?`.
  package static func shorten(_ s: String) -> String {
    let scalars = s.unicodeScalars
    let long = scalars.count > 60
    var out = String.UnicodeScalarView()
    for u in scalars.prefix(long ? 57 : 60) { out.append(u.value < 32 || (127...159).contains(u.value) ? "?" : u) }
    return String(out) + (long ? "..." : "")
  }
}
