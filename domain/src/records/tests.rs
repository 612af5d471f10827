use serde_json::json;

use super::*;
use crate::Locale;

fn education() -> serde_json::Value {
    json!({
        "institution": "Toshkent davlat iqtisodiyot universiteti",
        "level": "bachelor",
        "specialty": "Iqtisodiyot",
        "diploma_series": "B",
        "diploma_no": "1234567",
        "start_year": 2008,
        "end_year": 2012
    })
}

#[test]
fn an_education_record_survives_its_wire_form() {
    let data = RecordData::parse(Section::Education, &education()).unwrap();
    assert_eq!(data.section(), Section::Education);
    let text = serde_json::to_value(&data).unwrap();
    assert_eq!(text["section"], "education");
    assert_eq!(text["fields"]["end_year"], 2012);
    let back: RecordData = serde_json::from_value(text).unwrap();
    assert_eq!(back, data);
    assert_eq!(
        data.fields_json()["institution"],
        education()["institution"]
    );
}

#[test]
fn a_graduation_before_the_start_is_refused() {
    let mut fields = education();
    fields["end_year"] = json!(2005);
    let err = RecordData::parse(Section::Education, &fields).unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::InvalidDate, Some("end_year"))
    );
    assert!(err.detail.contains("graduation before"), "{}", err.detail);
}

#[test]
fn a_field_of_another_section_is_refused() {
    let mut fields = education();
    fields["employer"] = json!("Vazirlik");
    let err = RecordData::parse(Section::Education, &fields).unwrap_err();
    assert!(err.detail.contains("employer"), "{}", err.detail);
}

#[test]
fn a_blank_institution_is_refused() {
    let mut fields = education();
    fields["institution"] = json!("   ");
    let err = RecordData::parse(Section::Education, &fields).unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::MissingField, Some("institution"))
    );
}

#[test]
fn deserializing_cannot_bypass_the_rules() {
    let wire = json!({
        "section": "knowledge_test",
        "fields": { "kind": "periodic", "taken_at": "2025-03-01", "score": 90, "max_score": 80, "passed": true }
    });
    let err = serde_json::from_value::<RecordData>(wire).unwrap_err();
    assert!(err.to_string().contains("score"), "{err}");
}

#[test]
fn a_test_result_is_read_from_form_text() {
    let data = RecordData::from_text(
        Section::KnowledgeTest,
        [
            ("kind", "attestation"),
            ("taken_at", "2025-03-01"),
            ("score", " 72 "),
            ("max_score", "100"),
            ("passed", "ha"),
            ("valid_until", ""),
        ],
    )
    .unwrap();
    let Fields::KnowledgeTest(test) = data.fields() else {
        panic!("not a test")
    };
    assert_eq!(
        (test.score, test.passed, test.valid_until),
        (72, true, None)
    );
}

#[test]
fn a_number_field_with_letters_names_the_field() {
    let err = RecordData::from_text(Section::Relative, [("birth_year", "19x0")]).unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::InvalidField, Some("birth_year"))
    );
    assert!(err.detail.contains("birth_year"));
}

#[test]
fn a_relative_needs_a_birth_date_or_year_that_agree() {
    let base = [("relation", "mother"), ("full_name", "Karimova Dilbar")];
    let missing = RecordData::from_text(Section::Relative, base).unwrap_err();
    assert_eq!(missing.code, ErrorCode::MissingField);
    assert!(missing.detail.contains("birth_date"), "{}", missing.detail);
    let with_year = base.into_iter().chain([("birth_year", "1961")]);
    assert!(RecordData::from_text(Section::Relative, with_year).is_ok());
    let disagreeing = base
        .into_iter()
        .chain([("birth_year", "1961"), ("birth_date", "1962-05-01")]);
    let disagree = RecordData::from_text(Section::Relative, disagreeing).unwrap_err();
    assert_eq!(disagree.code, ErrorCode::InvalidDate);
    assert!(disagree.detail.contains("disagree"), "{}", disagree.detail);
}

#[test]
fn a_work_entry_ending_before_it_starts_is_refused() {
    let fields = json!({"employer": "Hokimiyat", "position_title": "Mutaxassis", "start": "2020-02-01", "end": "2019-12-31"});
    let err = RecordData::parse(Section::WorkHistory, &fields).unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::InvalidDate, Some("end"))
    );
}

#[test]
fn a_record_item_carries_its_section_beside_its_metadata() {
    let item = RecordItem {
        id: Uuid::now_v7(),
        employee_id: Uuid::now_v7(),
        version: 3,
        source: RecordSource::Hr,
        verified_by: None,
        verified_at: None,
        data: RecordData::parse(Section::Education, &education()).unwrap(),
    };
    let wire = serde_json::to_value(&item).unwrap();
    assert_eq!(wire["section"], "education");
    assert_eq!(wire["version"], 3);
    assert_eq!(serde_json::from_value::<RecordItem>(wire).unwrap(), item);
}

#[test]
fn wire_names_match_serde() {
    assert_wire_names_match_serde!(Section);
    assert_wire_names_match_serde!(RecordSource);
    assert_wire_names_match_serde!(RequestState);
    assert_wire_names_match_serde!(CorrectionOp);
    assert_wire_names_match_serde!(Relation);
    assert_wire_names_match_serde!(EducationLevel);
    assert_wire_names_match_serde!(TestKind);
}

fn officer() -> Who {
    Who::Reviewer {
        account: Uuid::from_u128(7),
        subject: false,
    }
}

fn other_officer() -> Who {
    Who::Reviewer {
        account: Uuid::from_u128(8),
        subject: false,
    }
}

#[test]
fn an_officer_claims_then_approves_and_the_request_is_applied() {
    let claimed = decide(RequestState::Submitted, None, officer(), Step::Claim).unwrap();
    assert_eq!(claimed.state, RequestState::InReview);
    let approved = decide(
        claimed.state,
        claimed.reviewer,
        officer(),
        Step::Approve { base_current: true },
    )
    .unwrap();
    assert_eq!(approved.state, RequestState::Applied);
    assert_eq!(approved.reviewer, Some(Uuid::from_u128(7)));
}

#[test]
fn approving_a_request_whose_item_changed_goes_to_conflict_and_a_rebase_reopens_it() {
    let conflict = decide(
        RequestState::Submitted,
        None,
        officer(),
        Step::Approve {
            base_current: false,
        },
    )
    .unwrap();
    assert_eq!(conflict.state, RequestState::Conflict);
    let rebased = decide(conflict.state, conflict.reviewer, officer(), Step::Rebase).unwrap();
    assert_eq!(rebased.state, RequestState::InReview);
}

#[test]
fn a_decided_request_never_changes_decision() {
    for state in [
        RequestState::Applied,
        RequestState::Rejected,
        RequestState::Withdrawn,
    ] {
        for (who, step) in [
            (officer(), Step::Reject),
            (officer(), Step::Approve { base_current: true }),
            (Who::Requester, Step::Withdraw),
            (officer(), Step::Claim),
        ] {
            let err = decide(state, None, who, step).unwrap_err();
            assert_eq!(err.code, ErrorCode::RequestDecided, "{state:?} {step:?}");
        }
    }
}

#[test]
fn nobody_reviews_their_own_request() {
    let me = Who::Reviewer {
        account: Uuid::from_u128(7),
        subject: true,
    };
    let err = decide(RequestState::Submitted, None, me, Step::Claim).unwrap_err();
    assert_eq!(err.code, ErrorCode::OwnRequest);
}

#[test]
fn a_request_in_another_officers_review_is_not_decided_by_a_second_officer() {
    let claimed = decide(RequestState::Submitted, None, officer(), Step::Claim).unwrap();
    for step in [Step::Claim, Step::Reject, Step::Ask] {
        let err = decide(claimed.state, claimed.reviewer, other_officer(), step).unwrap_err();
        assert_eq!(err.code, ErrorCode::RequestClaimed, "{step:?}");
    }
}

#[test]
fn the_servant_answers_a_question_and_may_withdraw_until_review() {
    let asked = decide(
        RequestState::InReview,
        Some(Uuid::from_u128(7)),
        officer(),
        Step::Ask,
    )
    .unwrap();
    assert_eq!(asked.state, RequestState::NeedsInfo);
    let answered = decide(asked.state, asked.reviewer, Who::Requester, Step::Answer).unwrap();
    assert_eq!(answered.state, RequestState::Submitted);
    assert_eq!(
        decide(answered.state, None, Who::Requester, Step::Withdraw)
            .unwrap()
            .state,
        RequestState::Withdrawn
    );
    let err = decide(
        RequestState::InReview,
        Some(Uuid::from_u128(7)),
        Who::Requester,
        Step::Withdraw,
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::RequestState);
}

#[test]
fn a_servant_cannot_approve() {
    let err = decide(
        RequestState::Submitted,
        None,
        Who::Requester,
        Step::Approve { base_current: true },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
}

#[test]
fn the_inbox_line_is_in_the_users_language() {
    let line = RequestState::Applied.notice(Section::Education, Locale::Ru);
    assert_eq!(
        line,
        "Ваш запрос на исправление (Образование): Одобрена и внесена"
    );
    for &state in RequestState::ALL {
        for &section in Section::ALL {
            let texts: std::collections::HashSet<_> = Locale::ALL
                .iter()
                .map(|&l| state.notice(section, l))
                .collect();
            assert_eq!(texts.len(), 4);
        }
    }
}

#[test]
fn a_day_that_does_not_exist_is_an_invalid_date_of_its_field() {
    let cases = [
        (
            Section::Certificate,
            json!({"provider": "DBA", "course_title": "Etika", "issued_at": "2024-02-30"}),
            "issued_at",
        ),
        (
            Section::WorkHistory,
            json!({"employer": "Vazirlik", "position_title": "Mutaxassis", "start": "2020-01-10", "end": "2024-02-30"}),
            "end",
        ),
        (
            Section::Relative,
            json!({"relation": "father", "full_name": "Karimov Bahodir", "birth_date": "1961-13-01"}),
            "birth_date",
        ),
        (
            Section::Education,
            json!({"institution": "TDIU", "level": "bachelor", "start_year": 1850}),
            "start_year",
        ),
    ];
    for (section, fields, field) in cases {
        let err = RecordData::parse(section, &fields).unwrap_err();
        assert_eq!(
            (err.code, err.field.as_deref()),
            (ErrorCode::InvalidDate, Some(field)),
            "{section}: {}",
            err.detail
        );
    }
}

#[test]
fn a_missing_unknown_or_mistyped_field_is_named() {
    let cases = [
        (
            json!({"level": "bachelor"}),
            ErrorCode::MissingField,
            "institution",
        ),
        (
            json!({"institution": "TDIU", "level": "bachelor", "school": "x"}),
            ErrorCode::InvalidField,
            "school",
        ),
        (
            json!({"institution": "TDIU", "level": "professor"}),
            ErrorCode::InvalidField,
            "level",
        ),
        (
            json!({"institution": "  ", "level": "bachelor"}),
            ErrorCode::MissingField,
            "institution",
        ),
        (
            json!({"institution": "TDIU", "level": "bachelor", "honours": "ha"}),
            ErrorCode::InvalidField,
            "honours",
        ),
    ];
    for (fields, code, field) in cases {
        let err = RecordData::parse(Section::Education, &fields).unwrap_err();
        assert_eq!(
            (err.code, err.field.as_deref()),
            (code, Some(field)),
            "{}",
            err.detail
        );
    }
    let err = RecordData::parse(Section::Education, &json!("TDIU")).unwrap_err();
    assert_eq!((err.code, err.field), (ErrorCode::InvalidField, None));
}
