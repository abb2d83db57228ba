// SPDX-License-Identifier: GPL-3.0-or-later

@testable import OrrmetaPipelines
@testable import OrrmetaReports
import Testing
import _TestSupport
@testable import OrrmetaPlots

@Suite("Markup escaping")
struct MarkupEscapingTests {
  @Test("text escapes &, < and >, and existing entities are escaped again")
  func text() {
    #expect(MarkupEscaping.text("a < b & c > d") == "a &lt; b &amp; c &gt; d")
    #expect(MarkupEscaping.text("AT&amp;T") == "AT&amp;amp;T")
    #expect(MarkupEscaping.text("\"quoted\" 'x'") == "\"quoted\" 'x'")
    #expect(MarkupEscaping.text("plain") == "plain")
  }

  @Test("attributes also escape quotes and whitespace controls")
  func attribute() {
    #expect(MarkupEscaping.attribute("a\"b'c<d>&") == "a&quot;b&#39;c&lt;d&gt;&amp;")
    #expect(MarkupEscaping.attribute("x\ny\tz") == "x&#10;y&#9;z")
  }

  @Test("characters XML forbids become U+FFFD")
  func forbidden() {
    #expect(MarkupEscaping.text("a\u{0}b\u{1B}c\u{FFFF}") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
  }

  @Test("an element with hostile text and attributes parses back to the same strings")
  func roundTrip() throws {
    let hostile = "</text><script>alert('x')</script> & \"q\" \u{7}"
    let node = MarkupNode.el("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("data-x", hostile)], [.el("text", [], [.text(hostile)])])
    let tree = try XMLTree.parse(node.rendered)
    let expected = hostile.replacingOccurrences(of: "\u{7}", with: "\u{FFFD}")
    #expect(tree.attributes["data-x"] == expected)
    #expect(tree.find("text").first?.text == expected)
    #expect(tree.find("script").isEmpty)
  }
}
