/// How log lines are written.
enum LogFormat: String, Sendable, CaseIterable {
    /// Human-readable lines.
    case text
    /// One JSON object per line, for log collectors.
    case json
}
