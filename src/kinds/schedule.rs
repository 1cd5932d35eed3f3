//! Durations, crons and schedules, parsed and in canonical form.
//!
//! The declared side and the live side must produce the same text for the
//! same schedule, so both go through [`canonical_duration`] and
//! [`Schedule::parse`]: a duration becomes its largest exact unit
//! (`3600 seconds` → `1 hour`, `90 s` → `90 seconds`), a cron becomes
//! `<5 fields> <time zone>` with one space between parts. Pure functions.

use std::fmt;

/// Why a duration, cron or schedule is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// Not `<number> <unit>`.
    #[error(
        "`{0}` is not a duration: write `<number> <unit>` with unit seconds, minutes, hours or days, e.g. `30 minutes`"
    )]
    BadDuration(String),
    /// A cron without the time zone Snowflake requires.
    #[error(
        "the cron `{0}` has no time zone: Snowflake needs one after the 5 fields, e.g. `{0} UTC`"
    )]
    CronWithoutTimeZone(String),
    /// A malformed cron.
    #[error(
        "`{0}` is not a cron: write 5 fields and a time zone, e.g. `0 6 * * * Europe/Paris` ({1})"
    )]
    BadCron(String, String),
    /// A time zone that is not in the IANA time zone database.
    #[error(
        "`{0}` is not a time zone of the IANA time zone database: write a name such as `UTC`, `Europe/Paris` or `America/Los_Angeles`"
    )]
    UnknownTimeZone(String),
}

/// The IANA time zone names (zones and links) Snowflake takes in a cron, one
/// per line; `#` lines are comments. Compiled in, so validation stays offline
/// and gives the same answer on every machine.
const TIME_ZONES: &str = include_str!("time_zones.txt");

/// True when `name` is an IANA time zone name (compared ignoring ASCII case).
pub fn is_time_zone(name: &str) -> bool {
    TIME_ZONES
        .lines()
        .filter(|line| !line.starts_with('#'))
        .any(|zone| zone.eq_ignore_ascii_case(name))
}

/// A positive whole number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    seconds: u64,
}

const UNITS: [(u64, &str); 4] = [
    (86_400, "day"),
    (3_600, "hour"),
    (60, "minute"),
    (1, "second"),
];

impl Duration {
    /// A duration of `seconds` (must be positive to be meaningful).
    pub fn from_seconds(seconds: u64) -> Duration {
        Duration { seconds }
    }

    /// The length in seconds.
    pub fn seconds(self) -> u64 {
        self.seconds
    }

    /// Parses `30 minutes`, `1 day`, `90s`, `2 hours 30 minutes`, `60 MINUTE`.
    pub fn parse(text: &str) -> Result<Duration, ScheduleError> {
        let bad = || ScheduleError::BadDuration(text.to_string());
        let lower = text.trim().to_ascii_lowercase();
        let mut rest = lower.as_str();
        let mut total: u64 = 0;
        if rest.is_empty() {
            return Err(bad());
        }
        while !rest.is_empty() {
            let digits = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            let amount: u64 = rest[..digits].parse().map_err(|_| bad())?;
            rest = rest[digits..].trim_start();
            let unit_len = rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            let factor = unit_seconds(&rest[..unit_len]).ok_or_else(bad)?;
            rest = rest[unit_len..].trim_start_matches([' ', ',']);
            total = amount
                .checked_mul(factor)
                .and_then(|s| total.checked_add(s))
                .ok_or_else(bad)?;
        }
        if total == 0 {
            return Err(bad());
        }
        Ok(Duration { seconds: total })
    }

    /// As an interval for a task `SCHEDULE` (`'90 MINUTES'`), whose largest unit is hours.
    pub fn task_interval_sql(self) -> String {
        let s = self.seconds;
        if s % 3600 == 0 {
            format!("{} HOURS", s / 3600)
        } else if s % 60 == 0 {
            format!("{} MINUTES", s / 60)
        } else {
            format!("{s} SECONDS")
        }
    }
}

fn unit_seconds(unit: &str) -> Option<u64> {
    Some(match unit {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600,
        "d" | "day" | "days" => 86_400,
        _ => return None,
    })
}

impl fmt::Display for Duration {
    /// The canonical text: the largest unit that divides exactly (`1 hour`, `90 seconds`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (size, unit) = UNITS
            .into_iter()
            .find(|(size, _)| self.seconds % size == 0)
            .unwrap_or((1, "second"));
        let n = self.seconds / size;
        write!(f, "{n} {unit}{}", if n == 1 { "" } else { "s" })
    }
}

/// The canonical form of a duration: `"3600 seconds"` → `"1 hour"`.
pub fn canonical_duration(text: &str) -> Result<String, ScheduleError> {
    Duration::parse(text).map(|d| d.to_string())
}

/// A cron expression with its time zone.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cron {
    fields: Vec<String>,
    time_zone: String,
}

const FIELD_RANGES: [(&str, u32, u32); 5] = [
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
];

impl Cron {
    /// Parses `0 6 * * * Europe/Paris`, with or without a leading `USING CRON`.
    pub fn parse(text: &str) -> Result<Cron, ScheduleError> {
        let body = strip_using_cron(text.trim()).unwrap_or(text.trim());
        let parts: Vec<&str> = body.split_whitespace().collect();
        let bad = |why: String| ScheduleError::BadCron(body.to_string(), why);
        match parts.len() {
            5 => return Err(ScheduleError::CronWithoutTimeZone(parts.join(" "))),
            6 => {}
            n => return Err(bad(format!("it has {n} parts"))),
        }
        let mut fields = Vec::with_capacity(5);
        for (part, (what, lo, hi)) in parts.iter().zip(FIELD_RANGES) {
            check_field(part, lo, hi)
                .map_err(|why| bad(format!("the {what} field `{part}` {why}")))?;
            fields.push(part.to_ascii_uppercase());
        }
        let tz = parts[5];
        let tz_ok = tz
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c))
            && tz.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if !tz_ok {
            return Err(bad(format!("`{tz}` is not a time zone name")));
        }
        if !is_time_zone(tz) {
            return Err(ScheduleError::UnknownTimeZone(tz.to_string()));
        }
        Ok(Cron {
            fields,
            time_zone: tz.to_string(),
        })
    }

    /// The time zone (`Europe/Paris`).
    pub fn time_zone(&self) -> &str {
        &self.time_zone
    }

    /// The task `SCHEDULE` value: `USING CRON 0 6 * * * Europe/Paris`.
    pub fn schedule_sql(&self) -> String {
        format!("USING CRON {self}")
    }
}

fn strip_using_cron(text: &str) -> Option<&str> {
    let head = text.get(..10)?;
    head.eq_ignore_ascii_case("using cron")
        .then(|| text[10..].trim())
}

fn check_field(field: &str, lo: u32, hi: u32) -> Result<(), String> {
    if !field
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "*/,-?#".contains(c))
    {
        return Err("has characters a cron field cannot hold".to_string());
    }
    for item in field.split([',', '-', '/', '#']) {
        if let Ok(n) = item.parse::<u32>()
            && !(lo..=hi).contains(&n)
            && !field.contains('/')
        {
            return Err(format!("is out of range {lo}..{hi}"));
        }
    }
    Ok(())
}

impl fmt::Display for Cron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.fields.join(" "), self.time_zone)
    }
}

/// A task schedule: an interval or a cron.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Schedule {
    /// Every so often (`60 minutes`).
    Interval(Duration),
    /// On a cron.
    Cron(Cron),
}

impl Schedule {
    /// Parses `60 minutes`, `60 MINUTE`, `0 6 * * * UTC` or `USING CRON 0 6 * * * UTC`.
    pub fn parse(text: &str) -> Result<Schedule, ScheduleError> {
        if strip_using_cron(text.trim()).is_some() {
            return Cron::parse(text).map(Schedule::Cron);
        }
        match Duration::parse(text) {
            Ok(d) => Ok(Schedule::Interval(d)),
            Err(e) if text.split_whitespace().count() <= 2 => Err(e),
            Err(_) => Cron::parse(text).map(Schedule::Cron),
        }
    }

    /// The text inside `SCHEDULE = '...'`.
    pub fn sql(&self) -> String {
        match self {
            Schedule::Interval(d) => d.task_interval_sql(),
            Schedule::Cron(c) => c.schedule_sql(),
        }
    }
}

impl fmt::Display for Schedule {
    /// The canonical form: a canonical duration or `<5 fields> <TZ>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Schedule::Interval(d) => d.fmt(f),
            Schedule::Cron(c) => c.fmt(f),
        }
    }
}

/// A canonical schedule string from any accepted spelling (also SHOW TASKS' `schedule`).
pub fn canonical_schedule(text: &str) -> Result<String, ScheduleError> {
    Schedule::parse(text).map(|s| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_their_largest_exact_unit() {
        assert_eq!(canonical_duration("3600 seconds").unwrap(), "1 hour");
        assert_eq!(canonical_duration("90 s").unwrap(), "90 seconds");
        assert!(canonical_duration("7200").is_err());
        assert_eq!(canonical_duration("7200 seconds").unwrap(), "2 hours");
        assert_eq!(canonical_duration("1 day").unwrap(), "1 day");
        assert_eq!(canonical_duration("48 hours").unwrap(), "2 days");
        assert_eq!(canonical_duration("60 MINUTE").unwrap(), "1 hour");
        assert_eq!(
            canonical_duration("1 hour 30 minutes").unwrap(),
            "90 minutes"
        );
        assert_eq!(canonical_duration("5m").unwrap(), "5 minutes");
    }

    #[test]
    fn bad_durations_are_refused() {
        for bad in [
            "",
            "soon",
            "0 minutes",
            "5 fortnights",
            "-5 minutes",
            "99999999999999999999 days",
        ] {
            assert!(canonical_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn crons_need_a_time_zone_and_sane_fields() {
        assert_eq!(
            Cron::parse("0  6 * * mon   Europe/Paris")
                .unwrap()
                .to_string(),
            "0 6 * * MON Europe/Paris"
        );
        assert_eq!(
            Cron::parse("USING CRON 0 6 * * * UTC").unwrap().to_string(),
            "0 6 * * * UTC"
        );
        assert_eq!(
            Cron::parse("0 6 * * *"),
            Err(ScheduleError::CronWithoutTimeZone("0 6 * * *".into()))
        );
        assert!(Cron::parse("61 6 * * * UTC").is_err());
        assert!(Cron::parse("*/15 * * * * UTC").is_ok());
        assert!(Cron::parse("0 6 * * * 123").is_err());
    }

    #[test]
    fn time_zones_come_from_the_iana_database() {
        for zone in [
            "UTC",
            "Etc/UTC",
            "Europe/Paris",
            "America/Los_Angeles",
            "US/Pacific",
        ] {
            assert!(Cron::parse(&format!("0 3 * * * {zone}")).is_ok(), "{zone}");
        }
        assert_eq!(
            Cron::parse("USING CRON 0 3 * * * Mars/Olympus"),
            Err(ScheduleError::UnknownTimeZone("Mars/Olympus".into()))
        );
        assert!(!is_time_zone("Europe"));
        assert!(!is_time_zone(
            "# IANA time zone names (zones and links) of tzdata 2025b, one per line;"
        ));
    }

    #[test]
    fn schedules_are_intervals_or_crons() {
        assert_eq!(canonical_schedule("60 minutes").unwrap(), "1 hour");
        assert_eq!(
            canonical_schedule("USING CRON 0 0 * * * UTC").unwrap(),
            "0 0 * * * UTC"
        );
        assert_eq!(
            canonical_schedule("0 0 * * * UTC").unwrap(),
            "0 0 * * * UTC"
        );
        assert!(matches!(
            canonical_schedule("0 0 * * *"),
            Err(ScheduleError::CronWithoutTimeZone(_))
        ));
        assert_eq!(Schedule::parse("1 day").unwrap().sql(), "24 HOURS");
        assert_eq!(
            Schedule::parse("0 0 * * * UTC").unwrap().sql(),
            "USING CRON 0 0 * * * UTC"
        );
    }
}
