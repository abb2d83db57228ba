// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OrrmetaIO
import Testing

/// One column lookup (``HeaderColumns``) for every reader: the same case-insensitive match and
/// the same messages for a missing or ambiguous column, whichever reader asks.
@Suite struct HeaderColumnsTests {
  static func table(_ text: String) throws -> CSVTable { try CSVTable.parse(data: Data(text.utf8), file: "t.csv") }

  static func message(_ body: () throws -> Void) -> String {
    do { try body(); return "" } catch { return "\(error)" }
  }

  @Test func lookupIsCaseInsensitiveAndTrimmed() throws {
    let h = try HeaderColumns(Self.table(" Study ,Events,N\na,1,2\n"))
    #expect(h.optionalIndex("study") == 0 && h.optionalIndex(" EVENTS ") == 1 && h.optionalIndex("x") == nil)
    #expect(h.names == ["Study", "Events", "N"])
  }

  @Test func duplicateHeadersAreRefused() throws {
    let m = Self.message { _ = try HeaderColumns(Self.table("study,N,n\na,1,2\n")) }
    #expect(m.contains("duplicate column name 'n' (columns 2 and 3)"), "\(m)")
  }

  /// The cohort reader, the PFS reader and an extra column name a missing column alike.
  @Test func missingColumnMessagesAreOne() throws {
    let t = try Self.table("study,events,n,median_pfs_months\na,1,2,3\n")
    let cohort = Self.message { _ = try CohortFile.load(table: t, columns: .init(label: "trial")) }
    let extra = Self.message { _ = try TableColumn(t, named: "trial", role: "labels") }
    #expect(cohort.contains("no column named 'trial' for labels; the columns are: study, events, n, median_pfs_months"), "\(cohort)")
    #expect(cohort == extra)
    let pfs = Self.message { _ = try PFSFile.load(table: t, columns: .init(value: "median_os")) }
    #expect(pfs.contains("no column named 'median_os' for the medians (--value-column); the columns are: study, events, n, median_pfs_months"), "\(pfs)")
  }

  /// An ambiguous alias: the same message for the cohort size (n) and the PFS weights.
  @Test func ambiguousAliasMessagesAreOne() throws {
    let t = try Self.table("study,events,n,patients,median_pfs_months\na,1,2,2,3\n")
    let cohort = Self.message { _ = try CohortFile.load(table: t, columns: .init()) }
    let pfs = Self.message { _ = try PFSFile.load(table: t, columns: .init()) }
    #expect(cohort.contains("ambiguous n (patients) column: both 'n' and 'patients' are present; choose one with --n-column"), "\(cohort)")
    #expect(pfs.contains("ambiguous weight column: both 'n' and 'patients' are present; choose one with --weights"), "\(pfs)")
  }
}
