/// A coarse name for the browser that asked for a code, such as "Firefox (Linux)", from its User-Agent: enough for a
/// person to recognise their own request, too little to fingerprint anyone, and the same in every language.
public enum BrowserDescription {
    static let browsers: [(marker: String, name: String)] = [
        ("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"), ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
    ]
    static let systems: [(marker: String, name: String)] = [
        ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"), ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"),
    ]

    /// "Browser (System)", one of them, or `nil` when neither is recognised.
    public static func coarse(_ userAgent: String?) -> String? {
        guard let agent = userAgent?.prefix(512) else { return nil }
        let browser = browsers.first { agent.contains($0.marker) }?.name
        let system = systems.first { agent.contains($0.marker) }?.name
        switch (browser, system) {
        case let (browser?, system?): return "\(browser) (\(system))"
        case let (browser?, nil): return browser
        case let (nil, system?): return system
        default: return nil
        }
    }
}
