/// Times as emails and pages write them for people, and the calendar arithmetic behind them (the `Date` header's too).
public enum ReadableTime {
    /// `2026-11-25 14:05 UTC`: unambiguous in every language. Computed from the proleptic Gregorian calendar (days to
    /// civil date), without a formatter per email.
    public static func utcMinute(_ seconds: Int64) -> String {
        let (days, secondOfDay) = dayAndSecond(of: seconds)
        let (year, month, day) = civilDate(daysSince1970: days)
        let minuteOfDay = secondOfDay / 60
        return "\(year)-\(twoDigits(month))-\(twoDigits(day)) \(twoDigits(minuteOfDay / 60)):\(twoDigits(minuteOfDay % 60)) UTC"
    }

    /// The day since 1 January 1970 that `seconds` since then falls on, in UTC, and the second of that day.
    public static func dayAndSecond(of seconds: Int64) -> (day: Int64, second: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return (days, seconds - days * 86_400)
    }

    /// The proleptic Gregorian date `days` after 1 January 1970, counted in 400-year eras from 1 March of year 0, so
    /// that a leap day ends its year.
    public static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `value` (0 to 99) in two digits.
    public static func twoDigits(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
