import Foundation

/// Whether this machine is an EC2 instance, from what the hypervisor shows in local files (no network): the
/// instance metadata service is only worth asking for credentials there.
public enum EC2Host {
    /// Nitro instances give their instance id as the board's asset tag and `Amazon EC2` as the vendor; Xen
    /// instances have a hypervisor UUID starting with `ec2`.
    public static func detected(readFile: (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) }) -> Bool {
        func read(_ path: String) -> String { readFile(path)?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() ?? "" }
        return read("/sys/devices/virtual/dmi/id/sys_vendor") == "amazon ec2"
            || read("/sys/devices/virtual/dmi/id/board_asset_tag").hasPrefix("i-")
            || read("/sys/hypervisor/uuid").hasPrefix("ec2")
    }
}
