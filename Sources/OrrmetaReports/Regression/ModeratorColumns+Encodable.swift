// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaIO

/// A moderator as written in `regress` and `pfs` reports: an element of `moderators`
/// (`Docs/regress.schema.json`); `levels` and `reference` are `null` for a continuous one.
extension ModeratorColumns.Column: NullPreservingEncodable {
  private enum CodingKeys: String, CodingKey {
    case name, type, levels, reference
  }

  package func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(name, forKey: .name)
    try c.encode(type, forKey: .type)
    try c.encode(levels, forKey: .levels)
    try c.encode(reference, forKey: .reference)
  }
}
