// SPDX-License-Identifier: GPL-3.0-or-later

#include "CNumberFormat.h"

#include <stdio.h>

int orrmeta_format_double(char *buffer, size_t size, const char *format, double value) {
  return snprintf(buffer, size, format, value);
}
