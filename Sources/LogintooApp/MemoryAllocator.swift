#if canImport(Glibc)
import Glibc
#endif

/// Settings of the C allocator for a long-running server.
public enum MemoryAllocator {
    /// Freed memory stays with the process, up to this much at the top of each heap, instead of going back to the kernel.
    static let retainedBytes: Int32 = 64 << 20

    /// Stops the allocator handing freed memory back after every burst of frees. Under load that happened more than once
    /// per request (every SQLite page cache a commit invalidates is freed at once), and each hand-back flushes the TLB of
    /// every core and is followed by page faults that zero the same memory again.
    public static func keepFreedMemory() {
        #if canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which the Glibc module leaves out; glibc's `M_TRIM_THRESHOLD` is -1.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(-1, retainedBytes)
        #endif
    }
}
