use chrono::TimeZone as _;

use super::*;

/// An instant given as Tashkent wall-clock time (UTC+5).
fn tashkent(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, minute, 0)
        .single()
        .map(|t| t - Duration::hours(5))
        .expect("a valid instant")
}

fn night() -> Option<QuietHours> {
    Some(QuietHours::default())
}

#[test]
fn in_the_afternoon_an_alert_goes_at_once() {
    let now = tashkent(4, 15, 30);
    assert_eq!(release_at(night(), TimeZone::AsiaTashkent, now), now);
}

#[test]
fn a_minute_before_quiet_hours_begin_an_alert_still_goes() {
    let now = tashkent(4, 21, 59);
    assert_eq!(release_at(night(), TimeZone::AsiaTashkent, now), now);
}

#[test]
fn at_the_first_minute_of_quiet_hours_an_alert_waits_until_seven_next_morning() {
    let now = tashkent(4, 22, 0);
    assert_eq!(
        release_at(night(), TimeZone::AsiaTashkent, now),
        tashkent(5, 7, 0)
    );
}

#[test]
fn just_before_midnight_and_just_after_it_wait_for_the_same_morning() {
    let before = release_at(night(), TimeZone::AsiaTashkent, tashkent(4, 23, 59));
    let after = release_at(night(), TimeZone::AsiaTashkent, tashkent(5, 0, 1));
    assert_eq!(before, tashkent(5, 7, 0));
    assert_eq!(after, tashkent(5, 7, 0));
}

#[test]
fn at_seven_sharp_the_quiet_is_over() {
    let now = tashkent(5, 7, 0);
    assert_eq!(release_at(night(), TimeZone::AsiaTashkent, now), now);
    let earlier = tashkent(5, 6, 59);
    assert_eq!(release_at(night(), TimeZone::AsiaTashkent, earlier), now);
}

#[test]
fn quiet_hours_within_one_day_hold_only_inside_them() {
    let lunch = Some(QuietHours {
        start: "13:00".parse().expect("a time"),
        end: "14:00".parse().expect("a time"),
    });
    let inside = tashkent(4, 13, 30);
    assert_eq!(
        release_at(lunch, TimeZone::AsiaTashkent, inside),
        tashkent(4, 14, 0)
    );
    let late = tashkent(4, 23, 0);
    assert_eq!(release_at(lunch, TimeZone::AsiaTashkent, late), late);
}

#[test]
fn without_quiet_hours_or_with_equal_ends_nothing_waits() {
    let now = tashkent(4, 3, 0);
    assert_eq!(release_at(None, TimeZone::AsiaTashkent, now), now);
    let empty = Some(QuietHours {
        start: "07:00".parse().expect("a time"),
        end: "07:00".parse().expect("a time"),
    });
    assert_eq!(release_at(empty, TimeZone::AsiaTashkent, now), now);
}

#[test]
fn times_of_day_are_read_only_as_hh_mm() {
    assert_eq!(
        "07:05".parse::<TimeOfDay>().map(|t| t.to_string()),
        Ok("07:05".into())
    );
    for bad in ["7:05", "24:00", "12:60", "12-00", "", "12:0a"] {
        assert_eq!(
            bad.parse::<TimeOfDay>().map_err(|e| e.code),
            Err(ErrorCode::InvalidField),
            "{bad:?}"
        );
    }
}

#[test]
fn only_known_zones_are_accepted() {
    assert_eq!("Asia/Samarkand".parse(), Ok(TimeZone::AsiaSamarkand));
    assert!("Europe/Moscow".parse::<TimeZone>().is_err());
}
