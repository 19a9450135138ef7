// Isolate+Extensions: the native bridge's part for the prelude's lazily loaded extensions.
import JSCGlue

/// Operator settings every context reads once, set before the first isolate is made.
public enum PreludeSettings {
    /// `request.cf` as JSON (`--cf colo=LOC,country=XX`); "{}" when not set.
    nonisolated(unsafe) public static var cfJSON = "{}"
    /// The most body bytes one tenant's `caches` keep.
    nonisolated(unsafe) public static var cacheCapBytes = 16 << 20
}

extension Isolate {
    /// Adds `loadExtension(name)` (evaluates Extensions/ext-NAME.js once and returns its
    /// factory) and the settings the extensions read.
    func addExtensionBridge(to bridge: JSCValue) {
        let ctx = context
        ctx.setProperty(bridge, "loadExtension", ctx.makeFunction { [unowned self] args in
            let c = args.context
            let name = c.toString(args[0])
            guard let ext = PreludeScripts.extensions[name] else { throw JSCThrow(c.makeError("no prelude extension \(name)")) }
            let result: Result<JSCValue, JSCError> = Result { () throws(JSCError) in
                try self.context.evaluate(ext.source, sourceURL: ext.url)
            }
            switch result {
            case .success(let factory): return factory
            case .failure(let error):
                // The watchdog may stop a tenant mid-load; anything else is a bug in our script.
                if error.terminated || self.group.terminationRequested { return c.undefined }
                preconditionFailure("isoring prelude extension \(name) failed to install: \(error)")
            }
        })
        SubtleBridge.install(on: bridge, in: ctx)
        ctx.setProperty(bridge, "cfJSON", ctx.string(PreludeSettings.cfJSON))
        ctx.setProperty(bridge, "cacheCapBytes", ctx.number(PreludeSettings.cacheCapBytes))
    }
}
