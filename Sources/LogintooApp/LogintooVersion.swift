/// This build's version, as `logintoo --version` prints it.
public enum LogintooVersion {
    public static let current = "0.2.0"
}
