// CLinux: Linux calls that `import Glibc` does not expose to Swift (epoll, eventfd, accept4,
// perf_event_open, SCM_RIGHTS helpers), each a thin wrapper named isoring_*.
#ifndef ISORING_CLINUX_H
#define ISORING_CLINUX_H
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/resource.h>
#include <sched.h>
#include <signal.h>
#include <pthread.h>

/// accept4(2) is _GNU_SOURCE-only in glibc's header.
int isoring_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
/// sched_setaffinity(2) for one CPU (the CPU_SET macros are not importable).
int isoring_pin_to_cpu(int cpu);
/// perf_event_open(2) for a tracepoint id (from tracefs) or a software event.
/// type: PERF_TYPE_TRACEPOINT or PERF_TYPE_SOFTWARE; pid -1 + cpu N or pid 0 + cpu -1.
int isoring_perf_event_open(uint32_t type, uint64_t config, int pid, int cpu, int inherit);
/// PERF_EVENT_IOC_ENABLE / _DISABLE / _RESET on a perf event fd, applied to the inherited
/// children too (the kernel walks the event's child list); ioctl(2) is variadic, so Swift
/// cannot call it directly. Each returns ioctl's result (0 or -1 with errno).
int isoring_perf_event_enable(int fd);
int isoring_perf_event_disable(int fd);
int isoring_perf_event_reset(int fd);
/// Sends `fd` over the Unix socket `sock` with SCM_RIGHTS, together with `len` bytes of data.
ssize_t isoring_send_fd(int sock, int fd, const void *data, size_t len);
/// Receives up to `cap` bytes and at most one descriptor (into *fd, or -1) from `sock`.
ssize_t isoring_recv_fd(int sock, int *fd, void *data, size_t cap);
/// The CPU the calling thread runs on.
int isoring_current_cpu(void);
/// pthread_setname_np(3), _GNU_SOURCE-only (names show in top -H and perf).
int isoring_set_thread_name(pthread_t thread, const char *name);
/// How CLOCK_THREAD_CPUTIME_ID reads on a thread are answered (see thread_clock.c).
enum {
    /// libc's clock: one syscall per read.
    ISORING_THREAD_CLOCK_EXACT = 0,
    /// CLOCK_MONOTONIC (vDSO): time spent, not CPU time.
    ISORING_THREAD_CLOCK_WALL = 1,
    /// CPU time bounded from above by the vDSO clock, read for real at most every 2 ms.
    ISORING_THREAD_CLOCK_LAZY = 2,
};
/// Sets the calling thread's mode, for JavaScriptCore's watchdog; returns 1 when the
/// interposition is in effect (the executable exports clock_gettime), 0 when it is not.
int isoring_thread_clock_set_mode(int mode);
/// Real CPU-clock reads the calling thread's lazy mode has made (for tests and reports).
unsigned long long isoring_thread_clock_resyncs(void);
/// The calling thread's CPU time in nanoseconds from libc's clock, past the interposer.
long long isoring_thread_cpu_ns_exact(void);
/// gettid(2).
int isoring_gettid(void);
/// Creates and closes a one-entry io_uring with io_uring_setup(2), without liburing, so test
/// helpers can tell why io_uring is unusable. Returns 0 when it works, else -errno
/// (ENOSYS: not built in or filtered by seccomp; EPERM: kernel.io_uring_disabled or seccomp).
int isoring_io_uring_setup_probe(void);
#endif
