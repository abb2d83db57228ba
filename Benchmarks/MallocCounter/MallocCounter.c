// SPDX-License-Identifier: GPL-3.0-or-later
//
// An allocation counter without LD_PRELOAD: the benchmark executable itself defines malloc,
// calloc, realloc, free and the aligned variants, so the dynamic linker binds every call in the
// process (Swift runtime, Foundation, GSL) to these definitions. Each counts the call with one
// relaxed atomic increment and forwards to glibc's own entry points (__libc_malloc, …), which
// glibc exports for exactly this purpose. Only the benchmark links this file.
#include "MallocCounter.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define ORRMETA_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ORRMETA_SANITIZED 1
#endif

// Not under a sanitizer: its runtime defines the allocator itself (make test-asan, test-tsan).
#if defined(__GLIBC__) && !defined(ORRMETA_SANITIZED)
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_memalign(size_t alignment, size_t size);

static _Atomic uint64_t allocations;

static inline void count(void) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); }

void *malloc(size_t size) {
  count();
  return __libc_malloc(size);
}

void *calloc(size_t n, size_t size) {
  count();
  return __libc_calloc(n, size);
}

void *realloc(void *pointer, size_t size) {
  count();
  return __libc_realloc(pointer, size);
}

void free(void *pointer) { __libc_free(pointer); }

void *memalign(size_t alignment, size_t size) {
  count();
  return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
  count();
  return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
  if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
  count();
  void *p = __libc_memalign(alignment, size);
  if (p == NULL && size != 0) return ENOMEM;
  *result = p;
  return 0;
}

int orrmeta_malloc_counter_available(void) { return 1; }
uint64_t orrmeta_malloc_count(void) { return atomic_load_explicit(&allocations, memory_order_relaxed); }

#else

int orrmeta_malloc_counter_available(void) { return 0; }
uint64_t orrmeta_malloc_count(void) { return 0; }

#endif
