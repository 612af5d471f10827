//! The people most specifications need: a servant in unit A and the HR officer of the whole
//! organisation, both signed in, on a server of their own, and their phones on demand; HR
//! officers, managers and a servant on their own for the rest.

use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::Role;
use xodim_domain::records::{RecordItem, RequestAddress, Section};
use xodim_domain::sync::{IntentOutcome, IntentStatus};

use crate::TestApp;
use crate::fixtures::{PASSWORD, Person, Tree};
use crate::phones::Phone;
use crate::records::education;

/// A servant (`c.servant`, unit A) and an HR officer (`c.hr`, at the root, reviewing the whole
/// tree), with their access tokens.
pub struct Office {
    pub app: TestApp,
    pub tree: Tree,
    pub servant: Person,
    pub hr: Person,
    pub servant_token: String,
    pub hr_token: String,
}

/// A new server with the [`Office`] cast.
pub async fn office() -> Office {
    office_on(TestApp::spawn().await).await
}

/// The [`Office`] cast on a server of the caller's making (other settings, another sender).
pub async fn office_on(app: TestApp) -> Office {
    let tree = app.tree().await;
    let servant = app.person(tree.unit_a, "c.servant", &[]).await;
    let hr = app.hr_officer(tree.root, "c.hr").await;
    let servant_token = app.token(&servant.login, PASSWORD).await;
    let hr_token = app.token(&hr.login, PASSWORD).await;
    Office {
        app,
        tree,
        servant,
        hr,
        servant_token,
        hr_token,
    }
}

impl TestApp {
    /// A person on a new post in `unit` who reviews the requests of its whole subtree.
    pub async fn hr_officer(&self, unit: Uuid, login: &str) -> Person {
        self.person(unit, login, &[(Role::HrOfficer, unit)]).await
    }

    /// A person on the head post of `unit`: the manager of its staff.
    pub async fn manager(&self, unit: Uuid, login: &str) -> Person {
        let head = self.person(unit, login, &[]).await;
        self.make_head(unit, head.position).await;
        head
    }

    /// A new organisation, written to the change log as the demo seed does, with one servant
    /// in unit A.
    pub async fn lone_servant(&self, login: &str) -> (Tree, Person) {
        let tree = self.tree().await;
        let servant = self.person(tree.unit_a, login, &[]).await;
        self.publish_all().await;
        (tree, servant)
    }
}

impl Office {
    /// An education item of the servant and their request to change its institution.
    pub async fn propose(&self, institution: &str) -> (RecordItem, Uuid) {
        let item = self
            .app
            .record(self.servant.employee, Section::Education, education("TDIU"))
            .await;
        let (request, outcome) = self
            .app
            .propose_edit(&self.servant_token, &item, institution)
            .await;
        assert_eq!(
            (outcome.status, outcome.code),
            (IntentStatus::Applied, None)
        );
        (item, request)
    }

    /// HR changes one field of an item made by [`Office::propose`] at the desk, moving it past
    /// the request's base.
    pub async fn hr_edits(&self, item: &RecordItem, field: &str, value: &str) {
        let mut fields = education("TDIU");
        fields[field] = json!(value);
        let changed = self
            .app
            .authed(
                Method::PUT,
                &format!("/api/v1/hr/records/{}", item.id),
                &self.hr_token,
            )
            .json(&json!({ "version": item.version, "fields": fields }))
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), 200);
    }

    /// One step on a request by the holder of `token`.
    pub async fn step(&self, token: &str, kind: &str, request: Uuid, args: Value) -> IntentOutcome {
        self.app
            .intent(token, kind, RequestAddress(request), args)
            .await
    }

    /// The servant's phone, signed in.
    pub async fn servant_phone(&self) -> Phone {
        self.app.phone(&self.servant.login).await
    }

    /// The HR officer's phone, signed in.
    pub async fn hr_phone(&self) -> Phone {
        self.app.phone(&self.hr.login).await
    }

    /// The servant's phone and the HR officer's, both signed in.
    pub async fn phones(&self) -> (Phone, Phone) {
        (self.servant_phone().await, self.hr_phone().await)
    }
}
