//! Clock and timestamp display for the local account.
//!
//! SHOW prints timestamps as Snowflake's default TIMESTAMP_LTZ output
//! format with a UTC session time zone: `2026-11-28 15:24:46.123 +0000`.

use std::time::{SystemTime, UNIX_EPOCH};

use super::catalog::Millis;

/// Milliseconds since the Unix epoch, now.
pub fn now() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as Millis)
}

/// `YYYY-MM-DD HH:MM:SS.mmm +0000` for a UTC instant.
pub fn format(ms: Millis) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:03} +0000",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        ms % 1000
    )
}

/// Howard Hinnant's days-to-civil conversion (proleptic Gregorian).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_snowflake_ltz_in_utc() {
        assert_eq!(format(0), "1970-01-01 00:00:00.000 +0000");
        assert_eq!(format(1_795_879_486_123), "2026-11-28 15:24:46.123 +0000");
        assert_eq!(format(951_782_400_000), "2000-02-29 00:00:00.000 +0000");
    }
}
