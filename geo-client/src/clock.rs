//! The hub's clock as seen from the client: signed messages are dated by the hub's time, so a
//! device whose clock is off still produces messages the hub accepts (validity windows are short).

use geo_protocol::Timestamp;

/// Parses an HTTP `Date` header (IMF-fixdate, RFC 9110 §5.6.7: `Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn parse_http_date(text: &str) -> Option<Timestamp> {
    let mut parts = text.split_whitespace();
    let _weekday = parts.next()?;
    let day: u32 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: u32 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() || time.len() != 8 {
        return None;
    }
    Timestamp::parse(&format!("{year:04}-{month:02}-{day:02}T{time}Z")).ok()
}

/// How far the hub's clock is ahead of the local one, in seconds, when the difference matters
/// (more than `tolerance`); zero otherwise, so a correct clock is never second-guessed.
pub fn offset(hub: Timestamp, local: Timestamp, tolerance: i64) -> i64 {
    let d = hub.unix() - local.unix();
    if d.abs() > tolerance {
        d
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        let t = parse_http_date("Tue, 24 Nov 2026 08:59:44 GMT").unwrap();
        assert_eq!(t.to_string(), "2026-11-24T08:59:44Z");
        assert!(parse_http_date("Tue, 24 Nov 2026 08:59:44 UTC").is_none());
        assert!(parse_http_date("Tue, 31 Feb 2026 08:59:44 GMT").is_none());
        assert!(parse_http_date("garbage").is_none());
        assert!(parse_http_date("").is_none());
    }

    #[test]
    fn small_differences_are_ignored() {
        let local = Timestamp::parse("2026-11-24T09:00:00Z").unwrap();
        let hub = Timestamp::parse("2026-11-24T09:00:05Z").unwrap();
        assert_eq!(offset(hub, local, 10), 0);
        let hub = Timestamp::parse("2026-11-24T10:00:00Z").unwrap();
        assert_eq!(offset(hub, local, 10), 3600);
        assert_eq!(offset(local, hub, 10), -3600);
    }
}
