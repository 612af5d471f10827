//! Correction requests between phones: a servant proposes offline, HR decides, the servant's
//! phone shows the corrected file, the decided request and an inbox entry.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use chrono::Duration;
use xodim_domain::records::Section;
use xodim_tests::cast::office;
use xodim_tests::phones::{on, sync};
use xodim_tests::records::education;

#[tokio::test(flavor = "multi_thread")]
async fn a_servant_proposes_offline_hr_approves_and_the_servant_sees_the_corrected_file() {
    let o = office().await;
    let item = o
        .app
        .record(o.servant.employee, Section::Education, education("TDIU"))
        .await;
    let (phone_s, phone_h) = o.phones().await;
    sync(&phone_s.core).await.unwrap();
    let records = on(&phone_s.core, |c| c.records()).await;
    assert_eq!(records.len(), 1);
    assert_eq!(
        records[0].fields.get("institution").map(String::as_str),
        Some("TDIU")
    );

    phone_s.net.offline.store(true, Ordering::SeqCst);
    let id = item.id.to_string();
    on(&phone_s.core, move |c| {
        let fields: HashMap<String, String> = [
            ("institution", "TDIU (kechki)"),
            ("level", "bachelor"),
            ("start_year", "2008"),
            ("end_year", "2012"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        c.propose_correction(
            "education".into(),
            "edit".into(),
            Some(id),
            fields,
            "The diploma says evening studies".into(),
            Vec::new(),
        )
    })
    .await
    .unwrap();
    assert!(sync(&phone_s.core).await.is_err(), "offline");
    let mine = on(&phone_s.core, |c| c.correction_requests()).await;
    assert_eq!((mine.len(), mine[0].pending), (1, true));
    phone_s.net.offline.store(false, Ordering::SeqCst);
    // The failed send waits out its back-off before it is tried again.
    phone_s.clock.advance(Duration::minutes(10));
    sync(&phone_s.core).await.unwrap();

    sync(&phone_h.core).await.unwrap();
    let queue = on(&phone_h.core, |c| c.review_queue()).await;
    assert_eq!(queue.len(), 1, "the HR phone sees the request");
    let request = queue[0].id.clone();
    on(&phone_h.core, move |c| {
        c.approve_request(request, Some("Checked".into()))
    })
    .await
    .unwrap();
    sync(&phone_h.core).await.unwrap();
    assert!(
        on(&phone_h.core, |c| c.review_queue()).await.is_empty(),
        "decided requests leave the queue"
    );

    sync(&phone_s.core).await.unwrap();
    let records = on(&phone_s.core, |c| c.records()).await;
    assert_eq!(
        records[0].fields.get("institution").map(String::as_str),
        Some("TDIU (kechki)")
    );
    assert_eq!(records[0].version, 2);
    let mine = on(&phone_s.core, |c| c.correction_requests()).await;
    assert_eq!(
        (mine[0].state.as_str(), mine[0].pending),
        ("applied", false)
    );
    let inbox = on(&phone_s.core, |c| c.inbox()).await;
    assert_eq!(inbox.len(), 1);
    assert!(
        inbox[0].text.contains("Approved and applied"),
        "{}",
        inbox[0].text
    );
}
