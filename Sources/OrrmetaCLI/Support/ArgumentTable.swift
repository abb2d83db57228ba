// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser

/// A table-driven parser for the common command lines of one command, which fills a plain
/// `Value` (the command's request, e.g. ``PoolRequest``) without argument-parser's reflection and
/// without its property wrappers.
///
/// argument-parser builds a command's argument set by reflecting (`Mirror`) over the command and
/// each option group, several times per run, and looks up protocol conformances for each option
/// type on first use; for `orrmeta pool` that was more than half of the process's CPU time
/// (Docs/performance.md, "Start-up"). Even a command value made without reflection (`init()` and
/// the wrappers' setters) paid the first use of each wrapper's generic type and its protocol
/// conformances. A table knows the names, arity and defaults of the command's own options and
/// stores them in a plain value, which the command's `run()` also builds from argument-parser's
/// parse. Hand-written because argument-parser has no reflection-free entry point.
///
/// The table only accepts a command line it understands exactly: `--name value`,
/// `--name=value` (single-valued and repeated options), flags, one positional argument, each
/// single-valued option or flag at most once. It *declines* (returns nil) everything else — an
/// unknown or built-in name (`--help`, `-h`, `--version`, `--experimental-dump-help`, `--`), a
/// value that begins with `-` or is empty, a repeated single-valued option, a value that does
/// not convert, a missing or second positional argument (or one spelled `help`), a failing
/// check (``validate``) — and the caller then parses the whole command line with argument-parser, so that
/// help, completions and every error message are argument-parser's own. Declining is always safe:
/// it only costs the time saved. (There is no intermediate step parsing the command as a root
/// command: such a parse would treat `--generate-completion-script`, `--experimental-dump-help`
/// and usage messages as those of a tool named `pool`.)
///
/// The table is not a second definition of the options: `PoolArgumentTableTests` checks it
/// against argument-parser's (`_dumpHelp()`: every name, kind, arity and default) and checks that
/// both parsers give the same value for many command lines. `Value` carries no protocol
/// requirement on purpose: a generic type with one costs a scan of the binary's conformance
/// records on first use.
struct ArgumentTable<Value> {
  /// How an option takes its values (argument-parser's parsing strategy).
  enum Arity: String, Sendable {
    /// No value (`@Flag var x = false`).
    case flag
    /// One value, at most once (`@Option var x: T`).
    case single
    /// One value per occurrence, collected (`@Option var x: [T]`).
    case repeated
    /// Every following word up to the next option (`@Option(parsing: .upToNextOption)`).
    case upToNextOption
  }

  /// One option or flag of the table.
  struct Entry {
    /// Every name, with its dashes: `--output`, `-o`.
    var names: [String]
    var arity: Arity
    /// argument-parser's text for the default value (`defaultValueDescription`), or nil.
    var defaultDescription: () -> String?
    /// Sets the default.
    var reset: (inout Value) -> Void
    /// Sets the values given on the command line; false if one does not convert.
    var assign: (inout Value, [String]) -> Bool
  }

  /// The value before any option is set (every entry then sets its default or its values).
  var initial: Value
  var entries: [Entry]
  /// The one positional argument.
  var positional: (inout Value, String) -> Bool
  /// The checks argument-parser runs after parsing (the command's and its option groups'
  /// `validate()`); a failure declines the command line.
  var validate: (Value) throws -> Void

  /// The command `words` (the arguments after the command's own name) describe, or nil if the
  /// table declines them.
  func parse(_ words: ArraySlice<String>) -> Value? {
    var given = [[String]?](repeating: nil, count: entries.count)
    var argument: String?
    var index = words.startIndex
    while index < words.endIndex {
      let word = words[index]
      index += 1
      guard let first = word.utf8.first else { return nil }
      guard first == UInt8(ascii: "-") else {
        // A second positional, or one that argument-parser might read as its `help` command.
        if argument != nil || word == "help" { return nil }
        argument = word
        continue
      }
      var name = Substring(word)
      var attached: String?
      if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
        name = word[..<equals]
        attached = String(word[word.index(after: equals)...])
      }
      guard let e = entries.firstIndex(where: { $0.names.contains(where: { $0 == name }) }) else { return nil }
      let arity = entries[e].arity
      if given[e] != nil, arity == .flag || arity == .single { return nil }
      var values = given[e] ?? []
      func isValue(_ w: String) -> Bool { !w.isEmpty && !w.hasPrefix("-") }
      switch arity {
      case .flag:
        if attached != nil { return nil }
      case .single, .repeated:
        if let attached {
          guard !attached.isEmpty else { return nil }
          values.append(attached)
        } else {
          guard index < words.endIndex, isValue(words[index]) else { return nil }
          values.append(words[index])
          index += 1
        }
      case .upToNextOption:
        if attached != nil { return nil }
        let start = values.count
        while index < words.endIndex, !words[index].hasPrefix("-") {
          guard isValue(words[index]) else { return nil }
          values.append(words[index])
          index += 1
        }
        if values.count == start { return nil }
      }
      given[e] = values
    }
    guard let argument else { return nil }
    var value = initial
    guard positional(&value, argument) else { return nil }
    for (entry, values) in zip(entries, given) {
      entry.reset(&value)
      if let values, !entry.assign(&value, values) { return nil }
    }
    do { try validate(value) } catch { return nil }
    return value
  }
}

extension ArgumentTable.Entry {
  /// A single-valued option with a default.
  static func option<T: ExpressibleByArgument>(_ names: String..., default value: T, set: @escaping (inout Value, T) -> Void) -> Self {
    Self(
      names: names, arity: .single, defaultDescription: { value.defaultValueDescription },
      reset: { set(&$0, value) },
      assign: { command, words in
        guard let word = words.last, let v = T(argument: word) else { return false }
        set(&command, v)
        return true
      })
  }

  /// A single-valued option without a default (nil when not given).
  static func option<T: ExpressibleByArgument>(_ names: String..., of _: T.Type, set: @escaping (inout Value, T?) -> Void) -> Self {
    Self(
      names: names, arity: .single, defaultDescription: { nil },
      reset: { set(&$0, nil) },
      assign: { command, words in
        guard let word = words.last, let v = T(argument: word) else { return false }
        set(&command, v)
        return true
      })
  }

  /// An option collecting its values (empty when not given).
  static func option<T: ExpressibleByArgument>(
    _ names: String..., listOf _: T.Type, upToNextOption: Bool = false, set: @escaping (inout Value, [T]) -> Void
  ) -> Self {
    Self(
      names: names, arity: upToNextOption ? .upToNextOption : .repeated, defaultDescription: { nil },
      reset: { set(&$0, []) },
      assign: { command, words in
        var values: [T] = []
        values.reserveCapacity(words.count)
        for word in words {
          guard let v = T(argument: word) else { return false }
          values.append(v)
        }
        set(&command, values)
        return true
      })
  }

  /// A Boolean flag, false unless given.
  static func flag(_ names: String..., set: @escaping (inout Value, Bool) -> Void) -> Self {
    Self(
      names: names, arity: .flag, defaultDescription: { nil },
      reset: { set(&$0, false) },
      assign: { command, _ in
        set(&command, true)
        return true
      })
  }
}

extension ArgumentTable {
  /// The positional argument, stored by `set`.
  static func argument<T: ExpressibleByArgument>(of _: T.Type, set: @escaping (inout Value, T) -> Void) -> (inout Value, String) -> Bool {
    { command, word in
      guard let v = T(argument: word) else { return false }
      set(&command, v)
      return true
    }
  }
}
