//! The `Timestamp` signing parameter: UTC, `YYYY-MM-DDThh:mm:ssZ`, no fractional seconds.

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::request::{RequestError, RequestErrorKind};

const PARAM: &str = "Timestamp";

/// A validated UTC timestamp in the exact form the RPC signature expects.
///
/// The library never reads the clock: the caller passes the time in, either as text
/// ([`Timestamp::parse`]) or as a [`SystemTime`] ([`Timestamp::from_system_time`]).
///
/// ```
/// use ecs_ramrole::{RequestErrorKind, Timestamp};
///
/// let t: Timestamp = "2016-02-23T12:46:24Z".parse()?;
/// assert_eq!(Timestamp::from_unix_seconds(1_456_231_584), Some(t));
/// let err = "2016-02-30T12:46:24Z".parse::<Timestamp>().unwrap_err();
/// assert_eq!((err.kind(), err.offset()), (RequestErrorKind::Malformed, Some(8)));
/// # Ok::<(), ecs_ramrole::RequestError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp(Box<str>);

impl Timestamp {
    /// Parses `YYYY-MM-DDThh:mm:ssZ`, checking every field's range (including the
    /// number of days in the month).
    ///
    /// # Errors
    /// [`RequestErrorKind::Malformed`] with the byte offset of the first offending byte.
    pub fn parse(text: &str) -> Result<Self, RequestError> {
        let b = text.as_bytes();
        let malformed = |at: usize, what: &str| {
            RequestError::new(RequestErrorKind::Malformed, PARAM)
                .at(at)
                .with_detail(format!("expected YYYY-MM-DDThh:mm:ssZ, {what}"))
        };
        // Layout first: digits and separators at fixed places.
        const SHAPE: &[u8; 20] = b"dddd-dd-ddTdd:dd:ddZ";
        for (i, &want) in SHAPE.iter().enumerate() {
            let Some(&got) = b.get(i) else {
                return Err(malformed(i, "text ends early"));
            };
            let ok = if want == b'd' {
                got.is_ascii_digit()
            } else {
                got == want
            };
            if !ok {
                return Err(malformed(i, "unexpected character"));
            }
        }
        if b.len() > SHAPE.len() {
            return Err(malformed(SHAPE.len(), "trailing characters"));
        }
        let num = |from: usize, to: usize| {
            b[from..to]
                .iter()
                .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
        };
        let (year, month, day) = (num(0, 4), num(5, 7), num(8, 10));
        if !(1..=12).contains(&month) {
            return Err(malformed(5, "month out of range"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(malformed(8, "day out of range"));
        }
        if num(11, 13) > 23 {
            return Err(malformed(11, "hour out of range"));
        }
        if num(14, 16) > 59 {
            return Err(malformed(14, "minute out of range"));
        }
        if num(17, 19) > 59 {
            return Err(malformed(17, "second out of range"));
        }
        Ok(Self(text.into()))
    }

    /// Formats whole seconds since the Unix epoch; fractions of a second are truncated,
    /// as every official SDK does.
    ///
    /// # Errors
    /// [`RequestErrorKind::Malformed`] for a time before 1970 or after year 9999.
    pub fn from_system_time(time: SystemTime) -> Result<Self, RequestError> {
        let out_of_range = || {
            RequestError::new(RequestErrorKind::Malformed, PARAM)
                .with_detail("time is outside 1970-01-01 to 9999-12-31")
        };
        let secs = time
            .duration_since(UNIX_EPOCH)
            .map_err(|_| out_of_range())?
            .as_secs();
        Self::from_unix_seconds(secs).ok_or_else(out_of_range)
    }

    /// Formats whole seconds since the Unix epoch, or `None` past year 9999.
    pub fn from_unix_seconds(secs: u64) -> Option<Self> {
        let days = secs / 86_400;
        let rem = secs % 86_400;
        let (year, month, day) = civil_from_days(days);
        if year > 9999 {
            return None;
        }
        let text = format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
        Some(Self(text.into()))
    }

    /// Seconds since the Unix epoch (negative before 1970): what a server compares with
    /// its clock.
    pub fn unix_seconds(&self) -> i64 {
        let b = self.0.as_bytes();
        let num = |from: usize, to: usize| {
            b[from..to]
                .iter()
                .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'))
        };
        let days = days_from_civil(num(0, 4), num(5, 7), num(8, 10));
        days * 86_400 + num(11, 13) * 3600 + num(14, 16) * 60 + num(17, 19)
    }

    /// The wire text, e.g. `2016-02-23T12:46:24Z`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Timestamp {
    type Err = RequestError;

    fn from_str(text: &str) -> Result<Self, RequestError> {
        Self::parse(text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.0)
    }
}

fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day), after Howard
/// Hinnant's `civil_from_days` (public-domain date algorithms), for non-negative days.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// A proleptic Gregorian date to days since 1970-01-01, after Howard Hinnant's
/// `days_from_civil` (public-domain date algorithms).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_unix_seconds() {
        // Expected values from Python: calendar.timegm(time.strptime(t, "%Y-%m-%dT%H:%M:%SZ"))
        let table = [
            ("1970-01-01T00:00:00Z", 0),
            ("2016-02-23T12:46:24Z", 1_456_231_584),
            ("2000-02-29T23:59:59Z", 951_868_799),
            ("1969-12-31T23:59:59Z", -1),
            ("0001-01-01T00:00:00Z", -62_135_596_800),
            ("9999-12-31T23:59:59Z", 253_402_300_799),
        ];
        for (text, secs) in table {
            let t: Timestamp = text.parse().unwrap();
            assert_eq!(t.unix_seconds(), secs, "{text}");
        }
    }

    #[test]
    fn formats_unix_seconds() {
        // Expected texts from Python: datetime.fromtimestamp(s, timezone.utc).strftime(...)
        let table = [
            (0, "1970-01-01T00:00:00Z"),
            (1_456_231_584, "2016-02-23T12:46:24Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (4_107_542_399, "2100-02-28T23:59:59Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
        ];
        for (secs, want) in table {
            assert_eq!(Timestamp::from_unix_seconds(secs).unwrap().as_str(), want);
        }
        assert!(Timestamp::from_unix_seconds(253_402_300_800).is_none());
    }

    #[test]
    fn from_system_time_truncates_fractions() {
        let t = UNIX_EPOCH + std::time::Duration::from_millis(1_456_231_584_999);
        assert_eq!(
            Timestamp::from_system_time(t).unwrap().as_str(),
            "2016-02-23T12:46:24Z"
        );
        let before = UNIX_EPOCH - std::time::Duration::from_secs(1);
        assert!(Timestamp::from_system_time(before).is_err());
    }

    #[test]
    fn parse_accepts_valid_and_names_the_bad_byte() {
        assert!(Timestamp::parse("2016-02-23T12:46:24Z").is_ok());
        assert!(Timestamp::parse("2000-02-29T23:59:59Z").is_ok());
        let table = [
            ("", 0),
            ("2016-02-23 12:46:24Z", 10),
            ("2016-02-23T12:46:24", 19),
            ("2016-02-23T12:46:24.000Z", 19),
            ("2016-02-23T12:46:24Zx", 20),
            ("2016-13-23T12:46:24Z", 5),
            ("1900-02-29T12:46:24Z", 8),
            ("2016-02-23T24:00:00Z", 11),
            ("2016-02-23T23:60:00Z", 14),
            ("2016-02-23T23:00:60Z", 17),
            ("2016-02-23t12:46:24z", 10),
        ];
        for (text, at) in table {
            let err = Timestamp::parse(text).unwrap_err();
            assert_eq!(err.kind(), RequestErrorKind::Malformed, "{text}");
            assert_eq!(err.offset(), Some(at), "{text}");
            assert_eq!(err.param(), "Timestamp");
        }
    }
}
