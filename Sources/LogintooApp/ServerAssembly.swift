import Foundation
import Logging
import LogintooAPICompatibility
import LogintooCore
import LogintooHTTP
import LogintooWebAuthn

/// Builds the core's services on a store and hands the routes what they are built from. Only here do services meet the
/// store; the routes receive services.
public enum ServerAssembly {
    public static func context(policy: Policy, store: any AuthorizationServerStore, secret: ServerSecret, keys: KeyRingSource,
                               clock: any WallClock, random: any RandomSource, composer: any SignInEmailComposer,
                               demoClientId: String?, logger: Logger, readiness: Readiness = Readiness(),
                               metrics: ServerMetrics = ServerMetrics(), relyingPartyID: String? = nil) -> ServerContext {
        let events = AuditTrail(store: store, clock: clock, random: random, logger: logger, metrics: metrics)
        let clients = ClientRegistry(store: store, clock: clock, random: random)
        let signIn = SignInService(store: store, policy: policy, clock: clock, random: random, secret: secret, composer: composer,
                                   events: events)
        let authorization = AuthorizationService(store: store, policy: policy, clock: clock, random: random)
        let tokens = TokenService(store: store, policy: policy, clock: clock, random: random, keys: keys, events: events)
        let passkeys = PasskeyService(store: store, signIn: signIn, tokens: tokens,
                                      relyingParty: relyingParty(issuer: policy.issuer, id: relyingPartyID), policy: policy, clock: clock,
                                      random: random, events: events)
        let accounts = AccountAdministration(store: store, clock: clock, secret: secret, events: events)
        return ServerContext(
            policy: policy, clients: clients, signIn: signIn, authorization: authorization, tokens: tokens,
            logout: LogoutService(store: store, tokens: tokens, policy: policy, clock: clock, events: events),
            passkeys: passkeys, accounts: accounts,
            console: AdminConsole(tokens: tokens, clients: store,
                                  roles: AdminRoles(store: store, clock: clock, random: random, events: events), clock: clock),
            selfService: AccountSelfService(store: store, administration: accounts, signIn: signIn, policy: policy, clock: clock,
                                            random: random, events: events),
            logintooAPI: LogintooAPI(store: store, signIn: signIn, tokens: tokens, passkeys: passkeys, policy: policy,
                                     clock: clock, secret: secret),
            outbox: OutboxMonitor(store: store),
            capabilities: .standard(grants: tokens.grants, signingAlgorithm: keys.current.signingKey.algorithm),
            keys: keys, clock: clock, random: random, csrfKey: secret.key(for: .csrf), demoClientId: demoClientId,
            logger: logger, readiness: readiness, metrics: metrics, events: events,
            adminOperations: AdminOperations(
                clients: ClientAdministration(store: store, clock: clock, random: random, events: events),
                keys: KeyAdministration(store: store, algorithm: keys.current.signingKey.algorithm, secret: secret, clock: clock,
                                        random: random, keys: keys, events: events),
                outbox: OutboxAdministration(store: store, clock: clock, events: events), deliveries: store),
            dpop: DPoPProofs(store: store, nonces: DPoPNonces(secret: secret, clock: clock), clock: clock,
                             requiresNonce: policy.dpopNonceRequired))
    }

    /// The WebAuthn relying party: the issuer's host, or the parent domain `id` names; passkeys answer only the issuer's
    /// origin, as browsers write it (WebAuthn compares both exactly): host in lower case, no default port.
    public static func relyingParty(issuer: String, id: String?) -> RelyingParty {
        guard let parts = URLComponents(string: issuer), let scheme = parts.scheme?.lowercased(), let host = parts.host?.lowercased()
        else { return RelyingParty(id: id ?? issuer, origins: [issuer]) }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = parts.port.flatMap { $0 == defaultPort ? nil : ":\($0)" } ?? ""
        return RelyingParty(id: id ?? host, origins: ["\(scheme)://\(host)\(port)"])
    }
}
