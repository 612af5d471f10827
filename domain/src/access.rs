//! Who may do what, and where: roles, the permissions they carry, and grants
//! that bind a role to a unit (optionally with its whole subtree).

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, ErrorCode};
use crate::org::UnitPath;

wire_enum! {
    /// A role an account can hold over a unit. Every account is at least a
    /// servant of its own records; the others are granted explicitly.
    pub enum Role ("role") {
        /// A civil servant using self-service for their own records.
        Servant = "servant",
        /// A head of a unit, approving their staff's requests.
        Manager = "manager",
        /// A personnel (kadrlar) officer maintaining employee records.
        HrOfficer = "hr_officer",
        /// An accountant handling pay and travel allowances.
        Accountant = "accountant",
        /// An administrator of training and qualification programmes.
        TrainingAdmin = "training_admin",
        /// An administrator of an organisation's structure and access.
        OrgAdmin = "org_admin",
        /// A read-only inspector.
        Auditor = "auditor",
    }
}

wire_enum! {
    /// An action on organisation-wide data that needs a granted role.
    pub enum Permission ("permission") {
        /// Read units and positions.
        ViewOrgStructure = "view_org_structure",
        /// Create, rename, move and remove units and positions.
        ManageOrgStructure = "manage_org_structure",
        /// Read employee records.
        ViewEmployees = "view_employees",
        /// Hire, transfer, dismiss and edit employee records.
        ManageEmployees = "manage_employees",
        /// Create, activate, disable accounts and reset their passwords.
        ManageAccounts = "manage_accounts",
        /// Grant and revoke roles.
        ManageGrants = "manage_grants",
        /// Read personnel records (education, relatives, …) of other employees.
        ViewRecords = "view_records",
        /// Create, change and delete personnel record items; import them.
        ManageRecords = "manage_records",
        /// Claim, question, approve and reject correction requests.
        ReviewCorrections = "review_corrections",
    }
}

impl Role {
    /// Whether this role carries the permission, wherever it is granted.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission as P;
        match self {
            // Listed rather than "all but one", so that a permission added later is granted
            // to administrators only by a decision made here. Reviewing corrections is
            // personnel work: an administrator of access does not decide them.
            Role::OrgAdmin => matches!(
                permission,
                P::ViewOrgStructure
                    | P::ManageOrgStructure
                    | P::ViewEmployees
                    | P::ManageEmployees
                    | P::ManageAccounts
                    | P::ManageGrants
                    | P::ViewRecords
                    | P::ManageRecords
            ),
            Role::HrOfficer => matches!(
                permission,
                P::ViewOrgStructure
                    | P::ViewEmployees
                    | P::ManageEmployees
                    | P::ManageAccounts
                    | P::ViewRecords
                    | P::ManageRecords
                    | P::ReviewCorrections
            ),
            Role::Auditor => matches!(
                permission,
                P::ViewOrgStructure | P::ViewEmployees | P::ViewRecords
            ),
            Role::Manager | Role::Servant | Role::Accountant | Role::TrainingAdmin => false,
        }
    }
}

/// A role held over a unit, and over its whole subtree when
/// `include_descendants` is set.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    /// The role held.
    pub role: Role,
    /// The unit the role applies to.
    pub unit: UnitPath,
    /// Whether the role extends to every unit below `unit`.
    pub include_descendants: bool,
}

impl Grant {
    /// Whether the grant reaches the target unit.
    pub fn covers(&self, target: &UnitPath) -> bool {
        if self.include_descendants {
            self.unit.contains(target)
        } else {
            self.unit == *target
        }
    }
}

/// The outcome of an access check. The two refusals are told apart so the
/// client can say "your role cannot" versus "not in your units".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// The action may proceed.
    Allowed,
    /// No role the caller holds carries the permission anywhere.
    Forbidden,
    /// A role carries the permission, but no grant reaches the target unit.
    OutOfScope,
}

impl Access {
    /// Turns a refusal into the matching error, for `?` in handlers.
    pub fn require(self) -> Result<(), DomainError> {
        match self {
            Access::Allowed => Ok(()),
            Access::Forbidden => Err(DomainError::new(
                ErrorCode::Forbidden,
                "no granted role carries the required permission",
            )),
            Access::OutOfScope => Err(DomainError::new(
                ErrorCode::OutOfScope,
                "no grant with the required permission covers the target unit",
            )),
        }
    }
}

/// Decides whether the grants permit an action on an object in `target`.
pub fn check_access(grants: &[Grant], permission: Permission, target: &UnitPath) -> Access {
    decide(covering_units(grants, permission), target)
}

/// The grants whose role carries the permission: the units under them are
/// the caller's scope, e.g. to filter a list query.
pub fn covering_units(grants: &[Grant], permission: Permission) -> Vec<&Grant> {
    grants
        .iter()
        .filter(|g| g.role.allows(permission))
        .collect()
}

/// Decides whether the grants permit granting `role` over `unit`. It needs
/// `ManageGrants` covering the unit, and granting `OrgAdmin` additionally
/// needs that covering grant to be an `OrgAdmin` one, so no lesser role can
/// ever mint an administrator.
pub fn may_grant(grants: &[Grant], role: Role, unit: &UnitPath) -> Access {
    let candidates = covering_units(grants, Permission::ManageGrants)
        .into_iter()
        .filter(|g| role != Role::OrgAdmin || g.role == Role::OrgAdmin)
        .collect();
    decide(candidates, unit)
}

/// Like [`may_grant`], but for a whole new grant: one extending to
/// descendants needs the granter's own covering grant to extend to them too,
/// so a grant never reaches further than the granter's scope.
pub fn may_issue(grants: &[Grant], new: &Grant) -> Access {
    match may_grant(grants, new.role, &new.unit) {
        Access::Allowed if new.include_descendants => {
            let wide = grants
                .iter()
                .filter(|g| g.include_descendants && g.unit.contains(&new.unit))
                .cloned()
                .collect::<Vec<_>>();
            match may_grant(&wide, new.role, &new.unit) {
                Access::Allowed => Access::Allowed,
                _ => Access::OutOfScope,
            }
        }
        other => other,
    }
}

fn decide(candidates: Vec<&Grant>, target: &UnitPath) -> Access {
    if candidates.is_empty() {
        Access::Forbidden
    } else if candidates.iter().any(|g| g.covers(target)) {
        Access::Allowed
    } else {
        Access::OutOfScope
    }
}

#[cfg(test)]
#[path = "access_tests.rs"]
mod tests;
