// thread_clock: lets a loop thread answer CLOCK_THREAD_CPUTIME_ID from the vDSO monotonic clock.
//
// JavaScriptCore's CPU-time watchdog reads CLOCK_THREAD_CPUTIME_ID on every entry into
// JavaScript; CPU-time clocks have no vDSO path, so each read is a syscall: one per request.
// The executable exports this clock_gettime (see Package.swift), which the dynamic linker binds
// ahead of libc's for every shared library. It forwards every call to libc's, except a
// thread-CPU-time read on a thread that opted in (`--cpu-limit-clock wall`), which it answers
// with CLOCK_MONOTONIC: the limit then counts wall time spent in JavaScript, which equals CPU
// time for a loop thread alone on its core.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>
#include "CLinux.h"

typedef int (*clock_fn)(clockid_t, struct timespec *);
static clock_fn libc_clock_gettime;
static __thread int thread_uses_wall_clock;

static clock_fn resolve(void) {
    clock_fn f = __atomic_load_n(&libc_clock_gettime, __ATOMIC_ACQUIRE);
    if (!f) {
        f = (clock_fn)dlsym(RTLD_NEXT, "clock_gettime");
        __atomic_store_n(&libc_clock_gettime, f, __ATOMIC_RELEASE);
    }
    return f;
}

int clock_gettime(clockid_t clock, struct timespec *ts) {
    if (clock == CLOCK_THREAD_CPUTIME_ID && thread_uses_wall_clock) clock = CLOCK_MONOTONIC;
    return resolve()(clock, ts);
}

int isoring_thread_clock_use_wall(int on) {
    thread_uses_wall_clock = on;
    // Effective only if the dynamic linker binds clock_gettime to the definition above.
    return dlsym(RTLD_DEFAULT, "clock_gettime") == (void *)clock_gettime;
}
