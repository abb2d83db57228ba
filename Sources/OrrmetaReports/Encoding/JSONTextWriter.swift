// SPDX-License-Identifier: GPL-3.0-or-later

/// Writes a ``JSONTree`` as UTF-8 bytes, with the rules of ``JSONOutput``: keys in UTF-8
/// byte order, non-finite numbers as `null`, shortest round-trip numbers without a trailing
/// `.0`, Foundation's escapes and pretty layout (so that outputs kept their bytes when this
/// writer replaced `JSONEncoder`).
///
/// Written for the batch's throughput (one result file per input): numbers go straight into
/// the buffer (the standard library's shortest round-trip digits through `TextOutputStream`,
/// integers digit by digit, no intermediate `String`), strings are copied whole after a scan of
/// their UTF-8 bytes for the characters to escape, and an object's members are ordered by an
/// insertion sort (the library's sort above 32 members) on the first eight bytes of their keys (whole keys compared only on a tie).
struct JSONTextWriter {
  /// Two-space indentation and `"key" : value` when true; no whitespace at all when false.
  let pretty: Bool
  /// The bytes written so far.
  var out = JSONByteSink()
  /// The members of the objects being written (their first eight key bytes, big-endian and
  /// zero-padded, and their node), one slice per open object: sorted in place.
  private var members: [(prefix: UInt64, node: Int32)] = []

  init(pretty: Bool, capacity: Int = 4096) {
    self.pretty = pretty
    out.bytes.reserveCapacity(capacity)
    members.reserveCapacity(64)
  }

  /// Writes the tree from its root.
  mutating func write(_ tree: JSONTree) { write(tree, 0, indent: 0) }

  private mutating func write(_ tree: JSONTree, _ index: Int32, indent: Int) {
    let node = tree.nodes[Int(index)]
    switch node.kind {
    case .null: ascii("null")
    case .bool: ascii(node.payload != 0 ? "true" : "false")
    case .double:
      let d = Double(bitPattern: node.payload)
      if d.isFinite { number(d) } else { ascii("null") }
    case .float:
      let f = Float(bitPattern: UInt32(truncatingIfNeeded: node.payload))
      if f.isFinite { number(f) } else { ascii("null") }
    case .int:
      let i = Int64(bitPattern: node.payload)
      if i < 0 { out.bytes.append(UInt8(ascii: "-")) }
      digits(i.magnitude)
    case .uint: digits(node.payload)
    case .string: string(tree.strings[Int(node.payload)])
    case .array:
      out.bytes.append(UInt8(ascii: "["))
      var child = tree.first(index)
      if child < 0 {
        emptyBody(indent)
      } else {
        var first = true
        while child >= 0 {
          if !first { out.bytes.append(UInt8(ascii: ",")) }
          first = false
          newline(indent + 2)
          write(tree, child, indent: indent + 2)
          child = tree.nodes[Int(child)].next
        }
        newline(indent)
      }
      out.bytes.append(UInt8(ascii: "]"))
    case .object, .pending:
      // `.pending`: a `superEncoder()` that encoded nothing, `{}` as Foundation.
      out.bytes.append(UInt8(ascii: "{"))
      var child = node.kind == .object ? tree.first(index) : -1
      if child < 0 {
        emptyBody(indent)
      } else {
        let base = members.count
        while child >= 0 {
          members.append((Self.prefix(tree.strings[Int(tree.nodes[Int(child)].key)]), child))
          child = tree.nodes[Int(child)].next
        }
        sortMembers(from: base, tree)
        let end = members.count
        var first = true
        for m in base..<end {
          let member = members[m]
          // A key encoded twice keeps its last value (as Foundation): the later of equal keys
          // sorts after.
          if m + 1 < end, Self.sameKey(member, members[m + 1], tree) { continue }
          if !first { out.bytes.append(UInt8(ascii: ",")) }
          first = false
          newline(indent + 2)
          string(tree.strings[Int(tree.nodes[Int(member.node)].key)])
          if pretty { ascii(" : ") } else { out.bytes.append(UInt8(ascii: ":")) }
          write(tree, member.node, indent: indent + 2)
        }
        members.removeSubrange(base...)
        newline(indent)
      }
      out.bytes.append(UInt8(ascii: "}"))
    }
  }

  /// The first eight UTF-8 bytes of a key, big-endian, zero-padded: ordered as the keys when
  /// they differ.
  private static func prefix(_ key: String) -> UInt64 {
    var key = key
    return key.withUTF8 { utf8 in
      var p: UInt64 = 0
      for i in 0..<min(8, utf8.count) { p |= UInt64(utf8[i]) << UInt64(56 - 8 * i) }
      return p
    }
  }

  /// The UTF-8 byte order of two keys: negative, zero or positive.
  private static func compare(_ a: String, _ b: String) -> Int {
    var a = a, b = b
    return a.withUTF8 { x in
      b.withUTF8 { y in
        for i in 0..<min(x.count, y.count) where x[i] != y[i] { return Int(x[i]) - Int(y[i]) }
        return x.count - y.count
      }
    }
  }

  private static func sameKey(_ a: (prefix: UInt64, node: Int32), _ b: (prefix: UInt64, node: Int32), _ tree: JSONTree) -> Bool {
    a.prefix == b.prefix && compare(tree.strings[Int(tree.nodes[Int(a.node)].key)], tree.strings[Int(tree.nodes[Int(b.node)].key)]) == 0
  }

  /// Whether member `a` comes before `b`: keys in UTF-8 byte order, equal keys in the order
  /// they were encoded (node order).
  private static func less(_ a: (prefix: UInt64, node: Int32), _ b: (prefix: UInt64, node: Int32), _ tree: JSONTree) -> Bool {
    if a.prefix != b.prefix { return a.prefix < b.prefix }
    let c = compare(tree.strings[Int(tree.nodes[Int(a.node)].key)], tree.strings[Int(tree.nodes[Int(b.node)].key)])
    return c != 0 ? c < 0 : a.node < b.node
  }

  /// Sorts `members[base...]`: an insertion sort for the usual few members, the library's sort
  /// for large dictionaries.
  private mutating func sortMembers(from base: Int, _ tree: JSONTree) {
    let end = members.count
    guard end - base > 1 else { return }
    if end - base > 32 {
      members[base...].sort { Self.less($0, $1, tree) }
      return
    }
    for i in (base + 1)..<end {
      let m = members[i]
      var j = i
      while j > base, Self.less(m, members[j - 1], tree) {
        members[j] = members[j - 1]
        j -= 1
      }
      members[j] = m
    }
  }

  /// A finite number's shortest round-trip text without a trailing `.0`.
  private mutating func number<F: BinaryFloatingPoint & TextOutputStreamable>(_ value: F) {
    let start = out.bytes.count
    value.write(to: &out)
    let n = out.bytes.count
    if n - start >= 2, out.bytes[n - 1] == UInt8(ascii: "0"), out.bytes[n - 2] == UInt8(ascii: ".") {
      out.bytes.removeLast(2)
    }
  }

  /// The decimal digits of an integer.
  private mutating func digits(_ value: UInt64) {
    var count = 1
    var v = value
    while v >= 10 { v /= 10; count += 1 }
    let start = out.bytes.count
    out.bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
    v = value
    var i = start + count - 1
    while v > 0 {
      out.bytes[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
      v /= 10
      i -= 1
    }
  }

  /// The inside of an empty array or object: a blank line in pretty output (as Foundation).
  private mutating func emptyBody(_ indent: Int) {
    guard pretty else { return }
    out.bytes.append(UInt8(ascii: "\n"))
    newline(indent)
  }

  private mutating func newline(_ indent: Int) {
    guard pretty else { return }
    out.bytes.append(UInt8(ascii: "\n"))
    // The indentation copied from one static run of 64 spaces (a copy of contiguous bytes, not
    // the element-wise append of a `repeatElement`).
    let spaces: StaticString = "                                                                "
    var remaining = indent
    while remaining > 0 {  // one pass for any indent up to 64
      let n = min(remaining, spaces.utf8CodeUnitCount)
      out.bytes.append(contentsOf: UnsafeBufferPointer(start: spaces.utf8Start, count: n))
      remaining -= n
    }
  }

  private mutating func ascii(_ s: StaticString) {
    out.bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
  }

  /// A string literal: `"` `\` and the control characters below U+0020 escaped.
  private mutating func string(_ s: String) {
    var s = s
    s.withUTF8 { utf8 in
      out.bytes.append(UInt8(ascii: "\""))
      // Nearly every string needs no escape: copied whole.
      var plain = true
      for u in utf8 where u < 0x20 || u == UInt8(ascii: "\"") || u == UInt8(ascii: "\\") {
        plain = false
        break
      }
      if plain {
        out.bytes.append(contentsOf: utf8)
      } else {
        for u in utf8 { escaped(u) }
      }
      out.bytes.append(UInt8(ascii: "\""))
    }
  }

  private mutating func escaped(_ u: UInt8) {
    switch u {
    case UInt8(ascii: "\""): ascii("\\\"")
    case UInt8(ascii: "\\"): ascii("\\\\")
    case 0x08: ascii("\\b")
    case 0x0C: ascii("\\f")
    case 0x0A: ascii("\\n")
    case 0x0D: ascii("\\r")
    case 0x09: ascii("\\t")
    case 0..<0x20:
      let hex: StaticString = "0123456789abcdef"
      ascii("\\u00")
      out.bytes.append(hex.utf8Start[Int(u >> 4)])
      out.bytes.append(hex.utf8Start[Int(u & 0xF)])
    default: out.bytes.append(u)
    }
  }
}

/// The output buffer of ``JSONTextWriter``; a `TextOutputStream` so that the standard library
/// writes a number's digits into it directly (its ASCII fast path, `_writeASCII`).
struct JSONByteSink: TextOutputStream {
  var bytes: [UInt8] = []

  mutating func write(_ string: String) { bytes.append(contentsOf: string.utf8) }

  mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }
}
