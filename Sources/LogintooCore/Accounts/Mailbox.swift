/// The inbox an address delivers to, as every per-address rule keys on it (docs/security.md: limits count mailboxes).
///
/// Spellings of one inbox must share one send quota, one "this wasn't me" pause, one live code and one failure budget,
/// or an attacker multiplies every limit by writing the victim's address differently. Mail itself still goes to the
/// address as given; only the keys use this form.
public enum Mailbox {
    /// Domains whose mail servers ignore dots in the local part and which are one mail system.
    static let gmailDomains: Set<String> = ["gmail.com", "googlemail.com"]

    /// The key every per-address rule uses for `address`, an address already accepted by `EmailAddress` (so its domain
    /// is in A-label form): lower-cased, without a `+tag`, and for Gmail without dots in the local part and with
    /// `googlemail.com` written `gmail.com`.
    public static func canonical(_ address: String) -> String {
        let lowered = address.lowercased()
        guard let at = lowered.lastIndex(of: "@") else { return lowered }
        var local = String(lowered[..<at])
        var domain = String(lowered[lowered.index(after: at)...])
        // A local part that is only a tag ("+news") has no base mailbox to fold into; keep it whole.
        if let plus = local.firstIndex(of: "+"), plus != local.startIndex { local = String(local[..<plus]) }
        if gmailDomains.contains(domain) {
            domain = "gmail.com"
            let undotted = local.filter { $0 != "." }
            if !undotted.isEmpty { local = undotted }
        }
        return local + "@" + domain
    }
}
