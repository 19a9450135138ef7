// CLiburing: liburing for Swift. Swift imports liburing's `static inline` helpers directly;
// only function-like macros and flag constants it cannot see are wrapped here, one each.
#ifndef ISORING_CLIBURING_H
#define ISORING_CLIBURING_H
#include <liburing.h>

/// `io_uring_for_each_cqe` is a macro; Swift uses io_uring_peek_batch_cqe instead, so nothing
/// is needed for it. The buf-ring tail lives in a union Swift cannot address cleanly.
static inline void isoring_uring_buf_ring_init(struct io_uring_buf_ring *br) {
    io_uring_buf_ring_init(br);
}
#endif
