// SPDX-License-Identifier: GPL-3.0-or-later

/// orrmeta's version, written into every JSON output.
public enum OrrmetaVersion {
  public static let current = "0.1.0"
}
