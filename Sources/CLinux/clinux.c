// CLinux: one small wrapper per call that Swift cannot reach through Glibc.
#define _GNU_SOURCE
#include "CLinux.h"
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

int isoring_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    return accept4(fd, addr, len, flags);
}

int isoring_pin_to_cpu(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof(set), &set);
}

int isoring_perf_event_open(uint32_t type, uint64_t config, int pid, int cpu, int inherit) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.size = sizeof(attr);
    attr.type = type;
    attr.config = config;
    attr.disabled = 1;
    attr.inherit = inherit ? 1 : 0;
    attr.exclude_hv = 1;
    attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    return (int)syscall(SYS_perf_event_open, &attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

int isoring_perf_event_enable(int fd) { return ioctl(fd, PERF_EVENT_IOC_ENABLE, 0); }
int isoring_perf_event_disable(int fd) { return ioctl(fd, PERF_EVENT_IOC_DISABLE, 0); }
int isoring_perf_event_reset(int fd) { return ioctl(fd, PERF_EVENT_IOC_RESET, 0); }

ssize_t isoring_send_fd(int sock, int fd, const void *data, size_t len) {
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
    char control[CMSG_SPACE(sizeof(int))];
    memset(control, 0, sizeof(control));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    return sendmsg(sock, &msg, MSG_NOSIGNAL);
}

ssize_t isoring_recv_fd(int sock, int *fd, void *data, size_t cap) {
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    struct iovec iov = { .iov_base = data, .iov_len = cap };
    char control[CMSG_SPACE(sizeof(int))];
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    *fd = -1;
    ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    if (n < 0) return n;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            memcpy(fd, CMSG_DATA(c), sizeof(int));
        }
    }
    return n;
}

int isoring_current_cpu(void) { return sched_getcpu(); }
int isoring_gettid(void) { return (int)syscall(SYS_gettid); }
int isoring_set_thread_name(pthread_t thread, const char *name) { return pthread_setname_np(thread, name); }

int isoring_io_uring_setup_probe(void) {
    unsigned char params[120]; // struct io_uring_params is 120 bytes; zero means defaults.
    memset(params, 0, sizeof(params));
    long fd = syscall(__NR_io_uring_setup, 1, params);
    if (fd < 0) return -errno;
    close((int)fd);
    return 0;
}
