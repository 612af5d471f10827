//! The HR and evidence routes of the matrix: personnel files, their import, the inbox of
//! correction requests and evidence downloads.

use reqwest::Method;
use serde_json::json;
use xodim_domain::Permission;
use xodim_tests::records::education;

use super::routes::{Body, Route};

pub fn routes() -> Vec<Route> {
    use Permission::*;
    vec![
        Route {
            name: "read records",
            permission: ViewRecords,
            call: |t| {
                (
                    Method::GET,
                    format!("/api/v1/hr/employees/{}/records", t.employee),
                    Body::None,
                )
            },
        },
        Route {
            name: "add record",
            permission: ManageRecords,
            call: |t| {
                (
                    Method::POST,
                    format!("/api/v1/hr/employees/{}/records", t.employee),
                    Body::Json(json!({ "section": "education", "fields": education("TDIU") })),
                )
            },
        },
        Route {
            name: "change record",
            permission: ManageRecords,
            call: |t| {
                (
                    Method::PUT,
                    format!("/api/v1/hr/records/{}", t.record),
                    Body::Json(json!({ "version": 1, "fields": education("OʻzMU") })),
                )
            },
        },
        Route {
            name: "delete record",
            permission: ManageRecords,
            call: |t| {
                (
                    Method::DELETE,
                    format!("/api/v1/hr/records/{}?version=1", t.record),
                    Body::None,
                )
            },
        },
        Route {
            name: "import records",
            permission: ManageRecords,
            call: |t| {
                (
                    Method::POST,
                    "/api/v1/hr/records/import".into(),
                    Body::Csv(format!(
                        "pinfl,section,institution,level\n{},education,TDIU,bachelor\n",
                        t.pinfl
                    )),
                )
            },
        },
        Route {
            name: "list requests",
            permission: ReviewCorrections,
            call: |_| (Method::GET, "/api/v1/hr/requests".into(), Body::None),
        },
        Route {
            name: "get request",
            permission: ReviewCorrections,
            call: |t| {
                (
                    Method::GET,
                    format!("/api/v1/hr/requests/{}", t.request),
                    Body::None,
                )
            },
        },
        Route {
            name: "download evidence",
            permission: ReviewCorrections,
            call: |t| {
                (
                    Method::GET,
                    format!("/api/v1/evidence/{}", t.evidence),
                    Body::None,
                )
            },
        },
    ]
}
