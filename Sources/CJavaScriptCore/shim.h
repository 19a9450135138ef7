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
/// jsc_options_set_boolean / jsc_options_get_boolean (jsc/JSCOptions.h, the public GLib API;
/// `gboolean` is `int`; both return whether the option exists): JavaScriptCore's options, to be
/// set before the first VM is created.
int jsc_options_set_boolean(const char *option, int value);
int jsc_options_get_boolean(const char *option, int *value);
#endif
