// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaIO

/// Writes a ``JSONTree`` as UTF-8 bytes, with the rules of ``JSONOutput``: keys in UTF-8
/// byte order, non-finite numbers as `null`, shortest round-trip numbers without a trailing
/// `.0`, Foundation's escapes and pretty layout (so that outputs kept their bytes when this
/// writer replaced `JSONEncoder`).
///
/// Written for the batch's throughput (one result file per input): bytes go into one growing
/// buffer of its own (``JSONByteSink``), numbers straight into it (the standard library's
/// shortest round-trip digits through `TextOutputStream`, integers digit by digit, no
/// intermediate `String`), a key as the literal ``JSONKeys`` made once per distinct key, other
/// strings copied whole after a scan of their UTF-8 bytes for the characters to escape, and an
/// object's members ordered by an insertion sort (the library's sort above 32 members) on the
/// first eight bytes of their keys (whole keys compared only on a tie).
struct JSONTextWriter {
  /// Two-space indentation and `"key" : value` when true; no whitespace at all when false.
  let pretty: Bool
  /// The bytes written so far.
  private(set) var out: JSONByteSink
  /// The members of the objects being written (their first eight key bytes, big-endian and
  /// zero-padded, and their node), one slice per open object: sorted in place.
  private var members: [(prefix: UInt64, node: Int32)] = []
  /// The tree being written, its arrays read through pointers for the one write (an element
  /// read from a class's array property retains and releases the array's storage and checks
  /// the bounds: 3 % of a batch's instructions).
  private unowned(unsafe) let tree: JSONTree
  private let nodes: UnsafeBufferPointer<JSONNode>
  private let prefixes: UnsafeBufferPointer<UInt64>
  private let literals: UnsafeBufferPointer<UInt8>
  private let literalStarts: UnsafeBufferPointer<Int>

  /// Writes `tree` from its root, then a line feed, and returns the bytes.
  static func bytes(of tree: JSONTree, pretty: Bool) -> [UInt8] {
    var out = tree.takeSink(capacity: max(256, tree.nodes.count * (pretty ? 48 : 28)))
    defer { tree.keepSink(out) }
    tree.nodes.withUnsafeBufferPointer { nodes in
      tree.keys.prefixes.withUnsafeBufferPointer { prefixes in
        tree.keys.literals.withUnsafeBufferPointer { literals in
          tree.keys.literalStarts.withUnsafeBufferPointer { literalStarts in
            var writer = JSONTextWriter(
              pretty: pretty, out: out, tree: tree, nodes: nodes, prefixes: prefixes, literals: literals, literalStarts: literalStarts)
            writer.members.reserveCapacity(64)
            writer.write(0, indent: 0)
            writer.out.append(UInt8(ascii: "\n"))
            out = writer.out
          }
        }
      }
    }
    return out.array()
  }

  private init(
    pretty: Bool, out: JSONByteSink, tree: JSONTree, nodes: UnsafeBufferPointer<JSONNode>, prefixes: UnsafeBufferPointer<UInt64>,
    literals: UnsafeBufferPointer<UInt8>, literalStarts: UnsafeBufferPointer<Int>
  ) {
    self.pretty = pretty
    self.out = out
    self.tree = tree
    self.nodes = nodes
    self.prefixes = prefixes
    self.literals = literals
    self.literalStarts = literalStarts
  }

  /// The first child of a container (-1 when empty).
  private func first(_ node: Int32) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: nodes[Int(node)].payload)) }

  private mutating func write(_ index: Int32, indent: Int) {
    let node = nodes[Int(index)]
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
      if i < 0 { out.append(UInt8(ascii: "-")) }
      digits(i.magnitude)
    case .uint: digits(node.payload)
    case .string: string(tree.strings[Int(node.payload)])
    case .fragment:
      var text = tree.strings[Int(node.payload)]
      text.withUTF8 { out.append($0) }
    case .array:
      out.append(UInt8(ascii: "["))
      var child = first(index)
      if child < 0 {
        emptyBody(indent)
      } else {
        var first = true
        while child >= 0 {
          if !first { out.append(UInt8(ascii: ",")) }
          first = false
          newline(indent + 2)
          write(child, indent: indent + 2)
          child = nodes[Int(child)].next
        }
        newline(indent)
      }
      out.append(UInt8(ascii: "]"))
    case .object, .pending:
      // `.pending`: a `superEncoder()` that encoded nothing, `{}` as Foundation.
      out.append(UInt8(ascii: "{"))
      var child = node.kind == .object ? first(index) : -1
      if child < 0 {
        emptyBody(indent)
      } else {
        let base = members.count
        while child >= 0 {
          let member = nodes[Int(child)]
          members.append((prefixes[Int(member.key)], child))
          child = member.next
        }
        sortMembers(from: base)
        let end = members.count
        var first = true
        for m in base..<end {
          let member = members[m]
          let key = nodes[Int(member.node)].key
          // A key encoded twice keeps its last value (as Foundation): the later of equal keys
          // sorts after.
          if m + 1 < end, nodes[Int(members[m + 1].node)].key == key { continue }
          if !first { out.append(UInt8(ascii: ",")) }
          first = false
          newline(indent + 2)
          out.append(UnsafeBufferPointer(rebasing: literals[literalStarts[Int(key)]..<literalStarts[Int(key) + 1]]))
          if pretty { ascii(" : ") } else { out.append(UInt8(ascii: ":")) }
          write(member.node, indent: indent + 2)
        }
        members.removeSubrange(base...)
        newline(indent)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  /// Whether member `a` comes before `b`: keys in UTF-8 byte order, equal keys in the order
  /// they were encoded (node order).
  private static func less(
    _ a: (prefix: UInt64, node: Int32), _ b: (prefix: UInt64, node: Int32), _ nodes: UnsafeBufferPointer<JSONNode>, _ tree: JSONTree
  ) -> Bool {
    if a.prefix != b.prefix { return a.prefix < b.prefix }
    // Equal keys have one index (``JSONKeys`` keeps each distinct key once).
    let x = nodes[Int(a.node)].key, y = nodes[Int(b.node)].key
    return x == y ? a.node < b.node : utf8Less(tree.keys.names[Int(x)], tree.keys.names[Int(y)])
  }

  /// Sorts `members[base...]`: an insertion sort for the usual few members, the library's sort
  /// for large dictionaries.
  private mutating func sortMembers(from base: Int) {
    let end = members.count
    guard end - base > 1 else { return }
    let nodes = self.nodes, tree = self.tree
    if end - base > 32 {
      members[base...].sort { Self.less($0, $1, nodes, tree) }
      return
    }
    members.withUnsafeMutableBufferPointer { members in
      for i in (base + 1)..<end {
        let m = members[i]
        var j = i
        while j > base, Self.less(m, members[j - 1], nodes, tree) {
          members[j] = members[j - 1]
          j -= 1
        }
        members[j] = m
      }
    }
  }

  /// A finite number's shortest round-trip text without a trailing `.0`.
  private mutating func number<F: BinaryFloatingPoint & TextOutputStreamable>(_ value: F) {
    value.write(to: &out)
    out.dropTrailingPointZero()
  }

  /// The decimal digits of an integer.
  private mutating func digits(_ value: UInt64) {
    var count = 1
    var v = value
    while v >= 10 { v /= 10; count += 1 }
    out.appendDigits(of: value, count: count)
  }

  /// The inside of an empty array or object: a blank line in pretty output (as Foundation).
  private mutating func emptyBody(_ indent: Int) {
    guard pretty else { return }
    out.append(UInt8(ascii: "\n"))
    newline(indent)
  }

  private mutating func newline(_ indent: Int) {
    guard pretty else { return }
    out.appendLine(indent: indent)
  }

  private mutating func ascii(_ s: StaticString) {
    out.append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
  }

  /// A string literal: `"` `\` and the control characters below U+0020 escaped.
  private mutating func string(_ s: String) {
    var s = s
    s.withUTF8 { utf8 in
      // Nearly every string needs no escape: copied whole.
      for u in utf8 where u < 0x20 || u == UInt8(ascii: "\"") || u == UInt8(ascii: "\\") {
        Self.literal(utf8).withUnsafeBufferPointer { out.append($0) }
        return
      }
      out.append(UInt8(ascii: "\""))
      out.append(utf8)
      out.append(UInt8(ascii: "\""))
    }
  }

  /// `s` as a JSON string literal: `"` `\` and the control characters below U+0020 escaped
  /// (`\n`, `\t`, `\u001f`, …, Foundation's escapes), `/` and non-ASCII as they are.
  static func literal(_ s: String) -> [UInt8] {
    var s = s
    return s.withUTF8 { literal($0) }
  }

  private static func literal(_ utf8: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    var out: [UInt8] = [UInt8(ascii: "\"")]
    out.reserveCapacity(utf8.count + 8)
    let hex: StaticString = "0123456789abcdef"
    for u in utf8 {
      switch u {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), u]
      case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
      case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
      case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
      case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
      case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
      case 0..<0x20:
        out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
        out += [hex.utf8Start[Int(u >> 4)], hex.utf8Start[Int(u & 0xF)]]
      default: out.append(u)
      }
    }
    out.append(UInt8(ascii: "\""))
    return out
  }
}

/// The output buffer of ``JSONTextWriter``: one allocation grown by doubling, written through
/// its pointer (appending to an `[UInt8]` checked uniqueness and capacity per byte run: 5 % of a
/// batch's instructions). A `TextOutputStream` so that the standard library writes a number's
/// digits into it directly (its ASCII fast path, `_writeASCII`).
///
/// Owned by one ``JSONTree`` (which lends it to each write and frees it with ``release()``).
struct JSONByteSink: TextOutputStream {
  private var start: UnsafeMutablePointer<UInt8>
  private var count = 0
  private var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 64)
    start = .allocate(capacity: self.capacity)
  }

  /// Frees the buffer; the sink must not be used after.
  func release() { start.deallocate() }

  /// Empties the sink, keeping its buffer.
  mutating func removeAll() { count = 0 }

  /// The size of the buffer.
  var bufferSize: Int { capacity }

  /// The bytes written, copied into an array.
  func array() -> [UInt8] { Array(UnsafeBufferPointer(start: start, count: count)) }

  /// Room for `n` more bytes.
  @inline(__always) private mutating func reserve(_ n: Int) {
    if count + n > capacity { grow(to: count + n) }
  }

  private mutating func grow(to needed: Int) {
    let grown = max(needed, 2 * capacity)
    let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
    moved.update(from: start, count: count)
    start.deallocate()
    start = moved
    capacity = grown
  }

  mutating func append(_ byte: UInt8) {
    reserve(1)
    start[count] = byte
    count += 1
  }

  mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress, bytes.count > 0 else { return }
    reserve(bytes.count)
    (start + count).update(from: source, count: bytes.count)
    count += bytes.count
  }

  /// A line feed and `indent` spaces.
  mutating func appendLine(indent: Int) {
    reserve(indent + 1)
    start[count] = UInt8(ascii: "\n")
    (start + count + 1).update(repeating: UInt8(ascii: " "), count: indent)
    count += indent + 1
  }

  /// The `count` decimal digits of `value`.
  mutating func appendDigits(of value: UInt64, count digits: Int) {
    reserve(digits)
    var v = value
    var i = count + digits - 1
    repeat {
      start[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
      v /= 10
      i -= 1
    } while i >= count
    count += digits
  }

  /// Removes a trailing `.0` (a number's text that ends in it: `1.0` → `1`).
  mutating func dropTrailingPointZero() {
    if count >= 2, start[count - 1] == UInt8(ascii: "0"), start[count - 2] == UInt8(ascii: ".") { count -= 2 }
  }

  mutating func write(_ string: String) {
    var string = string
    string.withUTF8 { append($0) }
  }

  mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { append(buffer) }
}
