// CLiburing: the two raw system calls the Swift side needs to count and probe exactly.
#define _GNU_SOURCE
#include "CLiburing.h"
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int isoring_uring_enter(int ring_fd, unsigned to_submit, unsigned min_complete,
                        unsigned flags, int64_t timeout_nanos, unsigned min_wait_usec) {
    long rc;
    if ((timeout_nanos > 0 || min_wait_usec > 0) && (flags & IORING_ENTER_GETEVENTS)) {
        struct __kernel_timespec ts = { .tv_sec = timeout_nanos / 1000000000,
                                        .tv_nsec = timeout_nanos % 1000000000 };
        struct io_uring_getevents_arg arg;
        memset(&arg, 0, sizeof(arg));
        arg.sigmask_sz = _NSIG / 8;
        // min_wait_usec in Linux 6.12's struct; without an overall timeout the kernel would end
        // every wait at min_wait, so callers pass one (the loop waits at most 1 s).
        arg.pad = min_wait_usec;
        if (timeout_nanos > 0) arg.ts = (uint64_t)(uintptr_t)&ts;
        rc = syscall(__NR_io_uring_enter, ring_fd, to_submit, min_complete,
                     flags | IORING_ENTER_EXT_ARG, &arg, sizeof(arg));
    } else {
        rc = syscall(__NR_io_uring_enter, ring_fd, to_submit, min_complete, flags, NULL, _NSIG / 8);
    }
    return rc < 0 ? -errno : (int)rc;
}

int isoring_uring_try_setup(unsigned entries, unsigned flags) {
    struct io_uring_params p;
    memset(&p, 0, sizeof(p));
    p.flags = flags;
    long fd = syscall(__NR_io_uring_setup, entries, &p);
    return fd < 0 ? -errno : (int)fd;
}

int isoring_uring_enable_rings(int ring_fd) {
    long rc = syscall(__NR_io_uring_register, ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
    return rc < 0 ? -errno : 0;
}
