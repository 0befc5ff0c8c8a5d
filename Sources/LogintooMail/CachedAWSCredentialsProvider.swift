import LogintooCore

/// Temporary credentials kept until shortly before they expire, then fetched again from their source. Callers that
/// arrive while a fetch is under way wait for that one fetch instead of starting their own.
public actor CachedAWSCredentialsProvider: AWSCredentialsProvider {
    public nonisolated let source: any AWSTemporaryCredentialsSource
    let clock: any WallClock
    /// Seconds before the expiration at which new credentials are fetched, so a request signed with the old ones
    /// still reaches AWS before they lapse.
    let refreshMargin: Int64
    private var cached: AWSTemporaryCredentials?
    private var refreshing: Task<AWSTemporaryCredentials, any Error>?

    public init(source: any AWSTemporaryCredentialsSource, clock: any WallClock, refreshMargin: Int64 = 300) {
        (self.source, self.clock, self.refreshMargin) = (source, clock, refreshMargin)
    }

    public nonisolated var sourceName: String { source.name }

    public func current() async throws -> AWSSignatureV4.Credentials {
        if let cached, !needsRefresh(cached) { return cached.credentials }
        let fetch = refreshing ?? startFetch()
        let result = await fetch.result
        if refreshing == fetch {
            refreshing = nil
            if case .success(let fresh) = result { cached = fresh }
        }
        switch result {
        case .success(let fresh):
            return fresh.credentials
        case .failure(let error):
            // Credentials inside the refresh margin are still good for a while: a blip at the source costs nothing.
            if let cached, cached.isValid(at: clock.now()) { return cached.credentials }
            throw error
        }
    }

    private func needsRefresh(_ credentials: AWSTemporaryCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return clock.now() >= expiration - refreshMargin
    }

    private func startFetch() -> Task<AWSTemporaryCredentials, any Error> {
        let fetch = Task { [source] in try await source.fetch() }
        refreshing = fetch
        return fetch
    }
}
