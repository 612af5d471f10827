//! Building the application: connections, state, routes, and the listening server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use tracing_actix_web::TracingLogger;
use xodim_domain::ErrorCode;

use crate::auth::limiter::{Clock, LoginLimiter, SystemClock};
use crate::auth::tokens::{TokenKeys, signing_secret};
use crate::config::Settings;
use crate::error::{self, ApiError};
use crate::kv::Kv;
use crate::metrics::Metrics;
use crate::push::{self, PushSender};
use crate::state::AppState;
use crate::sync::notify::Notifier;
use crate::{admin, auth, db, features, health, me, metrics, openapi, sync};

/// A built server, bound to its port and ready to run.
pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
    /// Background work that lives as long as the server.
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Application {
    /// Connects to the database (migrating it) and Redis, binds the listener and assembles the
    /// routes. Port 0 binds a free port, which [`Application::port`] reports.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// [`Application::build`] with the sign-in limiter reading the time from `clock`; push
    /// notifications go through the sender the settings call for (FCM with credentials, a log
    /// sender without).
    pub async fn build_with_clock(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        let sender = push::sender_from_settings(&settings)?;
        Self::build_with_sender(settings, clock, sender).await
    }

    /// [`Application::build_with_clock`] with push notifications delivered through `sender`.
    pub async fn build_with_sender(
        settings: Settings,
        clock: Arc<dyn Clock>,
        sender: Arc<dyn PushSender>,
    ) -> anyhow::Result<Self> {
        let mut state = build_state(settings).await?;
        state.limiter = state.limiter.with_clock(clock);
        let state = web::Data::new(state);
        let mut tasks = vec![spawn_compaction(state.clone())];
        tasks.extend(state.notifier.spawn_relay(&state.kv));
        tracing::info!(
            sender = sender.name(),
            "push notifications are delivered through this sender"
        );
        tasks.extend(push::worker::spawn(state.clone(), sender));
        let listener = TcpListener::bind(&state.settings.listen)?;
        let port = listener.local_addr()?.port();
        let server = serve(listener, state.clone())?;
        Ok(Self {
            port,
            server,
            state,
            tasks,
        })
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle to stop the server, as an orchestrator would.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// The shared state, for callers that seed or inspect it.
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Serves until the process is told to stop.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        // Background tasks hold the state (and its pool); they end with the server.
        for task in self.tasks {
            task.abort();
        }
        served
    }
}

/// Opens every connection the handlers need; used by the server and by CLI commands.
pub async fn build_state(settings: Settings) -> anyhow::Result<AppState> {
    let db = db::connect(&settings.database_url, settings.database_max_connections).await?;
    db::migrate(&db).await?;
    let kv = Kv::connect(settings.redis_url.as_deref(), &settings.redis_prefix).await?;
    if !kv.is_shared() {
        tracing::info!(
            "no REDIS_URL: rate limits and revocations are kept in this process only; run a single instance"
        );
    }
    let secret = signing_secret(&db, settings.jwt_secret.as_deref())
        .await
        .map_err(|err| anyhow::anyhow!("{err}"))?;
    let tokens = TokenKeys::new(&secret, settings.access_token_ttl_secs);
    let limiter = LoginLimiter::new(
        kv.clone(),
        settings.login_attempts_per_account,
        settings.login_attempts_per_address,
        Duration::from_secs(settings.login_window_secs),
    );
    let redis = match &settings.redis_url {
        Some(url) => Some((
            redis::Client::open(url.as_str())?,
            settings.redis_prefix.clone(),
        )),
        None => None,
    };
    let notifier = Notifier::new(redis);
    let sqlite_writes = (!settings.is_postgres()).then(|| tokio::sync::Mutex::new(()));
    Ok(AppState {
        settings,
        db,
        kv,
        tokens,
        limiter,
        metrics: Metrics::new()?,
        notifier,
        features: features::registry()?,
        sqlite_writes,
        push_wake: tokio::sync::Notify::new(),
    })
}

/// Drops old removals from the change log, and push deliveries settled a week ago, once an
/// hour; any instance may do it, and doing it twice is harmless.
fn spawn_compaction(state: web::Data<AppState>) -> tokio::task::JoinHandle<()> {
    let retention = chrono::Duration::days(i64::from(state.settings.sync_tombstone_retention_days));
    tokio::spawn(async move {
        let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            match crate::sync::log::compact(&state.db, chrono::Utc::now() - retention).await {
                Ok(removed) if removed > 0 => tracing::info!(removed, "compacted the change log"),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "change-log compaction failed"),
            }
            let week_ago = chrono::Utc::now() - chrono::Duration::days(7);
            if let Err(err) = push::outbox::purge_settled(&state.db, week_ago).await {
                tracing::warn!(error = %err, "purging settled push deliveries failed");
            }
        }
    })
}

/// A request no route took: a known path with another method, or no such path.
fn unrouted(routes: &openapi::Routes, req: &HttpRequest) -> ApiError {
    match routes.allowed(req.path()) {
        Some(allow) => ApiError::method_not_allowed(allow),
        None => ApiError::new(ErrorCode::RouteNotFound, "no such route"),
    }
}

fn serve(listener: TcpListener, state: web::Data<AppState>) -> std::io::Result<Server> {
    let json_limit = state.settings.max_json_bytes;
    let upload_limit = state.settings.max_upload_bytes;
    let server = HttpServer::new(move || {
        App::new()
            .wrap(from_fn(error::bounded_url))
            .wrap(from_fn(error::localize))
            .wrap(from_fn(metrics::record))
            .wrap(TracingLogger::default())
            .app_data(state.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(json_limit)
                    .error_handler(error::json_error),
            )
            .app_data(web::QueryConfig::default().error_handler(error::query_error))
            .app_data(web::PathConfig::default().error_handler(error::path_error))
            .app_data(web::PayloadConfig::new(upload_limit))
            .configure(health::configure)
            .route("/metrics", web::get().to(metrics::export))
            .configure(openapi::configure)
            .configure(auth::configure)
            .configure(me::configure)
            .configure(push::configure)
            .configure(admin::configure)
            .configure(sync::configure)
            .configure(|cfg| state.features.configure(cfg))
            .default_service(web::to(|req: HttpRequest| async move {
                Err::<HttpResponse, _>(unrouted(openapi::Routes::get(), &req))
            }))
    })
    .listen(listener)?
    .run();
    Ok(server)
}
