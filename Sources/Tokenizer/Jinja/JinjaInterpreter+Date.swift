extension JinjaInterpreter {
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]
    private static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// C's `strftime` for the fields chat templates use (`%d %-d %e %m %-m %Y %y %B %b %A %a %H %I %M %S
    /// %p %j %%`), in UTC; other fields are kept as written.
    static func strftime(_ format: String, unixTime: Double) -> String {
        let seconds = Int(unixTime.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let weekday = ((days % 7) + 7 + 3) % 7  // 1970-01-01 was a Thursday (Monday = 0).
        let hour = secondOfDay / 3600, minute = secondOfDay % 3600 / 60, second = secondOfDay % 60
        let dayOfYear = days - daysSinceEpoch(year: year, month: 1, day: 1) + 1
        func padded(_ value: Int, _ width: Int = 2) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var result = ""
        var scalars = format.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "%", var field = scalars.next() else { result.unicodeScalars.append(scalar); continue }
            var unpadded = false
            if field == "-", let next = scalars.next() {
                unpadded = true
                field = next
            }
            func number(_ value: Int, _ width: Int = 2) -> String { unpadded ? String(value) : padded(value, width) }
            switch field {
            case "d": result += number(day)
            case "e": result += unpadded ? String(day) : (day < 10 ? " " : "") + String(day)
            case "m": result += number(month)
            case "Y": result += String(year)
            case "y": result += number(year % 100)
            case "B": result += months[month - 1]
            case "b", "h": result += String(months[month - 1].prefix(3))
            case "A": result += weekdays[weekday]
            case "a": result += String(weekdays[weekday].prefix(3))
            case "H": result += number(hour)
            case "I": result += number(hour % 12 == 0 ? 12 : hour % 12)
            case "M": result += number(minute)
            case "S": result += number(second)
            case "p": result += hour < 12 ? "AM" : "PM"
            case "j": result += number(dayOfYear, 3)
            case "%": result += "%"
            default:
                result += "%" + (unpadded ? "-" : "")
                result.unicodeScalars.append(field)
            }
        }
        return result
    }

    /// Howard Hinnant's `civil_from_days`.
    private static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Howard Hinnant's `days_from_civil`.
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
