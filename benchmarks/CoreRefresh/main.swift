import Foundation
import Logging
import LogintooCore
import LogintooStore

/// The refresh grant without HTTP: the core's token service on a SQLite store in a file, wired as the server wires
/// them, with many refresh families rotating at once. Set beside the refresh grant over HTTP, it shows what the HTTP
/// server adds, and beside the signing limit, what the grant's own work (the store, the claims) costs.
/// Usage: CoreRefresh [seconds per measurement, default 2] [families, default 32]   (one JSON object per line)

let seconds = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 2
let families = CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 32

/// CPU seconds this process has used, user and system.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Rotates every family's token until `deadline`; returns the grants made.
func rotate(_ tokens: TokenService, client: Client, from first: [String], until deadline: ContinuousClock.Instant) async throws -> Int {
    try await withThrowingTaskGroup(of: Int.self) { group in
        for token in first {
            group.addTask {
                var token = token, done = 0
                while ContinuousClock.now < deadline {
                    guard let next = try await tokens.refresh(client: client, refreshToken: token, scope: nil).response.refresh_token
                    else { fatalError("a refresh grant answered without a refresh token") }
                    token = next
                    done += 1
                }
                return done
            }
        }
        return try await group.reduce(0, +)
    }
}

let clock = SystemWallClock(), random = SystemRandom()

/// One new grant per family, each for its own account, as a code exchange leaves them; returns their refresh tokens.
func newFamilies(store: SQLStore, client: Client) async throws -> [String] {
    var tokens: [String] = []
    for family in 0..<families {
        let now = clock.now()
        let account = try await store.findOrCreateAccount(email: "person\(family)@example.com", newId: random.token(bytes: 16), now: now)
        let grant = Grant(id: random.token(bytes: 16), clientId: client.id, accountId: account.id, sessionHash: nil,
                          scope: "openid email offline_access", authTime: now, createdAt: now, expiresAt: now + 86_400)
        let token = random.token(bytes: 32)
        try await store.createGrant(
            grant, fromCode: "",
            refreshToken: RefreshToken(tokenHash: SecretDigest.sha256(token), grantId: grant.id, parentHash: nil, createdAt: now,
                                       expiresAt: now + 86_400))
        tokens.append(token)
    }
    return tokens
}

for algorithm in SigningAlgorithm.allCases {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("core-refresh-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = try await SQLiteEngine.open(path: folder.appendingPathComponent("logintoo.sqlite").path, logger: Logger(label: "bench"))
    try await Migrations.migrate(engine, now: clock.now())
    let store = SQLStore(engine: engine)
    let client = try await ClientRegistry(store: store, clock: clock, random: random)
        .register(name: "Bench", redirectURIs: ["https://app.example.com/callback"], confidential: false).client
    let ring = try await KeyRing.load(store: store, algorithm: algorithm, secret: try ServerSecret(bytes: random.bytes(32)), clock: clock,
                                      random: random)
    let tokens = TokenService(store: store, policy: Policy(issuer: "https://login.example.com"), clock: clock, random: random, ring: ring)

    _ = try await rotate(tokens, client: client, from: try await newFamilies(store: store, client: client), until: .now + .milliseconds(500))
    let current = try await newFamilies(store: store, client: client)
    let cpuBefore = cpuSeconds(), start = ContinuousClock.now
    let grants = try await rotate(tokens, client: client, from: current, until: start + .milliseconds(Int(seconds * 1000)))
    let elapsed = ContinuousClock.now - start
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let cpuMs = 1000 * (cpuSeconds() - cpuBefore) / Double(grants)
    try await engine.close()
    print(#"{"alg":"\#(algorithm.rawValue)","families":\#(families),"per_second":\#(Int(Double(grants) / wall)),"cpu_ms_each":\#((cpuMs * 1000).rounded() / 1000)}"#)
}
