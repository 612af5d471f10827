//! The OpenAPI document of every route, served at `/api-docs/openapi.json`.

use std::sync::OnceLock;

use actix_web::dev::ResourceDef;
use actix_web::{HttpResponse, web};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// Adds the bearer-token scheme the secured routes refer to.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "xodim API", description = "Self-service for civil servants: identity, organisation and administration."),
    modifiers(&BearerAuth),
    paths(
        crate::health::health, crate::health::ready, crate::metrics::export,
        crate::auth::routes::login, crate::auth::routes::refresh, crate::auth::routes::logout,
        crate::auth::routes::activate,
        crate::me::me, crate::me::update_me,
        crate::push::paths::put_token, crate::push::paths::delete_token,
        crate::push::paths::get_settings, crate::push::paths::put_settings,
        crate::admin::units::list, crate::admin::units::create, crate::admin::units::get,
        crate::admin::units::update,
        crate::admin::positions::list, crate::admin::positions::create, crate::admin::positions::get,
        crate::admin::positions::update,
        crate::admin::employees::list, crate::admin::employees::create, crate::admin::employees::get,
        crate::admin::employees::transfer, crate::admin::import::import,
        crate::admin::accounts::create, crate::admin::accounts::get,
        crate::admin::accounts::issue_code, crate::admin::accounts::disable,
        crate::admin::grants::list, crate::admin::grants::create, crate::admin::grants::delete,
        crate::sync::pull::changes, crate::sync::intents::submit, crate::sync::live::live,
    )
)]
struct ApiDoc;

const DOCUMENT_PATH: &str = "/api-docs/openapi.json";

/// Registers the document route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(DOCUMENT_PATH, web::get().to(document));
}

/// The document; it is the contract clients and fuzzers work from. Each feature describes the
/// routes it registers.
pub fn document_json() -> serde_json::Value {
    let mut api = ApiDoc::openapi();
    for feature in crate::features::all() {
        api.merge(feature.openapi());
    }
    let mut doc = serde_json::to_value(api).unwrap_or_default();
    crate::api_contract::complete(&mut doc);
    doc
}

/// Every route's path pattern with the methods it answers, for `405` and `Allow`.
pub struct Routes(Vec<(ResourceDef, String)>);

impl Routes {
    /// The routes of the document, plus the document itself.
    pub fn of_document() -> Self {
        let doc = document_json();
        let mut routes = vec![(ResourceDef::new(DOCUMENT_PATH), "GET".to_owned())];
        let paths = doc.get("paths").and_then(|p| p.as_object());
        for (path, item) in paths.into_iter().flatten() {
            let methods: Vec<String> = item
                .as_object()
                .into_iter()
                .flat_map(|ops| ops.keys())
                .map(|m| m.to_ascii_uppercase())
                .collect();
            routes.push((ResourceDef::new(path.as_str()), methods.join(", ")));
        }
        Self(routes)
    }

    /// The routes, built once from the document.
    pub fn get() -> &'static Self {
        static ROUTES: OnceLock<Routes> = OnceLock::new();
        ROUTES.get_or_init(Self::of_document)
    }

    /// The `Allow` value of a path that some route answers: a literal route's methods (such as
    /// `/import` beside `/{id}`), else those of every pattern that matches.
    pub fn allowed(&self, path: &str) -> Option<String> {
        if let Some(literal) = self.literal(path) {
            return Some(literal.to_owned());
        }
        let mut methods: Vec<&str> = self
            .0
            .iter()
            .filter(|(def, _)| def.is_match(path))
            .flat_map(|(_, allow)| allow.split(", "))
            .collect();
        methods.sort_unstable();
        methods.dedup();
        (!methods.is_empty()).then(|| methods.join(", "))
    }

    /// The methods of the literal route (no path parameters) at exactly this path.
    pub fn literal(&self, path: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(def, _)| def.pattern() == Some(path) && !path.contains('{'))
            .map(|(_, allow)| allow.as_str())
    }
}

async fn document() -> HttpResponse {
    HttpResponse::Ok().json(document_json())
}
