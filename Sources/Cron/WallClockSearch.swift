extension CronExpression {
    /// The first wall-clock minute at or after `lowerBound` and before `upperBound` that the expression
    /// matches, both counted in minutes since 1970-01-01T00:00 on the wall-clock timeline (local time
    /// written as if it were UTC).
    ///
    /// Jumps field by field — to the next selected month, the next matching day, the next selected hour,
    /// the next selected minute — so a search costs at most a few hundred steps per year scanned.
    func firstMatchingWallClockMinute(atOrAfter lowerBound: Int, before upperBound: Int) -> Int? {
        let firstDay = floorDivide(lowerBound, 1_440)
        var date = CivilDate(ordinal: firstDay)
        let minuteOfDay = lowerBound - firstDay * 1_440
        var hour = minuteOfDay / 60
        var minute = minuteOfDay % 60

        func startOfNextDay() {
            date = date.next
            hour = 0
            minute = 0
        }

        while date.ordinal * 1_440 + hour * 60 + minute < upperBound {
            if !months.contains(date.month) {
                let nextMonth = months.firstMember(after: date.month)
                let year = nextMonth == nil ? date.year + 1 : date.year
                guard let month = nextMonth ?? months.firstMember else { return nil }
                date = CivilDate(year: year, firstOfMonth: month)
                hour = 0
                minute = 0
                continue
            }
            if !matchesDay(date) {
                startOfNextDay()
                continue
            }
            if !hours.contains(hour) {
                if let nextHour = hours.firstMember(after: hour) {
                    hour = nextHour
                    minute = 0
                } else {
                    startOfNextDay()
                }
                continue
            }
            if !minutes.contains(minute) {
                if let nextMinute = minutes.firstMember(after: minute) {
                    minute = nextMinute
                } else if let nextHour = hours.firstMember(after: hour) {
                    hour = nextHour
                    minute = 0
                } else {
                    startOfNextDay()
                }
                continue
            }
            return date.ordinal * 1_440 + hour * 60 + minute
        }
        return nil
    }
}
