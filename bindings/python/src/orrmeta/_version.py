# SPDX-License-Identifier: GPL-3.0-or-later
"""The package version: the version of the orrmeta binary it runs (Sources/OrrmetaIO/OrrmetaVersion.swift)."""

__version__ = "0.1.0"
