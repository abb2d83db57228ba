// SPDX-License-Identifier: GPL-3.0-or-later

/// The report's style sheet (constant; no external fonts or resources).
enum ReportStyleSheet {
  static let css = """
    body { font-family: "DejaVu Sans", Verdana, Helvetica, Arial, sans-serif; color: #1a1a1a; margin: 0; background: #ffffff; }
    main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
    h1 { font-size: 1.6em; margin: 0 0 4px; }
    h2 { font-size: 1.25em; border-bottom: 2px solid #1f4e79; padding-bottom: 4px; margin-top: 36px; }
    h3 { font-size: 1.05em; margin-top: 22px; }
    p.lead { color: #4a4a4a; margin-top: 0; }
    nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; }
    nav a { color: #1f4e79; }
    table { border-collapse: collapse; font-size: 0.86em; margin: 8px 0 12px; }
    th, td { border-bottom: 1px solid #dddddd; padding: 3px 10px; text-align: left; vertical-align: top; }
    thead th { border-bottom: 2px solid #1a1a1a; background: #f4f6f9; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    table.kv th { font-weight: normal; color: #4a4a4a; width: 16em; }
    .cohorts { max-width: 100%; }
    .warnings li { color: #8a3b00; margin-bottom: 3px; }
    .note { color: #5a5a5a; font-style: italic; }
    .headline { font-size: 1.15em; background: #eef3f9; border-left: 4px solid #1f4e79; padding: 8px 12px; }
    figure { margin: 16px 0 28px; }
    figcaption { color: #4a4a4a; font-size: 0.9em; margin-top: 6px; max-width: 900px; }
    .svg-scroll { overflow-x: auto; }
    footer { color: #777777; font-size: 0.85em; margin-top: 40px; border-top: 1px solid #dddddd; padding-top: 8px; }
    """
}
