// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// A minimal PNG reader: checks the signature, the chunk structure and every chunk's CRC, and
/// reads the image header and the size of the compressed image data (no decompression).
struct PNGFile {
  let width: Int
  let height: Int
  let bitDepth: Int
  let colourType: Int
  /// Total bytes of all IDAT chunks (the compressed pixels): a blank page compresses to a few
  /// kilobytes, a page with text and plots to much more.
  let imageDataBytes: Int

  struct Invalid: Error, CustomStringConvertible { let description: String }

  init(data: Data) throws {
    let bytes = [UInt8](data)
    guard bytes.count > 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
      throw Invalid(description: "not a PNG (bad signature)")
    }
    func u32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
    var i = 8
    var header: (Int, Int, Int, Int)?
    var idat = 0
    var sawEnd = false
    while i + 12 <= bytes.count {
      let length = u32(i)
      let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
      guard i + 12 + length <= bytes.count else { throw Invalid(description: "chunk \(type) runs past the end of the file") }
      let crc = UInt32(truncatingIfNeeded: u32(i + 8 + length))
      guard Self.crc32(bytes[(i + 4)..<(i + 8 + length)]) == crc else { throw Invalid(description: "bad CRC in chunk \(type)") }
      switch type {
      case "IHDR": header = (u32(i + 8), u32(i + 12), Int(bytes[i + 16]), Int(bytes[i + 17]))
      case "IDAT": idat += length
      case "IEND": sawEnd = true
      default: break
      }
      i += 12 + length
      if sawEnd { break }
    }
    guard let header else { throw Invalid(description: "no IHDR chunk") }
    guard sawEnd else { throw Invalid(description: "no IEND chunk (truncated file)") }
    guard idat > 0 else { throw Invalid(description: "no image data") }
    (width, height, bitDepth, colourType) = header
    imageDataBytes = idat
  }

  static let table: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
  }
}
