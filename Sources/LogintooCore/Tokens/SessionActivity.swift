/// Whether a refresh records activity on the SSO session its grant came from (docs/security.md F39: a successful
/// refresh counts as activity on the linked session).
///
/// Activity is recorded to the minute: a refresh within a minute of the last recorded activity writes nothing, so a busy
/// session is not rewritten on every grant. Sessions stay idle for days before they end, so a minute changes nothing.
public enum SessionActivity {
    /// The smallest step by which a refresh moves a session's last activity, in seconds.
    public static let resolution: Int64 = 60

    /// True when a refresh at `now` should move the session's last activity to `now`: the grant has a live session
    /// (`lastSeenAt` is its last activity) and a minute or more has passed since.
    public static func isWorthRecording(lastSeenAt: Int64?, now: Int64) -> Bool {
        guard let lastSeenAt else { return false }
        return now - lastSeenAt >= resolution
    }
}
