//! The features of a running server, found by the intent namespace each owns.

use std::collections::BTreeMap;

use actix_web::web;
use sea_orm::DatabaseTransaction;

use super::{AccountOpened, Feature, Publication};
use crate::error::ApiResult;

/// Two features claim one intent namespace, so an intent could not tell which decides it.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("two features claim the intent namespace {namespace:?}; each namespace belongs to one")]
pub struct DuplicateNamespace {
    /// The namespace claimed twice.
    pub namespace: &'static str,
}

/// Every feature, each under the namespace it owns.
pub struct Registry {
    features: Vec<Box<dyn Feature>>,
    by_namespace: BTreeMap<&'static str, usize>,
}

impl Registry {
    /// The registry of these features, refused when two claim the same namespace.
    pub fn new(features: Vec<Box<dyn Feature>>) -> Result<Self, DuplicateNamespace> {
        let mut by_namespace = BTreeMap::new();
        for (index, feature) in features.iter().enumerate() {
            let namespace = feature.namespace();
            if by_namespace.insert(namespace, index).is_some() {
                return Err(DuplicateNamespace { namespace });
            }
        }
        Ok(Self {
            features,
            by_namespace,
        })
    }

    /// The feature that owns the namespace, if any does.
    pub fn owner(&self, namespace: &str) -> Option<&dyn Feature> {
        let index = *self.by_namespace.get(namespace)?;
        self.features.get(index).map(Box::as_ref)
    }

    /// Registers the routes of every feature.
    pub fn configure(&self, cfg: &mut web::ServiceConfig) {
        for feature in &self.features {
            feature.configure(cfg);
        }
    }

    /// What every feature publishes to a newly opened account, as one publication.
    pub async fn account_opened(
        &self,
        txn: &DatabaseTransaction,
        opened: AccountOpened,
    ) -> ApiResult<Publication> {
        let mut publication = Publication::default();
        for feature in &self.features {
            publication.join(feature.account_opened(txn, opened).await?);
        }
        Ok(publication)
    }
}

#[cfg(test)]
mod tests {
    use async_trait::async_trait;
    use xodim_domain::{DomainError, ErrorCode};

    use super::*;
    use crate::sync::engine::{Decision, IntentContext};

    struct Named(&'static str);

    #[async_trait]
    impl Feature for Named {
        fn namespace(&self) -> &'static str {
            self.0
        }

        async fn decide(&self, _cx: &IntentContext<'_>) -> ApiResult<Decision> {
            Ok(Decision::rejected(DomainError::new(
                ErrorCode::Forbidden,
                "",
            )))
        }
    }

    fn features(namespaces: &[&'static str]) -> Vec<Box<dyn Feature>> {
        namespaces
            .iter()
            .map(|n| Box::new(Named(n)) as Box<dyn Feature>)
            .collect()
    }

    #[test]
    fn two_features_claiming_one_namespace_are_refused_with_the_namespace_named() {
        let refused = Registry::new(features(&["contact", "correction", "contact"])).err();
        assert_eq!(
            refused,
            Some(DuplicateNamespace {
                namespace: "contact"
            })
        );
        let message = refused.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("\"contact\""), "{message}");
    }

    #[test]
    fn each_namespace_is_owned_by_the_feature_that_claims_it_and_no_other_is_owned() {
        let registry = Registry::new(features(&["contact", "correction"])).unwrap();
        let owner = |namespace| registry.owner(namespace).map(|f| f.namespace());
        assert_eq!(owner("correction"), Some("correction"));
        assert_eq!(owner("contact"), Some("contact"));
        assert_eq!(owner("leave"), None);
    }
}
