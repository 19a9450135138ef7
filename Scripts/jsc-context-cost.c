// jsc-context-cost.c: what one new JavaScriptCore context costs, through the C API alone (no
// Swift, no Isoring): JSContextGroupCreate, JSGlobalContextCreateInGroup, evaluating a prelude
// and calling the factory it returns with an empty `native` object, then the factory's
// `warmUp` hook (the request path's first run). Thread CPU time per step (a loaded machine
// stretches wall time, not CPU time), RSS and /proc/self/maps lines added per context.
// SHARED=1 puts every context in one group (Isoring's --isolate-group per-loop).
// Usage: jsc-context-cost COUNT [PRELUDE.js [warm]]
#include <JavaScriptCore/JavaScript.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc(n + 1);
    if (fread(b, 1, n, f) != (size_t)n) { perror(path); exit(2); }
    b[n] = 0;
    fclose(f);
    return b;
}

static long rss_kb(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) { if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0; fclose(f); }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int map_lines(void) {
    FILE *f = fopen("/proc/self/maps", "r");
    int n = 0, c;
    if (!f) return 0;
    while ((c = fgetc(f)) != EOF) if (c == '\n') n++;
    fclose(f);
    return n;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s COUNT [PRELUDE.js [warm]]\n", argv[0]); return 2; }
    int n = atoi(argv[1]);
    JSStringRef prelude = argc > 2 ? JSStringCreateWithUTF8CString(slurp(argv[2])) : NULL;
    int warm = argc > 3;
    JSStringRef warmName = JSStringCreateWithUTF8CString("warmUp");
    // One context first, so the process-wide set-up (JIT thunks, options) is not counted.
    JSContextGroupRef shared = JSContextGroupCreate();
    JSGlobalContextCreateInGroup(shared, NULL);
    long rss0 = rss_kb();
    int maps0 = map_lines();
    long group = 0, global = 0, install = 0, warmUp = 0;
    for (int i = 0; i < n; i++) {
        long a = cpu_ns();
        JSContextGroupRef g = getenv("SHARED") ? shared : JSContextGroupCreate();
        long b = cpu_ns();
        JSGlobalContextRef c = JSGlobalContextCreateInGroup(g, NULL);
        long d = cpu_ns();
        group += b - a;
        global += d - b;
        if (!prelude) continue;
        JSValueRef ex = NULL;
        JSValueRef factory = JSEvaluateScript(c, prelude, NULL, NULL, 1, &ex);
        JSValueRef native = JSObjectMake(c, NULL, NULL);
        JSValueRef hooks = ex ? NULL : JSObjectCallAsFunction(c, (JSObjectRef)factory, NULL, 1, &native, &ex);
        if (ex) { fprintf(stderr, "the prelude threw\n"); return 1; }
        long e = cpu_ns();
        install += e - d;
        if (!warm) continue;
        JSValueRef fn = JSObjectGetProperty(c, (JSObjectRef)hooks, warmName, NULL);
        JSObjectCallAsFunction(c, (JSObjectRef)fn, NULL, 0, NULL, &ex);
        warmUp += cpu_ns() - e;
    }
    printf("%s, %d contexts: group %ld us, global object %ld us, prelude %ld us, warm-up %ld us (CPU per context); "
           "RSS %ld KB and %.2f mappings per context\n", getenv("SHARED") ? "one shared group" : "a group each", n,
           group / n / 1000, global / n / 1000, install / n / 1000, warmUp / n / 1000,
           (rss_kb() - rss0) / n, (map_lines() - maps0) / (double)n);
    return 0;
}
