// SPDX-License-Identifier: GPL-3.0-or-later

/// One `[analyses.NAME]` table of a batch spec, before its values are interpreted: the kind and
/// the settings as the strings a command-line flag would receive, each remembering where it
/// was written (for messages). ``BatchSpecFile`` produces these; the command line turns them
/// into ``BatchAnalysis`` values with the same parsing as the flags of the analysis' command
/// (`orrmeta pool`, `orrmeta sensitivity`).
package struct BatchAnalysisSpec: Sendable, Equatable {
  /// One setting.
  package struct Entry: Sendable, Equatable {
    /// The spec key (`ci_method`).
    package let key: String
    /// The value as a flag would receive it (`95`, `REML`); for a list key (`analyses`), the
    /// items joined with `,`.
    package let value: String
    /// The items of a list key (``BatchAnalysisKind/listKeys``); `[value]` for the others.
    package let values: [String]
    /// The value as written in TOML (`"REML"`, `95`), for messages.
    package let literal: String
    /// The table it was written in (`defaults` or `analyses.NAME`).
    package let table: String

    /// The command-line flag of the key (`--ci-method`).
    package var flag: String { "--" + key.replacingOccurrences(of: "_", with: "-") }

    /// Creates an entry with one value.
    package init(key: String, value: String, literal: String, table: String) {
      self.key = key
      self.value = value
      values = [value]
      self.literal = literal
      self.table = table
    }

    /// Creates the entry of a list key.
    package init(key: String, values: [String], literal: String, table: String) {
      self.key = key
      value = values.joined(separator: ",")
      self.values = values
      self.literal = literal
      self.table = table
    }
  }

  /// The analysis name (the `NAME` of `[analyses.NAME]`).
  package let name: String
  /// What it computes.
  package let kind: BatchAnalysisKind
  /// Its table (`analyses.NAME`).
  package let table: String
  /// Its settings: those of `[defaults]` that it does not override, then its own, by key.
  package let entries: [Entry]

  /// Creates a spec.
  package init(name: String, kind: BatchAnalysisKind, table: String, entries: [Entry]) {
    self.name = name; self.kind = kind; self.table = table; self.entries = entries
  }

  /// The entry of a key, if the analysis has one (its own or inherited).
  package func entry(_ key: String) -> Entry? { entries.first { $0.key == key } }

  /// Whether a name can be an analysis name: 1 to 100 of `A-Z a-z 0-9 . _ -`, not starting
  /// with a dot (names become result file names).
  package static func isValidName(_ name: String) -> Bool {
    guard !name.isEmpty, name.utf8.count <= 100, !name.hasPrefix(".") else { return false }
    return name.unicodeScalars.allSatisfy { c in
      (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "." || c == "_" || c == "-"
    }
  }
}
