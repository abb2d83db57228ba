// SPDX-License-Identifier: GPL-3.0-or-later
//
// Counts heap allocations of the benchmark process (not API; used by orrmeta-bench only).
#ifndef ORRMETA_MALLOC_COUNTER_H
#define ORRMETA_MALLOC_COUNTER_H

#include <stdint.h>

/// Whether this build interposes the allocator (glibc, no sanitizer); when 0 the count stays 0.
int orrmeta_malloc_counter_available(void);

/// Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) made by
/// every thread of the process since it started.
uint64_t orrmeta_malloc_count(void);

#endif
