// SPDX-License-Identifier: GPL-3.0-or-later

import Crypto

/// SHA-256 (FIPS 180-4), used by `batch --resume` and `merge` to fingerprint input files,
/// result files and analysis settings. Any collision-resistant hash would do; SHA-256 is chosen
/// so that a manifest can be checked with `sha256sum`.
///
/// The hashing is apple/swift-crypto's (BoringSSL's implementation, with the CPU's SHA
/// extensions where it has them); this type only keeps the project's small interface
/// (hexadecimal digests of bytes, strings and buffers) in one place. A batch hashes every input
/// and every result file: swift-crypto hashes a 1 kB buffer in 0.9 µs and 30 kB in 18 µs, 6–10×
/// faster than the hand-written compression function it replaces, which was 12–13 % of a
/// batch's CPU time (Docs/performance.md, "Batch").
package struct SHA256 {
  private var hasher = Crypto.SHA256()

  /// A hasher with the standard initial state.
  package init() {}

  /// The lowercase hexadecimal digest of `bytes`.
  package static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    var h = SHA256()
    h.update(bytes)
    return h.finalizeHex()
  }

  /// The lowercase hexadecimal digest of the UTF-8 bytes of `text`.
  package static func hex(_ text: String) -> String {
    var text = text
    return text.withUTF8 { hex(UnsafeRawBufferPointer($0)) }
  }

  /// The lowercase hexadecimal digest of raw bytes.
  package static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
    var h = SHA256()
    h.update(bytes)
    return h.finalizeHex()
  }

  /// Feeds bytes.
  package mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
    let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
    if done == nil { Array(bytes).withUnsafeBytes { update($0) } }
  }

  /// Feeds raw bytes.
  package mutating func update(_ bytes: UnsafeRawBufferPointer) {
    hasher.update(bufferPointer: bytes)
  }

  /// The digest as 32 bytes. The hasher must not be used afterwards.
  package mutating func finalize() -> [UInt8] { Array(hasher.finalize()) }

  /// The digest as 64 lowercase hexadecimal digits.
  package mutating func finalizeHex() -> String { Self.hexadecimal(hasher.finalize()) }

  /// 32 digest bytes as 64 lowercase hexadecimal digits.
  private static func hexadecimal(_ digest: SHA256Digest) -> String {
    String(unsafeUninitializedCapacity: 64) { out in
      let digits: StaticString = "0123456789abcdef"
      let d = digits.utf8Start
      var j = 0
      for b in digest {
        out[2 * j] = d[Int(b >> 4)]
        out[2 * j + 1] = d[Int(b & 0x0f)]
        j += 1
      }
      return 64
    }
  }
}
