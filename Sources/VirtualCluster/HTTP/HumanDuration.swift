import Foundation

/// apimachinery's `duration.HumanDuration`: how tables print ages (`45s`, `3m20s`, `5h`, `12d`).
/// The server renders `date` printer columns this way, as kube-apiserver does.
enum HumanDuration {
    static func text(_ interval: TimeInterval) -> String {
        if interval < -1 { return "<invalid>" }
        if interval < 0 { return "0s" }
        let seconds = Int(interval)
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = hours / 24
            return days % 365 == 0 ? "\(days / 365)y" : "\(days / 365)y\(days % 365)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
