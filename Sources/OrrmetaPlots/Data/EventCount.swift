// SPDX-License-Identifier: GPL-3.0-or-later

/// Events of a total (a cohort's responders of its patients, an arm's events of its patients,
/// or their sums under a diamond), shown as "events/total" in the forest plots' count columns.
package struct EventCount: Sendable, Hashable {
  /// The events (responders).
  package var events: Int
  /// The total (patients).
  package var total: Int

  /// Creates a count.
  package init(_ events: Int, of total: Int) {
    self.events = events; self.total = total
  }

  /// A count when both parts are given (nil: not shown).
  static func given(_ events: Int?, of total: Int?) -> EventCount? {
    guard let events, let total else { return nil }
    return EventCount(events, of: total)
  }

  /// "events/total", as the count columns and tooltips show it.
  var text: String { "\(events)/\(total)" }
}
