//! The people, posts and phones of a simulation run.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicI64;

use uuid::Uuid;
use xodim_core::XodimCore;
use xodim_domain::records::Section;
use xodim_tests::TestApp;
use xodim_tests::fixtures::{PASSWORD, Person};
use xodim_tests::phones::PhoneFile;
use xodim_tests::records::education;

use crate::net::{Link, Network, SimClock, SimIds};

/// A phone: its file survives kills; the core is reopened from it.
pub struct Device {
    pub owner: usize,
    pub link: Arc<Link>,
    pub clock: Arc<SimClock>,
    pub ids: Arc<SimIds>,
    pub core: Option<Arc<XodimCore>>,
    /// Every intent this phone created, by id.
    pub created: Vec<String>,
    // Last, so that the store is closed before its file is removed.
    file: PhoneFile,
}

impl Device {
    pub fn open(&mut self) -> Arc<XodimCore> {
        if let Some(core) = &self.core {
            return core.clone();
        }
        let core = self.file.open(
            &self.link.network.original,
            self.link.clone(),
            self.clock.clone(),
            self.ids.clone(),
        );
        self.core = Some(core.clone());
        core
    }

    /// The app is killed: whatever was in memory is gone, the file stays.
    pub fn kill(&mut self) {
        self.core = None;
    }
}

pub struct World {
    pub app: TestApp,
    pub people: Vec<Person>,
    pub devices: Vec<Device>,
    pub units: [Uuid; 2],
    pub hr_token: String,
    pub network: Arc<Network>,
    /// The HR officer's place in `people`; everyone before it is staff of units A and B.
    pub hr: usize,
    /// Every request seen decided on any phone, with the decision first seen.
    pub decided: BTreeMap<String, String>,
}

/// Three servants and a manager in unit A, two servants in B, an HR officer at the root, each
/// with two education items in their file; two phones each; spare posts for transfers.
pub async fn build(seed: u64) -> World {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let mut people = Vec::new();
    let manager = app.manager(tree.unit_a, "sim.manager").await;
    people.push(manager);
    for (i, unit) in [
        tree.unit_a,
        tree.unit_a,
        tree.unit_a,
        tree.unit_b,
        tree.unit_b,
    ]
    .into_iter()
    .enumerate()
    {
        people.push(app.person(unit, &format!("sim.servant{i}"), &[]).await);
    }
    people.push(app.hr_officer(tree.root, "sim.hr").await);
    for person in &people {
        for school in ["TDIU", "OʻzMU"] {
            app.record(person.employee, Section::Education, education(school))
                .await;
        }
    }
    app.publish_all().await;
    let hr_token = app.token("sim.hr", PASSWORD).await;
    let logins: Vec<String> = people.iter().map(|p| p.login.clone()).collect();
    let (address, server, runtime) = (
        app.address.clone(),
        app.server.clone(),
        tokio::runtime::Handle::current(),
    );
    // The cores and their blocking HTTP clients live on blocking threads, never in async code.
    let (network, devices) = tokio::task::spawn_blocking(move || {
        let network = Network::new(&address, server, runtime);
        let devices = phones(&network, &logins, seed);
        (network, devices)
    })
    .await
    .unwrap();
    let people_len = people.len();
    World {
        app,
        people,
        devices,
        units: [tree.unit_a, tree.unit_b],
        hr_token,
        network,
        hr: people_len - 1,
        decided: BTreeMap::new(),
    }
}

fn phones(network: &Arc<Network>, logins: &[String], seed: u64) -> Vec<Device> {
    let mut devices = Vec::new();
    for (owner, login) in logins.iter().enumerate() {
        for n in 0..2 {
            let clock = Arc::new(SimClock(AtomicI64::new(1_800_000_000_000)));
            let ids = Arc::new(SimIds::new(
                seed ^ (((owner as u64) << 8) | n),
                clock.clone(),
            ));
            let link = Link::new(network.clone());
            let mut device = Device {
                owner,
                link,
                clock,
                ids,
                core: None,
                created: Vec::new(),
                file: PhoneFile::new(&format!("sim-{login}-{n}")),
            };
            device.open().login(login.clone(), PASSWORD.into()).unwrap();
            devices.push(device);
        }
    }
    devices
}
