import Dispatch
import Foundation
import LogintooCore

/// The physical limit of the token endpoint: how many JWS signatures and verifications per second this machine
/// does with the server's own signing code, on one core and on every core at once.
/// Usage: SigningLimit [seconds per measurement, default 2] [algorithm ...; default all]   (prints one JSON object per line)

let seconds = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 2
let cores = ProcessInfo.processInfo.activeProcessorCount

/// A signing input the size of a real access token's header and payload.
let signingInput = Data(("eyJhbGciOiJSUzI1NiIsImtpZCI6ImJlbmNoIiwidHlwIjoiYXQrand0In0."
    + Base64URL.encode(Data(#"{"iss":"https://login.example.com","sub":"u_4Jc8Xx1QmW0t6bHkq2Ls9d","aud":"https://api.example.com","client_id":"c_Ry3Pq8TnZ0aW5kLmVz","scope":"openid email offline_access","iat":1764115200,"exp":1764116100,"jti":"Jt7d0wqk8Hq3V2xZ1yB5nA","email":"person@example.com","email_verified":true}"#.utf8))).utf8)

/// Runs `operation` on `threads` threads for the configured time; returns operations per second over all of them.
func rate(threads: Int, _ operation: @escaping @Sendable () -> Void) -> Double {
    let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
    defer { counts.deallocate() }
    let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
    let start = DispatchTime.now().uptimeNanoseconds
    nonisolated(unsafe) let shared = counts
    DispatchQueue.concurrentPerform(iterations: threads) { index in
        var done = 0
        while DispatchTime.now().uptimeNanoseconds < deadline {
            for _ in 0..<8 { operation() }
            done += 8
        }
        shared[index] = done
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Double(counts.reduce(0, +)) / elapsed
}

let chosen = Set(CommandLine.arguments.dropFirst(2))
for algorithm in SigningAlgorithm.allCases where chosen.isEmpty || chosen.contains(algorithm.rawValue) {
    let key = try SigningKey.generate(algorithm, kid: "bench")
    let signature = try key.sign(signingInput)
    precondition(key.isValidSignature(signature, for: signingInput))
    _ = rate(threads: 1) { _ = try? key.sign(signingInput) }  // warm-up
    let signOne = rate(threads: 1) { _ = try? key.sign(signingInput) }
    let signAll = rate(threads: cores) { _ = try? key.sign(signingInput) }
    let verifyOne = rate(threads: 1) { _ = key.isValidSignature(signature, for: signingInput) }
    let verifyAll = rate(threads: cores) { _ = key.isValidSignature(signature, for: signingInput) }
    print(#"{"alg":"\#(algorithm.rawValue)","cores":\#(cores),"sign_per_core":\#(Int(signOne)),"sign_all_cores":\#(Int(signAll)),"verify_per_core":\#(Int(verifyOne)),"verify_all_cores":\#(Int(verifyAll))}"#)
}
