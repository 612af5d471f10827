//! Measurements over HTTP: pulls with nothing new, delta pulls, pushes of intents.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use xodim_domain::AccountId;
use xodim_domain::contact::ContactAddress;
use xodim_domain::sync::{Intent, IntentResults, IntentStatus};

use super::layout::{self, Bench, DELTA_STAFF};
use super::load::{self, Count, Load, Probe, ms, percentile};
use super::report::{self, Goal};
use crate::TestApp;
use crate::fixtures::{PASSWORD, Person};
use crate::intents::intent;

const CHANGES: &str = "/api/v1/sync/changes";

/// A signed-in device: its access token and its pull cursor.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub cursor: String,
}

async fn pull(app: &TestApp, token: &str, cursor: &str) -> Result<(Value, usize)> {
    let response = app
        .authed(Method::GET, CHANGES, token)
        .query(&[("cursor", cursor)])
        .send()
        .await?;
    ensure!(response.status() == 200, "pull: {}", response.status());
    let body = response.bytes().await?;
    Ok((serde_json::from_slice(&body)?, body.len()))
}

fn changes(page: &Value) -> usize {
    page["changes"].as_array().map_or(0, Vec::len)
}

/// Signs in and pulls until nothing is left.
async fn synced(app: &TestApp, person: &Person) -> Result<Session> {
    let token = app.token(&person.login, PASSWORD).await;
    let mut cursor = String::new();
    loop {
        let (page, _) = pull(app, &token, &cursor).await?;
        cursor = page["cursor"].as_str().context("cursor")?.to_owned();
        if page["has_more"] != json!(true) {
            return Ok(Session { token, cursor });
        }
    }
}

/// Pulls with `sessions[i % n]`: worker `i` keeps one account.
fn pull_probe(app: &TestApp, sessions: &Arc<Vec<Session>>) -> Probe {
    let (url, sessions) = (format!("{}{CHANGES}", app.address), sessions.clone());
    Probe::new(200, move |http, i| {
        let s = &sessions[i % sessions.len()];
        http.get(&url)
            .bearer_auth(&s.token)
            .query(&[("cursor", &s.cursor)])
    })
}

/// The closest thing the server has to a trivial authenticated GET: the pull route with a limit
/// it refuses. The bearer token is verified and the session looked up in the revocation store
/// exactly as for any request, then the handler answers `400 invalid_paging` with no other I/O.
fn trivial_probe(app: &TestApp, sessions: &Arc<Vec<Session>>) -> Probe {
    let (url, sessions) = (format!("{}{CHANGES}", app.address), sessions.clone());
    Probe::new(400, move |http, i| {
        http.get(&url)
            .bearer_auth(&sessions[i % sessions.len()].token)
            .query(&[("limit", "0")])
    })
}

fn me_probe(app: &TestApp, sessions: &Arc<Vec<Session>>) -> Probe {
    let (url, sessions) = (format!("{}/api/v1/me", app.address), sessions.clone());
    Probe::new(200, move |http, i| {
        http.get(&url)
            .bearer_auth(&sessions[i % sessions.len()].token)
    })
}

fn rates(label: &str, count: &Count) {
    report::detail(format!(
        "{label:<44} {:>9.0} req/s ({} requests in {:.1} s)",
        count.per_second(),
        count.requests,
        count.elapsed.as_secs_f64()
    ));
}

/// 1 and 7: a pull with nothing new against the trivial GET and `GET /api/v1/me`.
pub async fn no_change(bench: &Bench, load: Load) -> Result<()> {
    let app = &bench.app;
    let mut sessions = Vec::new();
    for person in &bench.plain {
        sessions.push(synced(app, person).await?);
    }
    let sessions = Arc::new(sessions);
    let first = sessions.first().context("no plain servants")?;
    let (page, bytes) = pull(app, &first.token, &first.cursor).await?;
    ensure!(changes(&page) == 0, "a synced servant got changes: {page}");
    let (trivial, nothing, me) = (
        trivial_probe(app, &sessions),
        pull_probe(app, &sessions),
        me_probe(app, &sessions),
    );
    let counts = load::compare(load, &[&trivial, &nothing, &me]).await?;
    let ratio = counts[1].per_second() / counts[0].per_second();
    report::line(
        1,
        "no-change pull / trivial authenticated GET",
        ratio,
        "",
        Goal::AtLeast(0.8),
    );
    report::detail(
        "trivial GET: no route only authenticates, so the pull route with limit=0 stands in: the token is verified and the session looked up in the revocation store, then 400 invalid_paging without other I/O",
    );
    rates("trivial GET (changes?limit=0 -> 400)", &counts[0]);
    rates("no-change pull (changes?cursor=current)", &counts[1]);
    rates("GET /api/v1/me (for reference)", &counts[2]);
    report::detail(format!(
        "no-change pull / GET /api/v1/me = {:.3}",
        counts[1].per_second() / counts[2].per_second()
    ));
    report::line(
        7,
        "bytes of a no-change pull body (plain servant)",
        bytes as f64,
        " B",
        Goal::AtMost(300.0),
    );
    report::detail(format!("body: {page}"));
    Ok(())
}

/// Signs the delta managers in, saves their cursors, then writes their units' cards again so
/// that each saved cursor has exactly [`DELTA_STAFF`] changes waiting.
pub async fn delta_sessions(bench: &Bench) -> Result<Vec<Session>> {
    let mut sessions = Vec::new();
    for delta in &bench.delta {
        sessions.push(synced(&bench.app, &delta.manager).await?);
    }
    for (delta, session) in bench.delta.iter().zip(&sessions) {
        layout::rewrite(&bench.app, &delta.cards).await?;
        let (page, _) = pull(&bench.app, &session.token, &session.cursor).await?;
        if changes(&page) != DELTA_STAFF || page["has_more"] != json!(false) {
            bail!("a delta pull should bring {DELTA_STAFF} changes: {page}");
        }
    }
    Ok(sessions)
}

/// 2: a pull of 100 changes against the trivial GET.
pub async fn delta(bench: &Bench, sessions: &[Session], load: Load) -> Result<()> {
    let sessions = Arc::new(sessions.to_vec());
    let (trivial, delta) = (
        trivial_probe(&bench.app, &sessions),
        pull_probe(&bench.app, &sessions),
    );
    let counts = load::compare(load, &[&trivial, &delta]).await?;
    let ratio = counts[1].per_second() / counts[0].per_second();
    report::line(
        2,
        "100-change delta pull / trivial authenticated GET",
        ratio,
        "",
        Goal::AtLeast(0.3),
    );
    rates("trivial GET (changes?limit=0 -> 400)", &counts[0]);
    rates(
        &format!(
            "delta pull ({DELTA_STAFF} changes, {} managers)",
            sessions.len()
        ),
        &counts[1],
    );
    Ok(())
}

/// 3: the median latency of one delta pull in a big database over a small one. Both servers get
/// the same concurrent warm-up (which opens their pools alike), then single pulls alternate
/// between them; the first tenth of the pairs is not counted.
pub async fn scale(
    small: (&Bench, &Session),
    big: (&Bench, &Session),
    samples: usize,
    load: Load,
) -> Result<()> {
    let one = |bench: &Bench, s: &Session| pull_probe(&bench.app, &Arc::new(vec![s.clone()]));
    let (p_small, p_big) = (one(small.0, small.1), one(big.0, big.1));
    load::hammer(&p_small, load.workers, load.warmup).await?;
    load::hammer(&p_big, load.workers, load.warmup).await?;
    let (mut a, mut b) = load::paired_latencies(&p_small, &p_big, samples + samples / 10).await?;
    a.drain(..samples / 10);
    b.drain(..samples / 10);
    let (ma, mb) = (percentile(&a, 0.5), percentile(&b, 0.5));
    let what = format!(
        "delta pull latency, {} / {} servants",
        big.0.employees, small.0.employees
    );
    report::line(
        3,
        &what,
        mb.as_secs_f64() / ma.as_secs_f64(),
        "",
        Goal::AtMost(1.2),
    );
    for (label, bench, s) in [("small", small.0, &a), ("big", big.0, &b)] {
        report::detail(format!(
            "{label:<5} {:>7} servants: median {:.3} ms, p95 {:.3} ms over {} pulls alternating with the other server",
            bench.employees,
            ms(percentile(s, 0.5)),
            ms(percentile(s, 0.95)),
            s.len()
        ));
    }
    Ok(())
}

fn contact_intents(account: Uuid, from_version: i64, serial: usize) -> Vec<Intent> {
    let address = ContactAddress(AccountId::from_uuid(account));
    (0..20)
        .map(|j| {
            let phone = format!("+99890{:07}", (serial * 20 + j as usize) % 10_000_000);
            intent(
                "contact.update",
                address,
                from_version + j,
                json!({ "phone": phone, "email": null, "address": null }),
            )
        })
        .collect()
}

/// Posts one batch; returns how long it took and how many intents were applied.
async fn push(app: &TestApp, token: &str, intents: &[Intent]) -> Result<(Duration, usize)> {
    let started = Instant::now();
    let response = app
        .authed(Method::POST, "/api/v1/sync/intents", token)
        .json(&json!({ "intents": intents }))
        .send()
        .await?;
    ensure!(response.status() == 200, "push: {}", response.status());
    let body: IntentResults = response.json().await?;
    let took = started.elapsed();
    let applied = body
        .results
        .iter()
        .filter(|r| r.status == IntentStatus::Applied);
    Ok((took, applied.count()))
}

/// 6: batches of 20 `contact.update` intents (versions v … v+19 of one servant's contact), sent
/// one after another, round robin over the pushers.
pub async fn pushes(bench: &Bench, batches: usize) -> Result<()> {
    let app = &bench.app;
    let mut pushers = Vec::new();
    for person in &bench.pushers {
        pushers.push((
            person.account,
            app.token(&person.login, PASSWORD).await,
            0i64,
        ));
    }
    ensure!(!pushers.is_empty(), "no pushers");
    let warmup = pushers.len();
    let (mut samples, mut applied) = (Vec::new(), 0);
    for k in 0..warmup + batches {
        let n = pushers.len();
        let (account, token, version) = &mut pushers[k % n];
        let (took, ok) = push(app, token, &contact_intents(*account, *version, k)).await?;
        *version += 20;
        if k >= warmup {
            samples.push(took);
            applied += ok;
        }
    }
    let p95 = percentile(&samples, 0.95);
    report::line(
        6,
        "p95 of a push of 20 intents",
        ms(p95),
        " ms",
        Goal::AtMost(50.0),
    );
    report::detail(format!(
        "p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms over {} batches ({} of {} intents applied)",
        ms(percentile(&samples, 0.5)),
        ms(p95),
        ms(percentile(&samples, 1.0)),
        samples.len(),
        applied,
        samples.len() * 20
    ));
    Ok(())
}
