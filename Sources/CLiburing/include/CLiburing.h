// CLiburing: liburing for Swift. Swift imports liburing's `static inline` helpers directly;
// only what it cannot see or must not use is wrapped here, one small function each.
#ifndef ISORING_CLIBURING_H
#define ISORING_CLIBURING_H
// <liburing.h> defines _GNU_SOURCE and _XOPEN_SOURCE before its own includes, which changes
// what the system headers declare (fd_set's member is fds_bits instead of __fds_bits). Swift's
// Glibc module and CLinux include the same headers without those macros, and clang refuses a
// Swift target that imports two modules with different copies ("'__fds_bits' from module
// 'CLinux' is not present in definition of 'fd_set' in module 'CLiburing'", seen on clean
// builds). So the headers liburing.h includes are included here first, in the default mode,
// and its include guards make its own includes no-ops.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <inttypes.h>
#include <time.h>
#include <fcntl.h>
#include <sched.h>
// cpu_set_t, which <sched.h> declares only under _GNU_SOURCE (liburing's affinity calls use it).
#include <bits/cpu-set.h>
#include <linux/swab.h>
#include <liburing.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>

/// The buf-ring tail lives in a union Swift cannot address cleanly.
static inline void isoring_uring_buf_ring_init(struct io_uring_buf_ring *br) {
    io_uring_buf_ring_init(br);
}

/// Publishes the SQEs prepared since the last flush to the kernel (what liburing's private
/// __io_uring_flush_sq does) and returns how many SQEs the kernel has not consumed yet.
/// We flush ourselves so that every io_uring_enter(2) goes through isoring_uring_enter and
/// can be counted exactly: io_uring_submit* may skip or add syscalls on its own.
static inline unsigned isoring_uring_flush_sq(struct io_uring *ring) {
    struct io_uring_sq *sq = &ring->sq;
    unsigned tail = sq->sqe_tail;
    // The SQ index array is the identity map; writing it again is cheap and keeps us correct
    // whether or not this liburing version fills it once at set-up.
    for (unsigned i = sq->sqe_head; i != tail; i++) {
        sq->array[i & sq->ring_mask] = i & sq->ring_mask;
    }
    if (sq->sqe_head != tail) {
        sq->sqe_head = tail;
        __atomic_store_n(sq->ktail, tail, __ATOMIC_RELEASE);
    }
    return tail - __atomic_load_n(sq->khead, __ATOMIC_ACQUIRE);
}

/// The SQ ring flags (IORING_SQ_NEED_WAKEUP, IORING_SQ_CQ_OVERFLOW, IORING_SQ_TASKRUN).
static inline unsigned isoring_uring_sq_flags(struct io_uring *ring) {
    return __atomic_load_n(ring->sq.kflags, __ATOMIC_ACQUIRE);
}

/// One io_uring_enter(2) system call, exactly one, never retried here. When `timeout_nanos`
/// is positive and GETEVENTS is set, the wait is bounded with IORING_ENTER_EXT_ARG
/// (kernel 5.11, IORING_FEAT_EXT_ARG). A positive `min_wait_usec` goes in the argument's
/// min_wait_usec (Linux 6.12, IORING_FEAT_MIN_TIMEOUT; liburing 2.3 calls that field `pad`):
/// the wait for `min_complete` completions ends once min_wait has passed with at least one.
/// Returns the result or -errno.
int isoring_uring_enter(int ring_fd, unsigned to_submit, unsigned min_complete,
                        unsigned flags, int64_t timeout_nanos, unsigned min_wait_usec);

/// IORING_FEAT_MIN_TIMEOUT (Linux 6.12), which liburing 2.3's headers predate.
#define ISORING_FEAT_MIN_TIMEOUT (1U << 15)
static inline unsigned isoring_uring_features(struct io_uring *ring) { return ring->features; }

/// io_uring_setup(2) directly, to probe set-up flags without liburing's retries.
/// Returns the ring fd (which the caller closes) or -errno.
int isoring_uring_try_setup(unsigned entries, unsigned flags);

/// IORING_REGISTER_ENABLE_RINGS through io_uring_register(2) (liburing 2.3's
/// io_uring_enable_rings is declared but not exported). Returns 0 or -errno.
int isoring_uring_enable_rings(int ring_fd);
#endif
