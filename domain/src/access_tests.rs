use uuid::Uuid;

use super::*;
use crate::ids::UnitId;

fn unit(n: u128) -> UnitId {
    UnitId::from_uuid(Uuid::from_u128(n))
}

/// A ministry (1) with a department (2) that has a division (3), and a
/// second department (4).
fn tree() -> (UnitPath, UnitPath, UnitPath, UnitPath) {
    let ministry = UnitPath::root(unit(1));
    let dept = ministry.child(unit(2));
    let division = dept.child(unit(3));
    let other_dept = ministry.child(unit(4));
    (ministry, dept, division, other_dept)
}

fn grant(role: Role, unit: &UnitPath, include_descendants: bool) -> Grant {
    Grant {
        role,
        unit: unit.clone(),
        include_descendants,
    }
}

#[test]
fn role_wire_names_match_serde() {
    assert_wire_names_match_serde!(Role);
    assert_wire_names_match_serde!(Permission);
}

#[test]
fn an_org_admin_holds_exactly_the_structure_people_access_and_records_permissions() {
    use Permission as P;
    let allowed = [
        P::ViewOrgStructure,
        P::ManageOrgStructure,
        P::ViewEmployees,
        P::ManageEmployees,
        P::ManageAccounts,
        P::ManageGrants,
        P::ViewRecords,
        P::ManageRecords,
    ];
    let held: Vec<Permission> = Permission::ALL
        .iter()
        .copied()
        .filter(|&p| Role::OrgAdmin.allows(p))
        .collect();
    assert_eq!(held, allowed);
    assert!(!Role::OrgAdmin.allows(P::ReviewCorrections));
}

#[test]
fn an_hr_officer_manages_employees_accounts_and_records_but_not_structure_or_grants() {
    use Permission as P;
    let allowed = [
        P::ViewOrgStructure,
        P::ViewEmployees,
        P::ManageEmployees,
        P::ManageAccounts,
        P::ViewRecords,
        P::ManageRecords,
        P::ReviewCorrections,
    ];
    for &p in Permission::ALL {
        assert_eq!(Role::HrOfficer.allows(p), allowed.contains(&p), "{p}");
    }
}

#[test]
fn an_auditor_may_only_view() {
    use Permission as P;
    for &p in Permission::ALL {
        let expected = matches!(p, P::ViewOrgStructure | P::ViewEmployees | P::ViewRecords);
        assert_eq!(Role::Auditor.allows(p), expected, "{p}");
    }
}

#[test]
fn servants_managers_accountants_and_training_admins_hold_none_of_these_permissions() {
    for role in [
        Role::Servant,
        Role::Manager,
        Role::Accountant,
        Role::TrainingAdmin,
    ] {
        assert!(Permission::ALL.iter().all(|&p| !role.allows(p)), "{role}");
    }
}

#[test]
fn a_grant_with_descendants_reaches_the_whole_subtree() {
    let (_, dept, division, other) = tree();
    let grants = [grant(Role::HrOfficer, &dept, true)];
    assert_eq!(
        check_access(&grants, Permission::ManageEmployees, &dept),
        Access::Allowed
    );
    assert_eq!(
        check_access(&grants, Permission::ManageEmployees, &division),
        Access::Allowed
    );
    assert_eq!(
        check_access(&grants, Permission::ManageEmployees, &other),
        Access::OutOfScope
    );
}

#[test]
fn a_grant_without_descendants_reaches_only_its_own_unit() {
    let (_, dept, division, _) = tree();
    let grants = [grant(Role::HrOfficer, &dept, false)];
    assert_eq!(
        check_access(&grants, Permission::ViewEmployees, &dept),
        Access::Allowed
    );
    assert_eq!(
        check_access(&grants, Permission::ViewEmployees, &division),
        Access::OutOfScope
    );
}

#[test]
fn a_grant_never_reaches_upwards() {
    let (ministry, dept, _, _) = tree();
    let grants = [grant(Role::OrgAdmin, &dept, true)];
    assert_eq!(
        check_access(&grants, Permission::ViewOrgStructure, &ministry),
        Access::OutOfScope
    );
}

#[test]
fn a_role_without_the_permission_is_forbidden_even_in_its_own_unit() {
    let (_, dept, _, _) = tree();
    let grants = [grant(Role::Auditor, &dept, true)];
    assert_eq!(
        check_access(&grants, Permission::ManageEmployees, &dept),
        Access::Forbidden
    );
    assert_eq!(
        check_access(&[], Permission::ViewEmployees, &dept),
        Access::Forbidden
    );
}

#[test]
fn any_one_fitting_grant_is_enough() {
    let (_, dept, division, other) = tree();
    let grants = [
        grant(Role::Auditor, &other, true),
        grant(Role::HrOfficer, &dept, true),
    ];
    assert_eq!(
        check_access(&grants, Permission::ManageEmployees, &division),
        Access::Allowed
    );
    assert_eq!(
        check_access(&grants, Permission::ViewEmployees, &other),
        Access::Allowed
    );
}

#[test]
fn covering_units_lists_only_grants_whose_role_carries_the_permission() {
    let (_, dept, _, other) = tree();
    let grants = [
        grant(Role::Auditor, &other, true),
        grant(Role::HrOfficer, &dept, true),
    ];
    let covering = covering_units(&grants, Permission::ManageEmployees);
    assert_eq!(covering, vec![&grants[1]]);
}

#[test]
fn an_org_admin_may_grant_any_role_inside_their_scope_only() {
    let (_, dept, division, other) = tree();
    let grants = [grant(Role::OrgAdmin, &dept, true)];
    assert_eq!(
        may_grant(&grants, Role::HrOfficer, &division),
        Access::Allowed
    );
    assert_eq!(
        may_grant(&grants, Role::OrgAdmin, &division),
        Access::Allowed
    );
    assert_eq!(
        may_grant(&grants, Role::HrOfficer, &other),
        Access::OutOfScope
    );
}

#[test]
fn an_hr_officer_may_not_grant_roles() {
    let (_, dept, _, _) = tree();
    let grants = [grant(Role::HrOfficer, &dept, true)];
    assert_eq!(may_grant(&grants, Role::Servant, &dept), Access::Forbidden);
    assert_eq!(may_grant(&grants, Role::OrgAdmin, &dept), Access::Forbidden);
}

#[test]
fn a_subtree_grant_needs_the_granter_to_hold_the_subtree() {
    let (_, dept, _, _) = tree();
    let narrow = [grant(Role::OrgAdmin, &dept, false)];
    assert_eq!(
        may_issue(&narrow, &grant(Role::HrOfficer, &dept, false)),
        Access::Allowed
    );
    assert_eq!(
        may_issue(&narrow, &grant(Role::HrOfficer, &dept, true)),
        Access::OutOfScope
    );
    let wide = [grant(Role::OrgAdmin, &dept, true)];
    assert_eq!(
        may_issue(&wide, &grant(Role::HrOfficer, &dept, true)),
        Access::Allowed
    );
}

#[test]
fn refusals_become_the_matching_error_codes() {
    assert_eq!(Access::Allowed.require(), Ok(()));
    assert_eq!(
        Access::Forbidden.require().unwrap_err().code,
        ErrorCode::Forbidden
    );
    assert_eq!(
        Access::OutOfScope.require().unwrap_err().code,
        ErrorCode::OutOfScope
    );
}
