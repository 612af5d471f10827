//! Measurements on a phone: a real `XodimCore` with a fresh store file, against the server on
//! loopback, and the same pages applied again from memory next to raw rusqlite inserts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use rusqlite::params;
use serde_json::Value;
use xodim_core::{
    HttpRequest, HttpResponse, ReqwestTransport, SystemClock, SystemIds, Transport, TransportError,
    XodimCore,
};

use super::load::{ms, percentile};
use super::report::{self, Goal};
use crate::fixtures::PASSWORD;

/// Pages of a pull, by the URL that fetched them.
type Pages = HashMap<String, HttpResponse>;

/// Real HTTP that keeps the pulled pages, or serves them again without the network.
struct Recorder {
    replay: bool,
    http: Mutex<Option<ReqwestTransport>>,
    pages: Mutex<Pages>,
}

impl Recorder {
    fn new(replay: Option<Pages>) -> Self {
        Self {
            replay: replay.is_some(),
            http: Mutex::new(None),
            pages: Mutex::new(replay.unwrap_or_default()),
        }
    }

    fn pages(&self) -> Pages {
        self.pages
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Transport for Recorder {
    fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let url = request.url.clone();
        let pull = request.method == "GET" && url.contains("/api/v1/sync/changes");
        let mut pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        if pull && self.replay {
            return pages.get(&url).cloned().ok_or(TransportError::Network {
                reason: format!("no recorded page for {url}"),
            });
        }
        let mut http = self.http.lock().unwrap_or_else(PoisonError::into_inner);
        if http.is_none() {
            // Made on first use: the blocking client must be created outside the async runtime.
            *http = Some(ReqwestTransport::new()?);
        }
        let response = match http.as_ref() {
            Some(http) => http.execute(request)?,
            None => {
                return Err(TransportError::Network {
                    reason: "no client".into(),
                });
            }
        };
        if pull {
            pages.insert(url, response.clone());
        }
        Ok(response)
    }
}

fn temp_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "xodim-bench-{name}-{}.db",
        uuid::Uuid::new_v4().simple()
    ))
}

fn remove(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// One timed first sync on a fresh phone that signed in beforehand.
struct Run {
    took: Duration,
    received: u64,
    pages: Pages,
}

fn first_sync(url: &str, login: &str, replay: Option<Pages>) -> Result<Run> {
    let path = temp_file("phone");
    let recorder = Arc::new(Recorder::new(replay));
    let core = XodimCore::open_with(
        &path.to_string_lossy(),
        url,
        "en",
        recorder.clone(),
        Arc::new(SystemClock),
        Arc::new(SystemIds),
    )?;
    core.login(login.to_owned(), PASSWORD.to_owned())?;
    let started = Instant::now();
    let report = core.sync(None)?;
    let took = started.elapsed();
    drop(core);
    remove(&path);
    Ok(Run {
        took,
        received: report.received,
        pages: recorder.pages(),
    })
}

/// One entity row: scope, kind, id, version, data.
type Row = (String, String, String, i64, String);

/// The rows the pages carry, as the core stores them.
fn rows_of(pages: &Pages) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for response in pages.values() {
        let page: Value = serde_json::from_slice(&response.body)?;
        for change in page["changes"].as_array().context("changes")? {
            let text = |key: &str| change[key].as_str().map(str::to_owned).context("field");
            rows.push((
                text("scope")?,
                text("kind")?,
                text("id")?,
                change["version"].as_i64().context("version")?,
                change["data"].to_string(),
            ));
        }
    }
    Ok(rows)
}

/// The core's `entities` table and index.
const ENTITIES: &str = "
CREATE TABLE entities (
    scope   TEXT NOT NULL,
    kind    TEXT NOT NULL,
    id      TEXT NOT NULL,
    version INTEGER NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (scope, kind, id)
) WITHOUT ROWID;
CREATE INDEX entities_by_kind ON entities (kind, id);";

/// The core's statement for a pulled entity.
const UPSERT: &str =
    "INSERT INTO entities (scope, kind, id, version, data) VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT (scope, kind, id) DO UPDATE SET version = excluded.version, data = excluded.data";

/// How the raw rusqlite baseline writes the rows.
#[derive(Debug, Clone, Copy)]
enum Style {
    /// One transaction, one prepared INSERT for every row.
    Batched,
    /// As the core's store does: a transaction per page of 500, the upsert prepared for each row.
    AsTheCore,
}

/// Writes the rows into a fresh file with the core's pragmas (WAL, synchronous FULL); times the
/// writing from the first BEGIN to the last COMMIT.
fn raw_inserts(rows: &[Row], style: Style) -> Result<Duration> {
    let path = temp_file("raw");
    let mut conn = rusqlite::Connection::open(&path)?;
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch(ENTITIES)?;
    let started = Instant::now();
    match style {
        Style::Batched => {
            let tx = conn.transaction()?;
            let mut insert = tx.prepare(
                "INSERT INTO entities (scope, kind, id, version, data) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (scope, kind, id, version, data) in rows {
                insert.execute(params![scope, kind, id, version, data])?;
            }
            drop(insert);
            tx.commit()?;
        }
        Style::AsTheCore => {
            for page in rows.chunks(500) {
                let tx =
                    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                for (scope, kind, id, version, data) in page {
                    tx.execute(UPSERT, params![scope, kind, id, version, data])?;
                }
                tx.commit()?;
            }
        }
    }
    let took = started.elapsed();
    drop(conn);
    remove(&path);
    Ok(took)
}

/// Everything timed on the phone side, run on a blocking thread.
struct Figures {
    live: Vec<Run>,
    replayed: Vec<Run>,
    raw: Vec<Duration>,
    as_core: Vec<Duration>,
    rows: usize,
}

fn measure(url: &str, login: &str, runs: usize) -> Result<Figures> {
    let mut live = Vec::new();
    for _ in 0..runs {
        live.push(first_sync(url, login, None)?);
    }
    let pages = live.last().map(|r| r.pages.clone()).unwrap_or_default();
    let mut replayed = Vec::new();
    for _ in 0..runs {
        replayed.push(first_sync(url, login, Some(pages.clone()))?);
    }
    let rows = rows_of(&pages)?;
    let (mut raw, mut as_core) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        raw.push(raw_inserts(&rows, Style::Batched)?);
        as_core.push(raw_inserts(&rows, Style::AsTheCore)?);
    }
    Ok(Figures {
        live,
        replayed,
        raw,
        as_core,
        rows: rows.len(),
    })
}

/// 4 and 5: a manager's first sync end to end, then the core's apply against raw inserts.
pub async fn first_syncs(url: String, login: String, entities: usize, runs: usize) -> Result<()> {
    let figures = tokio::task::spawn_blocking(move || measure(&url, &login, runs)).await??;
    let times = |runs: &[Run]| runs.iter().map(|r| r.took).collect::<Vec<_>>();
    let (live, replayed) = (times(&figures.live), times(&figures.replayed));
    let received = figures.live.first().map_or(0, |r| r.received);
    ensure!(
        figures.replayed.iter().all(|r| r.received == received),
        "a replayed sync received another number of changes"
    );
    let median = percentile(&live, 0.5);
    let what = format!("first sync of {received} entities, end to end (ms)");
    report::line(4, &what, ms(median), " ms", Goal::AtMost(300.0));
    let each: Vec<String> = live.iter().map(|d| format!("{:.0}", ms(*d))).collect();
    report::detail(format!(
        "median of {} fresh phones (the manager holds {entities} entities); each run: {} ms; the first run met cold server caches",
        live.len(),
        each.join(", ")
    ));
    let core_rate = received as f64 / percentile(&replayed, 0.5).as_secs_f64();
    let raw_rate = figures.rows as f64 / percentile(&figures.raw, 0.5).as_secs_f64();
    report::line(
        5,
        "client apply rows/s / raw batched rusqlite inserts",
        core_rate / raw_rate,
        "",
        Goal::AtLeast(0.5),
    );
    report::detail(format!(
        "core: {core_rate:.0} rows/s = {received} rows / median {:.1} ms of XodimCore::sync() on a fresh signed-in phone, the pages served from memory (recorded above) instead of the network: JSON decode, plan, one SQLite transaction per page of 500 (upsert per change, cursor), synchronous=FULL",
        ms(percentile(&replayed, 0.5))
    ));
    report::detail(format!(
        "raw:  {raw_rate:.0} rows/s = {} rows / median {:.1} ms of BEGIN, one prepared INSERT per row, COMMIT into the same table and index, WAL, synchronous=FULL",
        figures.rows,
        ms(percentile(&figures.raw, 0.5))
    ));
    let as_core = percentile(&figures.as_core, 0.5);
    report::detail(format!(
        "for comparison, raw rusqlite with a transaction per 500 rows and the upsert statement prepared again for each row: {:.0} rows/s, median {:.1} ms",
        figures.rows as f64 / as_core.as_secs_f64(),
        ms(as_core)
    ));
    Ok(())
}
