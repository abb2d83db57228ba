// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaIO

/// An invalid batch spec file. The message names the spec file and, where there is one, the
/// TOML table, the key and the offending value, and says what was expected.
///
/// `orrmeta batch` exits with 64 (usage error) for these, as for an invalid command-line flag:
/// a spec is the command line of many analyses. A spec file that cannot be read exits with 66.
package struct BatchSpecError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The spec file as given.
  package let file: String
  /// The 1-based line, for TOML syntax errors.
  package let line: Int?
  /// The table, e.g. `analyses.main` (nil for the document or a syntax error).
  package let table: String?
  /// The key inside the table.
  package let key: String?
  /// The value as written (TOML syntax), when there is one.
  package let value: String?
  /// What is wrong and what was expected.
  package let reason: String
  /// True when the file could not be read at all (exit 66 rather than 64).
  package let unreadable: Bool

  /// Creates an error.
  package init(
    file: String, line: Int? = nil, table: String? = nil, key: String? = nil, value: String? = nil,
    reason: String, unreadable: Bool = false
  ) {
    self.file = file; self.line = line; self.table = table; self.key = key; self.value = value; self.reason = reason
    self.unreadable = unreadable
  }

  /// One line under a kilobyte: the table, key and value are shortened (60 scalars each), the
  /// reason to 600 scalars.
  package var description: String {
    var out = file
    if let line { out += ":\(line)" }
    out += ": "
    if let table { out += "[\(InputError.shorten(table))] " }
    if let key {
      out += InputError.shorten(key)
      if let value { out += " = \(InputError.shorten(value))" }
      out += ": "
    }
    let r = reason.unicodeScalars
    return out + (r.count > 600 ? String(String.UnicodeScalarView(r.prefix(597))) + "..." : reason)
  }
}
