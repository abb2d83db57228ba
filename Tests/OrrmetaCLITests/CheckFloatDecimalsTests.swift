// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing
import _TestSupport

/// A TOML float keeps the decimals as written (issue 12, item 3): `value = 75.0` is "75.0", not
/// "75", so 244/326 = 74.85% does not reproduce it.
@Suite("orrmeta check: TOML floats keep their decimals")
struct CheckFloatDecimalsTests {
  struct Report: Decodable {
    struct Figure: Decodable {
      var name: String
      var published: String
      var status: String
    }
    var figures: [Figure]
  }

  func figure(_ value: String) throws -> Report.Figure {
    let path = try writeTemporaryFile("published.toml", "[[proportion]]\nname = \"orr\"\nvalue = \(value)  # as printed\npatients = 326\n")
    let r = try runOrrmeta(["check", path, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let rep = try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8))
    return try #require(rep.figures.first { $0.name == "orr" })
  }

  @Test("75.0 (float), \"75.0\" (string) and 7.50e1 are one decimal: not reproduced by any count of 326",
        arguments: ["75.0", "\"75.0\"", "7.50e1", "75.00"])
  func oneDecimal(value: String) throws {
    let f = try figure(value)
    #expect(f.status == "not reproduced", "\(value): \(f.published) \(f.status)")
    #expect(f.published.hasPrefix(value == "75.00" ? "75.00" : "75.0"), "\(f.published)")
  }

  @Test("75 (integer) is 0 decimals: 244/326 = 74.85% reproduces it")
  func integer() throws {
    let f = try figure("75")
    #expect(f.status == "reproduced", "\(f.published) \(f.status)")
  }

  @Test("a float whose text cannot be located (inline table) is an error naming the key and asking for a string")
  func inlineFloat() throws {
    let path = try writeTemporaryFile("published.toml", "proportion = [{ name = \"orr\", value = 75.0, patients = 326 }]\n")
    let r = try runOrrmeta(["check", path])
    #expect(r.status == 65, "\(r.stderr)")
    #expect(r.stderr.contains("value = 75.0 is a TOML float whose decimals cannot be read from the file; write it as a string exactly as printed (value = \"57.30\")"), "\(r.stderr)")
  }
}
