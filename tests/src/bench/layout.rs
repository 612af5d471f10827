//! A server with a database of a chosen size: filler organisations, and a bench organisation
//! holding the people whose requests are measured.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::Utc;
use sea_orm::{EntityTrait, PaginatorTrait, TransactionTrait};
use uuid::Uuid;
use xodim_domain::UnitId;
use xodim_domain::sync::Scope;
use xodim_server::db::entities::{employee, org_unit};
use xodim_server::org::publish;
use xodim_server::sync::log::{self, Entry};

use super::seed::{self, Batch, Builder};
use crate::TestApp;
use crate::fixtures::{Person, Tree};

/// What to put in the database.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Employees in the whole database (at least the bench organisation's).
    pub servants: usize,
    /// Servants with accounts and nothing to manage.
    pub plain: usize,
    /// Servants with accounts who push contact changes.
    pub pushers: usize,
    /// Units of [`DELTA_STAFF`] employees, each with a head who manages it.
    pub delta_units: usize,
    /// Entities a manager receives on a first sync (cards of their unit and the catalogue).
    pub first_sync: Option<usize>,
    /// The server's database pool.
    pub connections: u32,
}

/// Employees of a delta unit besides its head; each delta pull brings exactly this many.
pub const DELTA_STAFF: usize = 100;

/// A unit whose cards can be written again, so that a saved cursor has them waiting.
pub struct Delta {
    pub manager: Person,
    pub cards: Vec<Entry>,
}

/// A manager whose first sync brings about [`Layout::first_sync`] entities.
pub struct First {
    pub manager: Person,
    pub entities: usize,
}

/// A running server with its seeded people.
pub struct Bench {
    pub app: TestApp,
    pub plain: Vec<Person>,
    pub pushers: Vec<Person>,
    pub delta: Vec<Delta>,
    pub first: Option<First>,
    pub employees: u64,
    pub seeding: Duration,
}

async fn people(app: &TestApp, unit: Uuid, prefix: &str, count: usize) -> Vec<Person> {
    let mut people = Vec::with_capacity(count);
    for i in 0..count {
        people.push(app.person(unit, &format!("{prefix}.{i}"), &[]).await);
    }
    people
}

/// The bench organisation's own units: one per delta manager and one for the first sync.
struct Units {
    delta: Vec<Uuid>,
    first: Option<Uuid>,
    /// Units in the organisation's catalogue, the tree's three included.
    catalogue: usize,
}

async fn bench_units(
    app: &TestApp,
    builder: &mut Builder,
    tree: &Tree,
    layout: Layout,
) -> Result<Units> {
    let root = org_unit::Entity::find_by_id(tree.root)
        .one(&app.state.db)
        .await?
        .context("the bench root unit")?;
    let mut batch = Batch::default();
    let mut delta = Vec::new();
    for _ in 0..layout.delta_units {
        delta.push(builder.unit(&mut batch, tree.org, Some(&root))?.id);
    }
    let first = match layout.first_sync {
        Some(_) => Some(builder.unit(&mut batch, tree.org, Some(&root))?.id),
        None => None,
    };
    batch.write(&app.state.db).await?;
    Ok(Units {
        catalogue: 3 + delta.len() + usize::from(first.is_some()),
        delta,
        first,
    })
}

/// The heads of the bench units, and the staff under them.
async fn managed(
    app: &TestApp,
    builder: &mut Builder,
    tree: &Tree,
    units: &Units,
    layout: Layout,
) -> Result<(Vec<Delta>, Option<First>)> {
    let mut staff = Batch::default();
    let mut managers = Vec::new();
    for (i, unit) in units.delta.iter().enumerate() {
        managers.push(app.manager(*unit, &format!("bench.delta.{i}")).await);
        builder.staff(&mut staff, tree.org, *unit, DELTA_STAFF)?;
    }
    let first = match (units.first, layout.first_sync) {
        (Some(unit), Some(entities)) => {
            let manager = app.manager(unit, "bench.first").await;
            let cards = entities.saturating_sub(units.catalogue + 1);
            builder.staff(&mut staff, tree.org, unit, cards)?;
            Some(First {
                manager,
                entities: units.catalogue + cards + 1,
            })
        }
        _ => None,
    };
    let delta = managers
        .into_iter()
        .zip(&units.delta)
        .map(|(manager, unit)| Delta {
            manager,
            cards: cards_of(&staff.entries, *unit),
        })
        .collect();
    staff.write(&app.state.db).await?;
    Ok((delta, first))
}

/// Starts a server and fills its database after `layout`.
pub async fn build(layout: Layout) -> Result<Bench> {
    let started = Instant::now();
    let app = TestApp::spawn_with(|s| s.database_max_connections = layout.connections).await;
    let db = app.state.db.clone();
    let mut builder = Builder::new();
    let tree = app.tree().await;
    let units = bench_units(&app, &mut builder, &tree, layout).await?;
    let plain = people(&app, tree.unit_a, "bench.servant", layout.plain).await;
    let pushers = people(&app, tree.unit_b, "bench.pusher", layout.pushers).await;
    let (delta, first) = managed(&app, &mut builder, &tree, &units, layout).await?;
    let mut fixtures: Vec<&Person> = plain.iter().chain(&pushers).collect();
    fixtures.extend(first.as_ref().map(|f| &f.manager));
    fixtures.extend(delta.iter().map(|d| &d.manager));
    publish_fixtures(&app, &tree, &fixtures).await?;

    let bench = usize::try_from(employee::Entity::find().count(&db).await?)?;
    seed::filler(&db, &mut builder, layout.servants.saturating_sub(bench)).await?;
    Ok(Bench {
        employees: employee::Entity::find().count(&db).await?,
        seeding: started.elapsed(),
        app,
        plain,
        pushers,
        delta,
        first,
    })
}

fn cards_of(entries: &[Entry], unit: Uuid) -> Vec<Entry> {
    let scope = Scope::Unit(UnitId::from_uuid(unit));
    entries
        .iter()
        .filter(|e| e.scope == scope)
        .cloned()
        .collect()
}

/// The change-log rows of what the fixtures wrote: their people's cards and the three units of
/// the tree.
async fn publish_fixtures(app: &TestApp, tree: &Tree, people: &[&Person]) -> Result<()> {
    let ids: Vec<Uuid> = people.iter().map(|p| p.employee).collect();
    let txn = app.state.db.begin().await?;
    publish::employees(&txn, &ids).await?;
    let mut units = Vec::new();
    for id in [tree.root, tree.unit_a, tree.unit_b] {
        let unit = org_unit::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .context("a tree unit")?;
        units.push(publish::unit_entry(&unit)?);
    }
    log::record(&txn, units, Utc::now()).await?;
    txn.commit().await?;
    Ok(())
}

/// Writes the cards again (new versions, same content), as an edit of each would, and raises the
/// cached heads so that pulls see them.
pub async fn rewrite(app: &TestApp, cards: &[Entry]) -> Result<()> {
    let txn = app.state.db.begin().await?;
    let heads = log::record(&txn, cards.to_vec(), Utc::now()).await?;
    txn.commit().await?;
    app.state.notifier.moved(&app.state.kv, &heads).await?;
    Ok(())
}
