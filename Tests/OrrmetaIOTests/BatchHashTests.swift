// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaIO
import Testing

/// SHA-256 against the FIPS 180-4 / NIST example vectors.
@Suite struct BatchHashTests {
  @Test func nistVectors() {
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(SHA256.hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func feedingInPiecesEqualsFeedingAtOnce() {
    let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    for chunk in [1, 3, 63, 64, 65, 200] {
      var h = SHA256()
      var i = 0
      while i < bytes.count { h.update(bytes[i..<min(i + chunk, bytes.count)]); i += chunk }
      #expect(h.finalizeHex() == SHA256.hex(bytes), "chunk \(chunk)")
    }
  }
}
