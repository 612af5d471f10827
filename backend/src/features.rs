//! The composition root: every feature of the server, one line each. A feature listed here
//! owns its intent namespace, serves its routes and publishes to newly opened accounts.

use crate::sync::engine::{DuplicateNamespace, Feature, Registry};
use crate::{contact, inbox, records};

/// Every feature, in the order their routes are registered.
pub fn all() -> Vec<Box<dyn Feature>> {
    vec![
        Box::new(contact::Contact),
        Box::new(records::Records),
        Box::new(inbox::Inbox),
    ]
}

/// The registry the server runs with; refused when two features claim one namespace.
pub fn registry() -> Result<Registry, DuplicateNamespace> {
    Registry::new(all())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_starts_with_contact_records_and_inbox_each_owning_its_namespace() {
        let registry = registry().expect("distinct namespaces");
        for namespace in [
            xodim_domain::contact::NAMESPACE,
            xodim_domain::records::intents::NAMESPACE,
            xodim_domain::inbox::NAMESPACE,
        ] {
            let owner = registry.owner(namespace).map(|f| f.namespace());
            assert_eq!(owner, Some(namespace));
        }
    }
}
