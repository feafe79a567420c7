//! Conformance of personal contact rules: one test per rule the tools document, each naming
//! the tool and the page (PagerDuty's support and community pages, Opsgenie's and Jira
//! Service Management's notification pages, ServiceNow On-Call Scheduling, Australia
//! release). Written from the pages, not from this crate's docs.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use chrono::Duration;
use common::*;
use itsm_calendar::{Segment, Week};
use itsm_oncall::{
    Channel, Command, ContactRule, Method, Notify, Policy, ProfileSpec, Profiles, Repeat,
    Restriction, Step, Target, Unreachable, Urgency, UserId,
};

fn m(minutes: i64, method: &str) -> Notify {
    Notify::new(Duration::minutes(minutes), method)
}

fn methods() -> Vec<Method> {
    vec![
        Method::new("app", Channel::Push),
        Method::new("text", Channel::Sms),
        Method::new("phone", Channel::Voice),
        Method::new("mail", Channel::Email),
    ]
}

/// One step paging `users`, escalating to Eve after `timeout` minutes.
fn page(users: &[UserId], timeout: i64) -> Policy {
    Policy::new(
        "page",
        vec![
            Step::after(
                users.iter().map(|u| Target::User(*u)).collect(),
                Duration::minutes(timeout),
            ),
            Step::after(vec![Target::User(EVE)], Duration::minutes(timeout)),
        ],
    )
}

fn run(policy: Policy, profiles: Vec<ProfileSpec>) -> Run {
    Run::new(policy, schedules(&[])).with_contacts(Profiles::new(&profiles).unwrap())
}

// ---------------------------------------------------------------------------------------
// PagerDuty
// ---------------------------------------------------------------------------------------

/// PagerDuty, "Notification Rules" (support.pagerduty.com/docs/notification-rules):
/// "Notification rules determine how you are notified when an incident is assigned to you
/// ... You can configure different sets of rules for high and low-urgency incidents".
#[test]
fn pagerduty_high_and_low_urgency_incidents_use_their_own_rules() {
    let mut high = ContactRule::new("high", vec![m(0, "phone")]);
    high.urgency = Some(Urgency::High);
    let mut low = ContactRule::new("low", vec![m(0, "mail")]);
    low.urgency = Some(Urgency::Low);
    let profile = ProfileSpec::new(ANN, methods(), vec![high, low]);
    let t0 = utc(2027, 3, 1, 3, 0);
    for (urgency, method) in [(Urgency::High, "phone"), (Urgency::Low, "mail")] {
        let mut r = run(page(&[ANN], 30), vec![profile.clone()]);
        r.urgency = urgency;
        r.at(t0, SYSTEM, Command::Trigger);
        assert_eq!(r.contacted(), vec![(t0, ANN, method.to_owned())]);
    }
}

/// PagerDuty Community, "Notifications: Setting up notification rules": "If you are on an
/// escalation policy that escalates after 5 minutes and you have a notification rule set to
/// 5 minutes or more, you will not receive that 5<= minute notification ... you will want
/// to make sure that your notification rules are 4 minutes or less."
#[test]
fn pagerduty_a_rule_at_or_past_the_escalation_timeout_is_never_sent() {
    let rule = ContactRule::new("rules", vec![m(0, "app"), m(4, "text"), m(5, "phone")]);
    let mut r = run(
        page(&[ANN], 5),
        vec![ProfileSpec::new(ANN, methods(), vec![rule])],
    );
    let t0 = utc(2027, 3, 1, 3, 0);
    r.at(t0, SYSTEM, Command::Trigger);
    r.tick(plus(t0, 20));
    assert_eq!(
        r.contacted(),
        vec![
            (t0, ANN, "app".to_owned()),
            (plus(t0, 4), ANN, "text".to_owned())
        ]
    );
    // The incident moved on to Eve at the fifth minute.
    assert_eq!(r.notices()[1], (plus(t0, 5), 1, 0, vec![EVE]));
}

/// PagerDuty Community, "Notifications: Setting up notification rules": "we highly
/// recommend setting multiple notification rules at different contact methods ... setting
/// up repeated notifications if the first ones don't get your attention immediately"; and
/// PagerDuty's API (user notification rule, `start_delay_in_minutes`): each rule fires its
/// delay after the assignment, 0 at once.
#[test]
fn pagerduty_each_rule_fires_its_delay_after_the_assignment() {
    let rule = ContactRule::new(
        "rules",
        vec![m(0, "app"), m(1, "text"), m(3, "phone"), m(10, "phone")],
    );
    let mut r = run(
        page(&[ANN], 30),
        vec![ProfileSpec::new(ANN, methods(), vec![rule])],
    );
    let t0 = utc(2027, 3, 1, 3, 0);
    r.at(t0, SYSTEM, Command::Trigger);
    assert_eq!(r.contacted(), vec![(t0, ANN, "app".to_owned())]);
    r.tick(plus(t0, 3));
    r.tick(plus(t0, 12));
    let at: Vec<_> = r.contacted().iter().map(|c| (c.0, c.2.clone())).collect();
    assert_eq!(
        at,
        vec![
            (t0, "app".to_owned()),
            (plus(t0, 1), "text".to_owned()),
            (plus(t0, 3), "phone".to_owned()),
            (plus(t0, 10), "phone".to_owned())
        ]
    );
}

/// PagerDuty, "Notification Rules": the rules are "how you are notified when an incident is
/// assigned to you"; once acknowledged the incident no longer pages, so the rules still
/// ahead are not sent.
#[test]
fn pagerduty_an_acknowledgement_stops_the_rules_still_ahead() {
    let rule = ContactRule::new("rules", vec![m(0, "app"), m(2, "text"), m(6, "phone")]);
    let mut r = run(
        page(&[ANN, BOB], 30),
        vec![
            ProfileSpec::new(ANN, methods(), vec![rule.clone()]),
            ProfileSpec::new(BOB, methods(), vec![rule]),
        ],
    );
    let t0 = utc(2027, 3, 1, 3, 0);
    r.at(t0, SYSTEM, Command::Trigger);
    r.at(plus(t0, 3), BOB, Command::Acknowledge);
    r.tick(plus(t0, 20));
    assert_eq!(r.contacted().len(), 4, "app and text to each, no phone");
    assert!(r.contacted().iter().all(|c| c.0 <= plus(t0, 2)));
    assert!(r.state.pending_contacts().is_empty());
}

// ---------------------------------------------------------------------------------------
// Opsgenie (Jira Service Management)
// ---------------------------------------------------------------------------------------

/// Jira Service Management (Opsgenie), "Using notification rules": "If you've added
/// multiple rules for a given notification event, only the first notification rule whose
/// conditions and time constraints (if any) perfectly match is applied. The rest of the
/// rules that follow it are ignored."
#[test]
fn opsgenie_only_the_first_rule_whose_time_restriction_matches_applies() {
    let mut nights = ContactRule::new("nights", vec![m(0, "phone")]);
    nights.hours = Some(Restriction {
        week: Week::every_day(&[Segment::parse("22:00", "07:00").unwrap()]),
        holidays: Vec::new(),
    });
    let always = ContactRule::new("always", vec![m(0, "app"), m(1, "mail")]);
    let mut profile = ProfileSpec::new(ANN, methods(), vec![nights, always]);
    profile.zone = Some("+01:00".to_owned());
    // 02:00 UTC is 03:00 at +01:00: night. 12:00 UTC is 13:00: day.
    for (t0, expected) in [
        (utc(2027, 3, 1, 2, 0), vec!["phone"]),
        (utc(2027, 3, 1, 12, 0), vec!["app", "mail"]),
    ] {
        let mut r = run(page(&[ANN], 30), vec![profile.clone()]);
        r.at(t0, SYSTEM, Command::Trigger);
        r.tick(plus(t0, 5));
        let got: Vec<_> = r.contacted().into_iter().map(|c| c.2).collect();
        assert_eq!(got, expected, "at {t0}");
    }
}

/// Opsgenie, "Notification Preferences" (docs.opsgenie.com): "Enable a contact method to
/// receive notifications."
#[test]
fn opsgenie_a_disabled_contact_method_receives_nothing() {
    let mut ms = methods();
    ms[1].enabled = false; // the text number
    let rule = ContactRule::new("rules", vec![m(0, "text"), m(1, "phone")]);
    let mut r = run(
        page(&[ANN], 30),
        vec![ProfileSpec::new(ANN, ms, vec![rule])],
    );
    let t0 = utc(2027, 3, 1, 3, 0);
    r.at(t0, SYSTEM, Command::Trigger);
    r.tick(plus(t0, 5));
    assert_eq!(r.contacted(), vec![(plus(t0, 1), ANN, "phone".to_owned())]);
}

/// Jira Service Management (Opsgenie), "Using notification rules": "you can also receive
/// repeated reminders for the event by selecting Get repeated notifications for this rule
/// and specifying a duration with a maximum of 10 times (as long as the details of the
/// alert in question aren't opened)".
#[test]
fn opsgenie_repeated_notifications_run_the_steps_again_until_acknowledged() {
    let repeat = || {
        let mut rule = ContactRule::new("repeat", vec![m(0, "app"), m(1, "phone")]);
        rule.repeat = Some(Repeat {
            every: Duration::minutes(5),
            times: 10,
        });
        vec![ProfileSpec::new(ANN, methods(), vec![rule])]
    };
    let mut r = run(page(&[ANN], 120), repeat());
    let t0 = utc(2027, 3, 1, 3, 0);
    r.at(t0, SYSTEM, Command::Trigger);
    r.tick(plus(t0, 12));
    let at: Vec<_> = r.contacted().iter().map(|c| c.0).collect();
    assert_eq!(
        at,
        vec![
            t0,
            plus(t0, 1),
            plus(t0, 5),
            plus(t0, 6),
            plus(t0, 10),
            plus(t0, 11)
        ]
    );
    r.at(plus(t0, 13), ANN, Command::Acknowledge);
    r.tick(plus(t0, 119));
    assert_eq!(r.contacted().len(), 6, "nothing after the acknowledgement");
    // Without it: the first run and ten more, two steps each.
    let mut r2 = run(page(&[ANN], 120), repeat());
    r2.at(t0, SYSTEM, Command::Trigger);
    r2.tick(plus(t0, 119));
    assert_eq!(r2.contacted().len(), 22);
    assert_eq!(r2.contacted().last().unwrap().0, plus(t0, 51));
}

// ---------------------------------------------------------------------------------------
// ServiceNow On-Call Scheduling
// ---------------------------------------------------------------------------------------

/// ServiceNow, "Configure my availability and contact preferences"
/// (on-call-scheduling/config-my-contact-prefs-oncall): "On the Contact Preferences tab,
/// click the contact Attempt method to configure ... Select the contact methods that the
/// instance should use to contact you ... Repeat the process for each contact attempt."
#[test]
fn servicenow_each_contact_attempt_uses_its_own_methods() {
    let rule = |attempt: u32, methods: &[&str]| {
        let mut r = ContactRule::new(
            format!("attempt {attempt}"),
            methods.iter().map(|x| m(0, x)).collect(),
        );
        r.attempt = Some(attempt);
        r
    };
    let profile = ProfileSpec::new(
        ANN,
        methods(),
        vec![
            rule(1, &["mail"]),
            rule(2, &["text"]),
            rule(3, &["text", "phone"]),
        ],
    );
    // Two reminders ten minutes apart (ServiceNow's roster settings).
    let policy = Policy::new(
        "roster",
        vec![Step::servicenow(
            vec![Target::User(ANN)],
            2,
            Duration::minutes(10),
        )],
    );
    let mut r = run(policy, vec![profile]);
    let t0 = utc(2027, 3, 1, 3, 0);
    r.at(t0, SYSTEM, Command::Trigger);
    r.tick(plus(t0, 25));
    assert_eq!(
        r.contacted(),
        vec![
            (t0, ANN, "mail".to_owned()),
            (plus(t0, 10), ANN, "text".to_owned()),
            (plus(t0, 20), ANN, "text".to_owned()),
            (plus(t0, 20), ANN, "phone".to_owned()),
        ]
    );
}

/// ServiceNow, "Escalation and reminder settings for rosters"
/// (on-call-scheduling/escalation-remind-settings-oncall): "Forced communication channel:
/// You can specify a mandatory communication channel ... An on-call member must have an SMS
/// device to receive SMS notifications. If the member does not have an SMS device, then no
/// further attempts are made and the lack of an SMS device is logged."
#[test]
fn servicenow_a_forced_channel_reaches_members_with_it_and_logs_the_rest() {
    let mut step = Step::after(
        vec![Target::User(ANN), Target::User(BOB)],
        Duration::minutes(30),
    );
    step.channels = vec![Channel::Sms];
    let policy = Policy::new("roster", vec![step]);
    let own = ContactRule::new("own", vec![m(0, "mail")]);
    let no_sms = vec![Method::new("mail", Channel::Email)];
    let mut r = run(
        policy,
        vec![
            ProfileSpec::new(ANN, methods(), vec![own.clone()]),
            ProfileSpec::new(BOB, no_sms, vec![own]),
        ],
    );
    let t0 = utc(2027, 3, 1, 3, 0);
    r.at(t0, SYSTEM, Command::Trigger);
    r.tick(plus(t0, 29));
    assert_eq!(r.contacted(), vec![(t0, ANN, "text".to_owned())]);
    assert_eq!(
        r.unreachable(),
        vec![Unreachable::NoMethodOn {
            user: BOB,
            channels: vec![Channel::Sms]
        }]
    );
}

/// ServiceNow, "Override contact preferences for a shift"
/// (on-call-scheduling/override-contact-prefs-oncall): "Override all shift members'
/// contact preferences to enforce a communication channel, for example, in case of an
/// emergency ... Select the contact methods that the instance should use for all shift
/// members ... Enable the Override user preference option."
#[test]
fn servicenow_a_shift_override_replaces_every_members_preferences() {
    let mut step = Step::after(
        vec![Target::User(ANN), Target::User(BOB)],
        Duration::minutes(30),
    );
    step.channels = vec![Channel::Voice, Channel::Slack];
    let policy = Policy::new("shift", vec![step]);
    let own = ContactRule::new("own", vec![m(0, "mail"), m(5, "text")]);
    let mut bob_methods = methods();
    bob_methods.push(Method::new("chat", Channel::Slack));
    let mut r = run(
        policy,
        vec![
            ProfileSpec::new(ANN, methods(), vec![own.clone()]),
            ProfileSpec::new(BOB, bob_methods, vec![own]),
        ],
    );
    let t0 = utc(2027, 3, 1, 3, 0);
    r.at(t0, SYSTEM, Command::Trigger);
    r.tick(plus(t0, 29));
    assert_eq!(
        r.contacted(),
        vec![
            (t0, ANN, "phone".to_owned()),
            (t0, BOB, "phone".to_owned()),
            (t0, BOB, "chat".to_owned()),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Reminders before going on or off call
// ---------------------------------------------------------------------------------------

/// A daily rotation of Ann and Bob handing over at 09:00 UTC, from Monday 1 March 2027.
fn daily() -> itsm_oncall::Schedule {
    single(layer(
        "primary",
        &[ANN, BOB],
        local(2027, 3, 1, 9, 0),
        itsm_oncall::Turn::Days(1),
    ))
}

/// PagerDuty, "Notification Rules": "Before I go on-call or off-call: Notification rules
/// that alert you before you go on or off call"; PagerDuty Community, "Setting up
/// notification rules": "setting reminders - what we call, on-call handoff notifications -
/// to remind yourself up to 48 hours in advance when you are about to go on- (or off-!)
/// call."
#[test]
fn pagerduty_handoff_notifications_before_going_on_and_off_call() {
    use itsm_oncall::{HandoffKind, HandoffRule};
    let mut p = ProfileSpec::new(BOB, methods(), Vec::new());
    p.handoffs = vec![
        HandoffRule::new(HandoffKind::OnCall, Duration::hours(48), "mail"),
        HandoffRule::new(HandoffKind::OffCall, Duration::minutes(30), "app"),
    ];
    let profiles = Profiles::new(&[p]).unwrap();
    // Bob's turns: the 2nd, 4th, 6th ... from 09:00 to 09:00 (and the day before the
    // handover: turns before it count backwards, so he goes off on the 1st at 09:00, before
    // this window).
    let notices = profiles
        .handoff_notices(&daily(), utc(2027, 3, 1, 9, 0), utc(2027, 3, 5, 0, 0))
        .unwrap();
    let got: Vec<_> = notices
        .iter()
        .map(|n| (n.at, n.method.as_str(), n.handoff.kind, n.handoff.at))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                utc(2027, 3, 2, 9, 0),
                "mail",
                HandoffKind::OnCall,
                utc(2027, 3, 4, 9, 0)
            ),
            (
                utc(2027, 3, 3, 8, 30),
                "app",
                HandoffKind::OffCall,
                utc(2027, 3, 3, 9, 0)
            ),
            (
                utc(2027, 3, 4, 9, 0),
                "mail",
                HandoffKind::OnCall,
                utc(2027, 3, 6, 9, 0)
            ),
        ]
    );
}

/// Opsgenie, "Notification Preferences" and its API (notification rule `actionType`
/// `schedule-start` and `schedule-end`, `notificationTime` `just-before`, `15-minutes-ago`,
/// `1-hour-ago`, `1-day-ago`): "Schedule Start: Your on-call rotation is being started ...
/// Schedule End: Your on-call rotation is being ended."
#[test]
fn opsgenie_schedule_start_and_end_notifications_at_the_offered_times() {
    use itsm_oncall::{HandoffKind, HandoffRule};
    let mut p = ProfileSpec::new(ANN, methods(), Vec::new());
    p.handoffs = [
        Duration::zero(),
        Duration::minutes(15),
        Duration::hours(1),
        Duration::days(1),
    ]
    .into_iter()
    .map(|before| HandoffRule::new(HandoffKind::OnCall, before, "app"))
    .chain([HandoffRule::new(
        HandoffKind::OffCall,
        Duration::zero(),
        "text",
    )])
    .collect();
    let profiles = Profiles::new(&[p]).unwrap();
    // Ann goes off on the 2nd at 09:00 and on again on the 3rd at 09:00.
    let notices = profiles
        .handoff_notices(&daily(), utc(2027, 3, 1, 12, 0), utc(2027, 3, 3, 12, 0))
        .unwrap();
    let got: Vec<_> = notices.iter().map(|n| (n.at, n.method.as_str())).collect();
    let on = utc(2027, 3, 3, 9, 0);
    assert_eq!(
        got,
        vec![
            // At one instant, in the order of the handoffs announced: the end (the 2nd)
            // comes before the start (the 3rd) a day ahead.
            (utc(2027, 3, 2, 9, 0), "text"),
            (utc(2027, 3, 2, 9, 0), "app"),
            (on - Duration::hours(1), "app"),
            (on - Duration::minutes(15), "app"),
            (on, "app"),
        ]
    );
}
