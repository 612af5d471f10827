//! The composition root: every feature of the server, one line each. A feature listed here
//! owns its intent namespace, serves its routes and publishes to newly opened accounts.

use crate::sync::engine::{DuplicateNamespace, Feature, Registry};
use crate::{contact, records};

/// Every feature, in the order their routes are registered.
pub fn all() -> Vec<Box<dyn Feature>> {
    vec![Box::new(contact::Contact), Box::new(records::Records)]
}

/// The registry the server runs with; refused when two features claim one namespace.
pub fn registry() -> Result<Registry, DuplicateNamespace> {
    Registry::new(all())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_features_of_the_server_claim_distinct_namespaces() {
        assert!(registry().is_ok());
    }
}
