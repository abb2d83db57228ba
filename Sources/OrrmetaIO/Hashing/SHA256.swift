// SPDX-License-Identifier: GPL-3.0-or-later

/// SHA-256 (FIPS 180-4), used by `batch --resume` to fingerprint input files and analysis
/// settings.
///
/// Hand-written rather than taken from apple/swift-crypto: that package compiles BoringSSL,
/// several minutes on a small build machine, for one function of about eighty lines whose
/// output is checked against the FIPS 180-4 / NIST example vectors in the tests. Measured again
/// on 2026-12-03 (Docs/performance.md, branch `batchjson`): swift-crypto 3.12.3 hashes 1 kB and
/// 30 kB buffers 6-10x faster (SHA extensions), but linking it adds about 300 protocol-conformance
/// records and makes `orrmeta pool`'s start-up run 2.2 % more instructions, start-up being the
/// other bound of issue 19; so this stays, at 12-13 % of a batch's CPU time. Any collision-
/// resistant hash would do; SHA-256 is chosen so that a manifest can be checked with
/// `sha256sum`.
///
/// A batch hashes every input file and every result file, so the compression function works on
/// the caller's bytes in place (no copy of the input, no allocation per block: the message
/// schedule is a 16-word window on the stack); about 10 cycles per byte, 4× the first version.
package struct SHA256: Sendable {
  private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
  )
  /// The bytes of an incomplete block (fewer than 64), kept between calls of ``update(_:)``.
  private var buffer: [UInt8] = []
  private var length: UInt64 = 0

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
    return text.withUTF8 { hex($0) }
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
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    length &+= UInt64(bytes.count)
    var i = 0
    if !buffer.isEmpty {
      let take = min(64 - buffer.count, bytes.count)
      buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<take]))
      i = take
      if buffer.count == 64 {
        buffer.withUnsafeBytes { Self.compress(&state, $0.baseAddress!, blocks: 1) }
        buffer.removeAll(keepingCapacity: true)
      }
    }
    let blocks = (bytes.count - i) / 64
    if blocks > 0 {
      Self.compress(&state, base + i, blocks: blocks)
      i += 64 * blocks
    }
    if i < bytes.count { buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i...])) }
  }

  /// The digest as 32 bytes. The hasher must not be used afterwards.
  package mutating func finalize() -> [UInt8] {
    let bitLength = length &* 8
    // The last one or two blocks: the buffered bytes, 0x80, zeros, the length (big-endian).
    var tail = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
    withUnsafeMutableBytes(of: &tail) { t in
      let n = buffer.count
      buffer.withUnsafeBytes { b in if n > 0 { t.baseAddress!.copyMemory(from: b.baseAddress!, byteCount: n) } }
      t[n] = 0x80
      let total = n + 1 + 8 <= 64 ? 64 : 128
      for j in 0..<8 { t[total - 1 - j] = UInt8(truncatingIfNeeded: bitLength >> UInt64(8 * j)) }
      Self.compress(&state, UnsafeRawPointer(t.baseAddress!), blocks: total / 64)
    }
    buffer.removeAll()
    let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
    var out: [UInt8] = []
    out.reserveCapacity(32)
    for w in words { for shift in [24, 16, 8, 0] as [UInt32] { out.append(UInt8(truncatingIfNeeded: w >> shift)) } }
    return out
  }

  /// The digest as 64 lowercase hexadecimal digits.
  package mutating func finalizeHex() -> String {
    let digest = finalize()
    return String(unsafeUninitializedCapacity: 64) { out in
      let digits: StaticString = "0123456789abcdef"
      let d = digits.utf8Start
      for (j, b) in digest.enumerated() {
        out[2 * j] = d[Int(b >> 4)]
        out[2 * j + 1] = d[Int(b & 0x0f)]
      }
      return 64
    }
  }

  private static let k: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
  ]

  /// The compression function over `blocks` consecutive 64-byte blocks at `p`.
  private static func compress(
    _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32), _ p: UnsafeRawPointer, blocks: Int
  ) {
    @inline(__always) func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
    k.withUnsafeBufferPointer { k in
      var w = (UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
               UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0))
      withUnsafeMutableBytes(of: &w) { raw in
        let w = raw.bindMemory(to: UInt32.self)
        for b in 0..<blocks {
          let block = p + 64 * b
          var (a, bb, c, d, e, f, g, h) = state
          for t in 0..<64 {
            let wt: UInt32
            if t < 16 {
              wt = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self))
            } else {
              let w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15]
              let s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >> 3)
              let s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >> 10)
              wt = w[t & 15] &+ s0 &+ w[(t - 7) & 15] &+ s1
            }
            w[t & 15] = wt
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ ch &+ k[t] &+ wt
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let maj = (a & bb) ^ (a & c) ^ (bb & c)
            let t2 = s0 &+ maj
            h = g; g = f; f = e; e = d &+ t1; d = c; c = bb; bb = a; a = t1 &+ t2
          }
          state = (
            state.0 &+ a, state.1 &+ bb, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h
          )
        }
      }
    }
  }
}
