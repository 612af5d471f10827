//! "The device forgets everything": after sign-out, and after a scope is lost, none of the
//! personal data it held can be read from the database file or its WAL and shared-memory files.

use std::collections::HashMap;

use super::World;
use super::fake_server::Fault;
use super::records::seeded;

/// The mother's name in the seeded personnel file.
const MOTHER_NAME: &str = "Karimova Dilnoza";
/// What the colleague's requests in the HR scope propose.
const COLLEAGUE_SCHOOL: &str = "TATU";

/// Every file of the database whose bytes contain `needle`.
fn files_holding(world: &World, needle: &str) -> Vec<String> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| format!("{}{suffix}", world.db.path()))
        .filter(|path| {
            std::fs::read(path).is_ok_and(|bytes| {
                bytes
                    .windows(needle.len())
                    .any(|window| window == needle.as_bytes())
            })
        })
        .collect()
}

fn queue_a_relative(core: &crate::XodimCore, name: &str, reason: &str) {
    let fields = HashMap::from([
        ("relation".to_owned(), "brother".to_owned()),
        ("full_name".to_owned(), name.to_owned()),
        ("birth_year".to_owned(), "1990".to_owned()),
    ]);
    core.propose_correction(
        "relative".to_owned(),
        "add".to_owned(),
        None,
        fields,
        reason.to_owned(),
        vec![],
    )
    .unwrap();
}

#[test]
fn after_signing_out_no_personal_data_is_readable_in_the_database_files() {
    let (world, core) = seeded("en");
    queue_a_relative(&core, "Karimov Jasur", "Ukam ro'yxatda yo'q");
    core.sync(None).unwrap();
    queue_a_relative(&core, "Karimov Sardor", "Yana bir ukam");
    assert!(
        !files_holding(&world, MOTHER_NAME).is_empty(),
        "the synced file is on the device before sign-out"
    );
    world.server.fail_next("/auth/logout", Fault::Offline);

    core.logout().unwrap();

    for secret in [
        MOTHER_NAME,
        "Karimov Jasur",
        "Karimov Sardor",
        "Yana bir ukam",
        COLLEAGUE_SCHOOL,
        "at-1",
    ] {
        assert_eq!(
            files_holding(&world, secret),
            Vec::<String>::new(),
            "{secret}"
        );
    }
    drop(core);
    let reopened = world.open("en");
    assert!(!reopened.is_signed_in() && reopened.records().is_empty());
}

#[test]
fn the_data_of_a_lost_scope_is_not_readable_in_the_database_files() {
    let (world, core) = seeded("en");
    assert_eq!(core.review_queue().len(), 2);
    assert!(!files_holding(&world, COLLEAGUE_SCHOOL).is_empty());
    world.server.with(|s| {
        s.held.retain(|scope| !scope.to_string().starts_with("hr:"));
    });

    core.sync(None).unwrap();

    assert!(core.review_queue().is_empty());
    assert_eq!(
        files_holding(&world, COLLEAGUE_SCHOOL),
        Vec::<String>::new()
    );
    assert!(
        !files_holding(&world, MOTHER_NAME).is_empty(),
        "the scopes still held stay"
    );
}
