// SPDX-License-Identifier: GPL-3.0-or-later

/// Quoting for POSIX shells (bash, sh), for the scripts orrmeta generates.
///
/// Hand-written (no shell-quoting package is available offline): the rule is short and fixed by
/// POSIX. A word made only of characters that no shell treats specially is left as it is, so
/// generated scripts stay readable; any other word is put in single quotes, inside which every
/// character is literal (`$`, `` ` ``, `"`, `\`, spaces, newlines), and each `'` in it is written
/// `'\''` (close the quotes, an escaped quote, reopen).
package enum ShellQuoting {
  /// The characters that may appear unquoted.
  private static let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=@%+,")

  /// `word` as one shell word that expands to exactly `word`.
  package static func quote(_ word: String) -> String {
    if !word.isEmpty, !word.hasPrefix("="), word.allSatisfy({ plain.contains($0) }) { return word }
    return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
  }

  /// The words quoted and joined by spaces: a command line.
  package static func commandLine(_ words: [String]) -> String {
    words.map(quote).joined(separator: " ")
  }
}
