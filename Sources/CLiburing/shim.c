// CLiburing has no code of its own: everything lives in the header as static inline.
#include "CLiburing.h"
