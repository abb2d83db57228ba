// SPDX-License-Identifier: GPL-3.0-or-later
//
// C's printf of one double, for orrmeta's number formatter (`Fmt` in OrrmetaReports). Swift
// cannot call the variadic snprintf directly; going through `withVaList` built a CVarArg
// list (a class and an existential cast, whose first use scans the binary's protocol-conformance
// records) for every number of every report (Docs/performance.md, "Start-up").
#ifndef ORRMETA_C_NUMBER_FORMAT_H
#define ORRMETA_C_NUMBER_FORMAT_H

#include <stddef.h>

/// snprintf(buffer, size, format, value): `format` takes exactly one double (`%.4f`, `%.1e`).
/// Returns snprintf's result: the length of the whole text, which may exceed `size - 1`.
int orrmeta_format_double(char *buffer, size_t size, const char *format, double value);

#endif
