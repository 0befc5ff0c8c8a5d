import Foundation
import LogintooCore

/// The `Date` header's value (RFC 9110 §5.6.7, IMF-fixdate), formatted at most once a second.
struct HTTPDate {
    private var second: Int64 = .min
    private var text = ""

    /// Now, as the header says it.
    mutating func now() -> String {
        let now = Int64(Date().timeIntervalSince1970.rounded(.down))
        if now != second { (second, text) = (now, Self.format(now)) }
        return text
    }

    static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `seconds` since 1970 in UTC, as `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func format(_ seconds: Int64) -> String {
        let (days, time) = ReadableTime.dayAndSecond(of: seconds)
        let (year, month, day) = ReadableTime.civilDate(daysSince1970: days)
        // `weekdays` starts on a Thursday, as 1970 did.
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        let two = ReadableTime.twoDigits
        return "\(weekday), \(two(day)) \(months[Int(month) - 1]) \(year) \(two(time / 3600)):\(two(time % 3600 / 60)):\(two(time % 60)) GMT"
    }
}
