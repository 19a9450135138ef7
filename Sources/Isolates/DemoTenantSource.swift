// DemoTenantSource: the demo tenants compiled into the binary, as a tenant source.
import Tenants

extension TenantSource {
    /// The demo tenants (DemoTenants): what `isoring serve` answers with no --tenants folder.
    public static var demo: TenantSource {
        .builtIn(BuiltInTenants(scripts: DemoTenants.scripts, defaultTenant: DemoTenants.defaultTenant))
    }
}
