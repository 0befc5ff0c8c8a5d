/// Whether asking for a code sends one (docs/security.md A4, A9 and the "this wasn't me" pause).
public enum CodeSendRule {
    /// What the store found, inside the transaction that would issue the code.
    public struct Facts: Sendable, Equatable {
        /// The lane of the browser asking.
        public var lane: CodeLane
        /// Every send counter (the lane's per-address ones, the client address's) had room and counted this send.
        public var limitsAllow: Bool
        /// When a "this wasn't me" link last paused this mailbox, if ever.
        public var pausedAt: Int64?
        /// The sign-in asked to keep its live code, and has one with attempts left.
        public var liveCodeToKeep: Bool

        public init(lane: CodeLane, limitsAllow: Bool, pausedAt: Int64?, liveCodeToKeep: Bool) {
            self.lane = lane
            self.limitsAllow = limitsAllow
            self.pausedAt = pausedAt
            self.liveCodeToKeep = liveCodeToKeep
        }
    }

    public enum Decision: Sendable, Equatable {
        /// Send a new code, replacing the lane's live one for the mailbox.
        case issue
        /// Send nothing; the live code stays the one to use.
        case keepLiveCode
        /// Send nothing; the answer looks the same as a send.
        case throttle
    }

    /// A kept live code outranks a throttle (the person is told to use the code they have, which is true); a full
    /// counter throttles; the owner's "this wasn't me" pauses the mailbox for `pause` seconds for unknown browsers only,
    /// so it stops whoever asked without keeping the owner's own known browsers out.
    public static func decide(_ facts: Facts, pause: Int64, now: Int64) -> Decision {
        if facts.liveCodeToKeep { return .keepLiveCode }
        if !facts.limitsAllow { return .throttle }
        if facts.lane == .unknownBrowsers, let pausedAt = facts.pausedAt, now < pausedAt + pause { return .throttle }
        return .issue
    }
}
