// CJavaScriptCore: the public JSC C API plus the few exported functions whose headers are
// private in WebKitGTK's package (checked: libjavascriptcoregtk-4.1 exports each symbol).
#ifndef ISORING_CJSC_H
#define ISORING_CJSC_H
#include <JavaScriptCore/JavaScript.h>
#include <stdbool.h>

/// Called by JSC's watchdog when a script has run past the limit; return true to terminate.
typedef bool (*JSShouldTerminateCallback)(JSContextRef ctx, void *context);
/// JSContextGroupSetExecutionTimeLimit (JSContextRefPrivate.h): CPU-time limit per context group.
void JSContextGroupSetExecutionTimeLimit(JSContextGroupRef group, double limit,
                                         JSShouldTerminateCallback callback, void *context);
void JSContextGroupClearExecutionTimeLimit(JSContextGroupRef group);
/// JSGetMemoryUsageStatistics (JSBasePrivate.h): heap size, capacity, extra memory, objects.
JSObjectRef JSGetMemoryUsageStatistics(JSContextRef ctx);
/// JSGlobalContextSetUnhandledRejectionCallback (JSContextRefPrivate.h).
void JSGlobalContextSetUnhandledRejectionCallback(JSGlobalContextRef ctx, JSObjectRef function,
                                                  JSValueRef *exception);
/// JSSynchronousGarbageCollectForDebugging (JSBasePrivate.h), for memory measurements only.
void JSSynchronousGarbageCollectForDebugging(JSContextRef ctx);

/// From the GLib API (jsc/JSCContext.h, jsc/JSCException.h, same library): a module-mode syntax
/// check, which the C API lacks (JSCheckScriptSyntax parses classic scripts only). Declared
/// here with opaque pointers so Swift does not import GLib's headers.
struct _JSCContext;
struct _JSCException;
struct _JSCContext *jsc_context_new(void);
/// Returns a JSCCheckSyntaxResult: 0 success; mode 1 is JSC_CHECK_SYNTAX_MODE_MODULE.
int jsc_context_check_syntax(struct _JSCContext *context, const char *code, long length, int mode,
                             const char *uri, unsigned line_number, struct _JSCException **exception);
const char *jsc_exception_get_message(struct _JSCException *exception);
unsigned jsc_exception_get_line_number(struct _JSCException *exception);
void g_object_unref(void *object);
/// jsc_options_set_boolean / jsc_options_get_boolean (jsc/JSCOptions.h, the public GLib API;
/// `gboolean` is `int`; both return whether the option exists): JavaScriptCore's options, to be
/// set before the first VM is created.
int jsc_options_set_boolean(const char *option, int value);
int jsc_options_get_boolean(const char *option, int *value);

/// JSC::JSLockHolder's constructor (from a JSGlobalObject*, which a JSGlobalContextRef is) and
/// destructor: C++ symbols the library exports (nm -D), bound here by their mangled names. The
/// holder is one RefPtr<VM>; callers give it ISORING_JSLOCKHOLDER_BYTES. Every C API call takes
/// this lock; holding it around several calls makes theirs recursive (no per-call acquire), and
/// microtasks drain when the outermost holder is released.
#define ISORING_JSLOCKHOLDER_BYTES 16
/// Weak: a JavaScriptCore without these symbols (they are not public API) leaves them null,
/// and `isoring_JSLockHolder_available` tells the caller to go on with plain C API calls.
void isoring_JSLockHolder_init(void *holder, JSGlobalContextRef ctx)
    __asm__("_ZN3JSC12JSLockHolderC1EPNS_14JSGlobalObjectE") __attribute__((weak));
void isoring_JSLockHolder_deinit(void *holder) __asm__("_ZN3JSC12JSLockHolderD1Ev") __attribute__((weak));
static inline int isoring_JSLockHolder_available(void) {
    return isoring_JSLockHolder_init != 0 && isoring_JSLockHolder_deinit != 0;
}
#endif
