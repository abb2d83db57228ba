// SPDX-License-Identifier: GPL-3.0-or-later

import OrrmetaReports

extension SVGDocument {
  /// The document with a line under the drawing naming the row filters the cohorts went through
  /// (`--exclude`, `--where`), as every output echoes them; unchanged without filters.
  package func notingRowFilters(_ filters: [String]) -> SVGDocument {
    guard let text = InputSource.rowFilters(filters) else { return self }
    var out = self
    out.children.append(SVG.text(16, height + 4, text, size: SVGStyle.smallFontSize, fill: SVGStyle.muted, cssClass: "row-filters"))
    out.width = max(width, 32 + TextMetrics.width(text, fontSize: SVGStyle.smallFontSize))
    out.height = height + 20
    return out
  }
}
