"""Where a profiled server's instructions go, from a `valgrind --tool=callgrind` dump: per sign-in (or any unit of
work), by what the work is for, by what kind of work it is, and the functions with the largest self cost.
Prints Markdown tables (docs/performance.md, "Where a sign-in's CPU goes").

  callgrind_groups.py DUMP UNITS --build BUILD_DIR [--idle IDLE_DUMP --window SECONDS --idle-window SECONDS]

DUMP is one part written by `callgrind_control -d` around the measured work, UNITS how many sign-ins it holds.
BUILD_DIR is the SwiftPM scratch path's configuration folder (`.build/release`): the objects there, and the Swift
toolchain's static libraries, tell which module defines each symbol. With an idle dump of the same server over
IDLE_WINDOW seconds, its work scaled to the measured WINDOW is subtracted (the background polling). The binary may be
stripped of DWARF (`objcopy --strip-debug`: valgrind 3.19 cannot read Swift's DWARF 5) but must keep its symbols.

Self cost of the Swift runtime, the standard library, Foundation, libc, Mustache and the crypto libraries is charged to
the nearest caller outside them, split between callers in proportion to the cost of each call; then each function is
put in a group by its name or module. Async functions are not charged through: callgrind sees a continuation's
resumer as its caller, so only synchronous chains are followed.
"""
import argparse
import collections
import glob
import os
import re
import subprocess
import sys

sys.setrecursionlimit(20000)

# Modules whose work is done for a caller: their self cost goes to the nearest caller outside them.
CHARGED_TO_CALLER = {
    "swiftCore", "swiftRuntime", "libc", "unknown", "FoundationEssentials", "Foundation", "CoreFoundation",
    "FoundationInternationalization", "_FoundationICU", "swift_RegexParser", "swift_StringProcessing",
    "swiftSynchronization", "DequeModule", "HashTreeCollections", "InternalCollectionsUtilities", "_RopeModule",
    "OrderedCollections", "Algorithms", "Atomics", "CNIOAtomics", "Mustache", "Crypto", "CCryptoBoringSSL",
    "CCryptoBoringSSLShims", "CryptoBoringWrapper", "_CryptoExtras", "CNIOBoringSSLShims", "LogintooTemplates",
}
# Helpers called from many places: also charged to their caller.
SHARED_HELPERS = re.compile(r"Translations\.|\bWords\b|Base64URL|ReadableTime|URLQuery\.|HTMLText|Hex\.")
GENERIC = re.compile(
    r"^(specialized |partial apply for specialized |closure #\d+ in specialized |merged )?(static )?"
    r"(__RawDictionaryStorage|_NativeDictionary|Dictionary|Set|Array|ContiguousArray|_ContiguousArrayBuffer|_ArrayBuffer"
    r"|Collection|BidirectionalCollection|Sequence|RangeReplaceableCollection|MutableCollection|String|Substring"
    r"|_StringGuts|Data|Character|Unicode|_copy|getContiguousArrayStorageType)|^outlined |^__swift_"
    r"|^type metadata accessor for (Swift\.|__|CheckedContinuation)"
    r"|^(initializeWithCopy|destroy|assignWithCopy|assignWithTake|initializeWithTake) for (Any|Swift)|^_swift_")
# What the work is for, by function name, first match wins.
BY_NAME = [
    ("JWT signing (ES256, two signatures)", r"SigningKey\.sign|JWS\.sign|SigningKey\.halfHash"),
    ("email composition (Mustache, translations)", r"TemplatedSignInEmailComposer|SignInEmail|EmailLayout"),
    ("outbox (seal, queue, worker, console mailer)",
     r"Sealing\.|OutboxWorker|ConsoleMailer|QueueWorkerLoop|MIMEMessage|EmailMessage|Doorbell"),
    ("page rendering (Mustache, translations)", r"LoginEndpoints\.show|LoginEndpoints\.page|Pages\.|PageTheme"),
    ("one-time code digest, CSRF, other HMAC/SHA", r"SecretDigest|codeDigest|confirmationNumber|CSRF|PKCE"),
    ("cookies and session", r"[Cc]ookie|SessionIdentifier|SessionOrigin|KnownBrowser|SignedInBrowser|sessionOrigin"),
    ("JSON encoding/decoding",
     r"JSONText|JSONObjectWriter|JSONEncoder|JSONDecoder|JSONSerialization|JSONWriter|JSONScanner|JSONMap"
     r"|init\(from:\)|encode\(to:\)"),
    ("logging", r"^(.*\b)?(Logger|LogHandler|LogFormat|StreamLogHandler)"),
    ("metrics", r"Metrics|Prometheus|Counter|Timer\.record|Recorder"),
    ("tracing", r"Traces|Tracer|Span"),
    ("routing and middleware (Hummingbird router, our middlewares)",
     r"Router|Middleware|RequestID|ServerLogo|ErrorPage|TrustedProxies"),
    ("form/body/query parsing", r"FormBody|URLQuery|collectBody|queryParameters|HeaderText"),
]
SQL = "SQLite and store (SQLite C, SQLKit, our SQLStore)"
BY_MODULE = [
    (SQL, {"VaporCSQLite", "SQLKit", "SQLiteKit", "SQLiteNIO", "LogintooStore", "PostgresNIO", "AsyncKit"}),
    ("HTTP serving (NIO, Hummingbird core, HTTP parser)",
     {"NIOCore", "NIOPosix", "NIOHTTP1", "NIOHTTP2", "CNIOLLHTTP", "NIOHTTPTypes", "NIOHTTPTypesHTTP1", "HTTPTypes",
      "HummingbirdCore", "Hummingbird", "HummingbirdHTTP2", "HummingbirdRouter", "NIOExtras", "NIOConcurrencyHelpers",
      "CNIOPosix", "CNIOLinux", "_NIOFileSystem", "HTTPTypesFoundation", "NIOTLS", "NIOSSL", "AsyncAlgorithms",
      "ServiceLifecycle", "UnixSignals"}),
    ("Swift concurrency runtime (tasks, executors)", {"swift_Concurrency", "dispatch", "swiftDispatch"}),
    ("logging", {"Logging"}),
    ("metrics", {"Metrics", "CoreMetrics", "Prometheus"}),
    ("tracing", {"Tracing", "Instrumentation", "InstrumentationBaggage", "LogintooTraces"}),
]
# What kind of work, by self cost alone (nothing charged to callers).
KINDS = [
    ("allocation (malloc/free, Swift object and task allocation)",
     lambda n, m: re.search(r"^(malloc|free|cfree|calloc|realloc|_int_malloc|_int_free|_int_realloc|malloc_consolidate"
                            r"|unlink_chunk|tcache|swift_allocObject|swift_deallocObject|swift_slowAlloc|swift_slowDealloc"
                            r"|swift_deallocClassInstance|swift_task_alloc|swift_task_dealloc|swift_allocBox"
                            r"|sqlite3MemMalloc|sqlite3MemFree)", n)),
    ("reference counting (retain/release)",
     lambda n, m: re.search(r"swift_(retain|release|bridgeObjectRe|unknownObjectRe|nonatomic)|RefCounts"
                            r"|swift_isUniquelyReferenced|swift_beginAccess|swift_endAccess", n)),
    ("memcpy/memset/memcmp", lambda n, m: re.search(r"^__(mem|str)|^mem(cpy|set|move|cmp)", n)),
    ("dynamic casts, generic metadata, conformance lookups",
     lambda n, m: re.search(r"tryCast|swift_dynamicCast|onformsToProtocol|ConformanceCache|Metadata|metadata accessor"
                            r"|getTypeByMangled|instantiateConcreteType|_checkGenericRequirements|swift_getWitnessTable"
                            r"|GenericWitnessTable|swift_getAssociated|TypeContextDescriptor|swift_cvw|existential"
                            r"|ValueWitness", n)),
    ("hashing and dictionary lookups",
     lambda n, m: re.search(r"Hasher|hash\(into|hashValue|_rawHashValue|RawDictionaryStorage|_NativeDictionary"
                            r"|_NativeSet|Dictionary", n)),
    ("Foundation (CFString, NSString bridging, Data, Date, URL, ICU)",
     lambda n, m: m in ("Foundation", "FoundationEssentials", "CoreFoundation", "_FoundationICU",
                        "FoundationInternationalization") or re.search(r"NSString|CFString", n)),
    ("Swift String and Character work",
     lambda n, m: re.search(r"String|Character|Unicode|_allASCII|utf8|UTF8|Substring|_Normalization|grapheme", n)),
    ("SQLite engine (C)", lambda n, m: m == "VaporCSQLite"),
    ("BoringSSL (SHA-256, HMAC, P-256, AES)", lambda n, m: m.startswith("CCryptoBoringSSL")),
    ("Swift concurrency runtime", lambda n, m: m in ("swift_Concurrency", "dispatch")),
    ("other Swift standard library and runtime", lambda n, m: m in ("swiftCore", "swiftRuntime")),
    ("other C library", lambda n, m: m in ("libc", "unknown")),
    ("other library code (NIO, Hummingbird, HTTPTypes, SQLKit, Mustache, swift-crypto …)",
     lambda n, m: not m.startswith("Logintoo")),
    ("Logintoo's own modules (with the generic specialisations emitted there)", lambda n, m: True),
]


def parse(path):
    """Self cost per function, and the inclusive cost and count of each caller → callee edge (Ir only)."""
    names, self_cost, edges = {}, collections.Counter(), collections.Counter()
    function = callee = None
    in_call = False

    def name(spec):
        match = re.match(r"\((\d+)\)(?:\s(.*))?$", spec)
        if not match:
            return spec
        if match.group(2) is not None:
            names[match.group(1)] = match.group(2)
        return names[match.group(1)]

    for line in open(path, errors="replace"):
        if not line.strip():
            continue
        if line[0].isdigit() or line[0] in "+-*":
            parts = line.split()
            cost = int(parts[1]) if len(parts) > 1 else 0
            if in_call:
                edges[(function, callee)] += cost
                in_call = False
            else:
                self_cost[function] += cost
        elif line.startswith("fn="):
            function = name(line[3:].rstrip("\n"))
        elif line.startswith("cfn="):
            callee = name(line[4:].rstrip("\n"))
        elif line.startswith("calls="):
            in_call = True
    return self_cost, edges


def symbol_modules(build):
    modules = {}

    def add(path, module):
        out = subprocess.run(["nm", "--defined-only", path], capture_output=True, text=True).stdout
        for line in out.split("\n"):
            parts = line.split()
            if len(parts) >= 3 and parts[1] in "tTwWiI":
                modules.setdefault(parts[2], module)

    for folder in glob.glob(os.path.join(build, "*.build")):
        module = os.path.basename(folder)[: -len(".build")]
        for path in glob.glob(folder + "/**/*.o", recursive=True):
            add(path, module)
    swiftc = subprocess.run(["which", "swiftc"], capture_output=True, text=True).stdout.strip()
    static = os.path.join(os.path.dirname(os.path.realpath(swiftc)), "..", "lib", "swift_static", "linux")
    for path in glob.glob(os.path.join(static, "*.a")):
        add(path, os.path.basename(path)[3:-2])
    return modules


def demangle(symbols):
    out = subprocess.run(["swift-demangle", "--simplified"], input="\n".join(symbols), capture_output=True,
                         text=True).stdout.split("\n")
    return dict(zip(symbols, out))


class Profile:
    def __init__(self, path, modules):
        self.self_cost, self.edges = parse(path)
        symbols = sorted(set(self.self_cost) | {callee for _, callee in self.edges} | {c for c, _ in self.edges})
        self.names = demangle(symbols)
        # The runtime's C++ functions come demangled from callgrind and mangled from nm.
        self.modules = {s: modules.get(s, modules.get(s.split("(")[0], "unknown" if s.startswith("0x") else
                                                      "swiftRuntime" if "swift::" in s else "libc"))
                        for s in symbols}
        self.callers = collections.defaultdict(list)
        for (caller, callee), cost in self.edges.items():
            if caller != callee and cost > 0:
                self.callers[callee].append((caller, cost))
        self.memo = {}

    def group(self, symbol):
        name, module = self.names.get(symbol, symbol), self.modules.get(symbol, "libc")
        if SHARED_HELPERS.search(name) and "init(from:)" not in name:
            return None
        if GENERIC.search(name) and not re.search(r"SQLStore|Sealing|JSONText", name):
            return None
        if module in ("VaporCSQLite", "SQLKit", "SQLiteKit", "SQLiteNIO"):
            return SQL
        for group, pattern in BY_NAME:
            if re.search(pattern, name):
                return group
        for group, members in BY_MODULE:
            if module in members:
                return group
        if module in CHARGED_TO_CALLER:
            return None
        return f"our other code ({module})" if module.startswith("Logintoo") else f"other ({module})"

    def charged(self, symbol, stack=frozenset()):
        """The groups `symbol`'s self cost is charged to, as fractions; None on a recursion."""
        if symbol in self.memo:
            return self.memo[symbol]
        group = self.group(symbol)
        if group is not None:
            result = {group: 1.0}
        elif symbol in stack or len(stack) > 60:
            return None
        else:
            shares = [(self.charged(caller, stack | {symbol}), cost) for caller, cost in self.callers.get(symbol, [])]
            shares = [(share, cost) for share, cost in shares if share is not None]
            total = sum(cost for _, cost in shares)
            if total == 0:
                result = {"thread roots" if not self.callers.get(symbol) else "runtime, not attributable (recursion)": 1.0}
            else:
                result = collections.Counter()
                for share, cost in shares:
                    for group, fraction in share.items():
                        result[group] += fraction * cost / total
                result = dict(result)
        self.memo[symbol] = result
        return result

    def groups(self):
        out = collections.Counter()
        for symbol, cost in self.self_cost.items():
            if cost:
                for group, fraction in (self.charged(symbol) or {"runtime, not attributable (recursion)": 1.0}).items():
                    out[group] += cost * fraction
        return out

    def kinds(self):
        out = collections.Counter()
        for symbol, cost in self.self_cost.items():
            name, module = self.names.get(symbol, symbol), self.modules.get(symbol, "libc")
            out[next(kind for kind, test in KINDS if test(name, module))] += cost
        return out


def table(rows, units, total, header):
    print(f"| {header} | instructions per sign-in | share |\n| --- | ---: | ---: |")
    for value, label in sorted(((v, k) for k, v in rows.items()), reverse=True):
        if abs(value) / units >= 500:
            print(f"| {label} | {value / units:,.0f} | {100 * value / total:.1f} % |")
    print(f"| total | {total / units:,.0f} | 100 % |\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dump")
    parser.add_argument("units", type=float)
    parser.add_argument("--build", required=True)
    parser.add_argument("--idle")
    parser.add_argument("--window", type=float)
    parser.add_argument("--idle-window", type=float)
    parser.add_argument("--top", type=int, default=15)
    options = parser.parse_args()
    modules = symbol_modules(options.build)
    profile = Profile(options.dump, modules)
    groups = profile.groups()
    total = sum(profile.self_cost.values())
    print(f"All-in: {total:,} instructions, {total / options.units:,.0f} per sign-in.\n")
    if options.idle:
        idle = Profile(options.idle, modules)
        scale = options.window / options.idle_window
        idle_groups = idle.groups()
        idle_total = sum(idle.self_cost.values()) * scale
        print(f"Idle work over the same time: {idle_total:,.0f} instructions, {idle_total / options.units:,.0f} per "
              f"sign-in, subtracted below.\n")
        for group, cost in idle_groups.items():
            groups[group] -= cost * scale
        total -= idle_total
    table(groups, options.units, total, "what the work is for")
    kinds = profile.kinds()
    table(kinds, options.units, sum(kinds.values()), "what kind of work (self cost, idle work not subtracted)")
    print("| self cost per sign-in | share | function | module |\n| ---: | ---: | --- | --- |")
    all_in = sum(profile.self_cost.values())
    for symbol, cost in profile.self_cost.most_common(options.top):
        name = profile.names[symbol].replace("|", "\\|")
        name = name if len(name) <= 90 else name[:87] + "…"
        print(f"| {cost / options.units:,.0f} | {100 * cost / all_in:.2f} % | `{name}` | {profile.modules[symbol]} |")


if __name__ == "__main__":
    main()
