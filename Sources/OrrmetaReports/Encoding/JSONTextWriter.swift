// SPDX-License-Identifier: GPL-3.0-or-later


/// Writes a ``JSONNode`` tree as UTF-8 bytes, with the rules of ``JSONOutput``: keys in UTF-8
/// byte order, non-finite numbers as `null`, shortest round-trip numbers without a trailing
/// `.0`, Foundation's escapes and pretty layout (so that outputs kept their bytes when this
/// writer replaced `JSONEncoder`).
struct JSONTextWriter {
  /// Two-space indentation and `"key" : value` when true; no whitespace at all when false.
  let pretty: Bool
  /// The bytes written so far.
  var bytes: [UInt8] = []

  init(pretty: Bool) {
    self.pretty = pretty
    bytes.reserveCapacity(4096)
  }

  mutating func write(_ node: JSONNode, indent: Int = 0) {
    switch node {
    case .null: append("null")
    case .bool(let b): append(b ? "true" : "false")
    case .double(let d): number(d.isFinite ? d.description : nil)
    case .float(let f): number(f.isFinite ? f.description : nil)
    case .int(let i): append(String(i))
    case .uint(let u): append(String(u))
    case .string(let s): string(s)
    case .array(let box):
      bytes.append(UInt8(ascii: "["))
      if box.elements.isEmpty {
        emptyBody(indent)
      } else {
        for (i, element) in box.elements.enumerated() {
          if i > 0 { bytes.append(UInt8(ascii: ",")) }
          newline(indent + 2)
          write(element, indent: indent + 2)
        }
        newline(indent)
      }
      bytes.append(UInt8(ascii: "]"))
    case .object(let box):
      bytes.append(UInt8(ascii: "{"))
      if box.keys.isEmpty {
        emptyBody(indent)
      } else {
        let order = box.keys.indices.sorted { Self.utf8Less(box.keys[$0], box.keys[$1]) }
        for (n, i) in order.enumerated() {
          if n > 0 { bytes.append(UInt8(ascii: ",")) }
          newline(indent + 2)
          string(box.keys[i])
          append(pretty ? " : " : ":")
          write(box.values[i], indent: indent + 2)
        }
        newline(indent)
      }
      bytes.append(UInt8(ascii: "}"))
    }
  }

  /// A finite number's shortest round-trip text without a trailing `.0`; nil (not finite) is `null`.
  private mutating func number(_ text: String?) {
    guard let text else { return append("null") }
    if text.hasSuffix(".0") { append(text.dropLast(2)) } else { append(text) }
  }

  /// The inside of an empty array or object: a blank line in pretty output (as Foundation).
  private mutating func emptyBody(_ indent: Int) {
    guard pretty else { return }
    bytes.append(UInt8(ascii: "\n"))
    newline(indent)
  }

  private mutating func newline(_ indent: Int) {
    guard pretty else { return }
    bytes.append(UInt8(ascii: "\n"))
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
  }

  private mutating func append<S: StringProtocol>(_ s: S) { bytes.append(contentsOf: s.utf8) }

  /// Whether `a` comes before `b` in UTF-8 byte order (compared on the contiguous UTF-8 of
  /// native strings; every object's keys are sorted, so this is in the inner loop).
  static func utf8Less(_ a: String, _ b: String) -> Bool {
    let fast = a.utf8.withContiguousStorageIfAvailable { x in
      b.utf8.withContiguousStorageIfAvailable { y -> Bool in
        for i in 0..<min(x.count, y.count) where x[i] != y[i] { return x[i] < y[i] }
        return x.count < y.count
      }
    }
    if let fast, let result = fast { return result }
    return a.utf8.lexicographicallyPrecedes(b.utf8)
  }

  /// A string literal: `"` `\` and the control characters below U+0020 escaped.
  private mutating func string(_ s: String) {
    bytes.append(UInt8(ascii: "\""))
    // Nearly every string needs no escape: copied whole.
    if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
      bytes.append(contentsOf: s.utf8)
      bytes.append(UInt8(ascii: "\""))
      return
    }
    for u in s.utf8 {
      switch u {
      case UInt8(ascii: "\""): append("\\\"")
      case UInt8(ascii: "\\"): append("\\\\")
      case 0x08: append("\\b")
      case 0x0C: append("\\f")
      case 0x0A: append("\\n")
      case 0x0D: append("\\r")
      case 0x09: append("\\t")
      case 0..<0x20:
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(u >> 4)], hex[Int(u & 0xF)]])
      default: bytes.append(u)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
