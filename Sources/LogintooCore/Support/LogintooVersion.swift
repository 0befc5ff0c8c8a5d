/// This build's version, as `logintoo --version` prints it, `/healthz` sends in `Logintoo-Version` and the metrics
/// carry as `logintoo_build_info{version=…}`.
public enum LogintooVersion {
    public static let current = "0.3.0"
}
