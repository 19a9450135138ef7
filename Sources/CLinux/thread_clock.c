// thread_clock: lets a loop thread answer CLOCK_THREAD_CPUTIME_ID without a syscall per read.
//
// JavaScriptCore's CPU-time watchdog reads CLOCK_THREAD_CPUTIME_ID on every entry into
// JavaScript (to set the CPU deadline) and again when its wall-clock timer fires (to check it).
// CPU-time clocks have no vDSO path, so each read is a syscall: one per request. The executable
// exports this clock_gettime (see Package.swift), which the dynamic linker binds ahead of libc's
// for every shared library. It forwards every call to libc's, except a thread-CPU-time read on a
// thread that opted in, which it answers by the thread's mode:
//
// - ISORING_THREAD_CLOCK_WALL: CLOCK_MONOTONIC. The limit counts wall time spent in JavaScript,
//   which equals CPU time for a loop thread alone on its core.
// - ISORING_THREAD_CLOCK_LAZY: the thread's CPU time, read lazily. CPU time never advances
//   faster than CLOCK_MONOTONIC on one thread, so "CPU time at the last real read + monotonic time
//   since" is an upper bound that costs one vDSO call. The real clock (one syscall) is read again
//   only when the last real read is more than ISORING_LAZY_RESYNC_NS old; the answer is then
//   exact. A read is therefore never more than the off-CPU time of the last resync interval
//   above the truth, so the watchdog stops a handler within that interval of its CPU budget,
//   and a loop that enters JavaScript tens of thousands of times a second pays at most
//   1 s / ISORING_LAZY_RESYNC_NS syscalls a second for the limit instead of one per entry.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>
#include "CLinux.h"

/// Longest a lazy read trusts the monotonic clock before it reads the thread's CPU clock again.
#define ISORING_LAZY_RESYNC_NS 2000000LL

typedef int (*clock_fn)(clockid_t, struct timespec *);
static clock_fn libc_clock_gettime;
static __thread int thread_clock_mode;
/// The last real read of the lazy mode: thread CPU time and CLOCK_MONOTONIC at that moment.
static __thread long long lazy_cpu_ns;
static __thread long long lazy_mono_ns = -1;
static __thread unsigned long long lazy_resyncs;

static clock_fn resolve(void) {
    clock_fn f = __atomic_load_n(&libc_clock_gettime, __ATOMIC_ACQUIRE);
    if (!f) {
        f = (clock_fn)dlsym(RTLD_NEXT, "clock_gettime");
        __atomic_store_n(&libc_clock_gettime, f, __ATOMIC_RELEASE);
    }
    return f;
}

static long long to_ns(const struct timespec *ts) { return (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec; }

static int lazy_thread_clock(clock_fn real, struct timespec *ts) {
    struct timespec mono;
    int rc = real(CLOCK_MONOTONIC, &mono);
    if (rc != 0) return rc;
    long long now = to_ns(&mono);
    if (lazy_mono_ns < 0 || now - lazy_mono_ns >= ISORING_LAZY_RESYNC_NS) {
        struct timespec cpu;
        rc = real(CLOCK_THREAD_CPUTIME_ID, &cpu);
        if (rc != 0) return rc;
        lazy_cpu_ns = to_ns(&cpu);
        lazy_mono_ns = now;
        lazy_resyncs++;
    }
    long long bound = lazy_cpu_ns + (now - lazy_mono_ns);
    ts->tv_sec = bound / 1000000000LL;
    ts->tv_nsec = bound % 1000000000LL;
    return 0;
}

int clock_gettime(clockid_t clock, struct timespec *ts) {
    clock_fn real = resolve();
    if (clock == CLOCK_THREAD_CPUTIME_ID && thread_clock_mode != ISORING_THREAD_CLOCK_EXACT) {
        if (thread_clock_mode == ISORING_THREAD_CLOCK_WALL) return real(CLOCK_MONOTONIC, ts);
        return lazy_thread_clock(real, ts);
    }
    return real(clock, ts);
}

int isoring_thread_clock_set_mode(int mode) {
    thread_clock_mode = mode;
    lazy_mono_ns = -1;
    // Effective only if the dynamic linker binds clock_gettime to the definition above.
    return dlsym(RTLD_DEFAULT, "clock_gettime") == (void *)clock_gettime;
}

unsigned long long isoring_thread_clock_resyncs(void) { return lazy_resyncs; }

long long isoring_thread_cpu_ns_exact(void) {
    struct timespec ts;
    if (resolve()(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return -1;
    return to_ns(&ts);
}
