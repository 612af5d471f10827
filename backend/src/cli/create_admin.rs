//! `xodim-server create-admin`: the first organisation administrator, on a fresh database too.

use std::process::ExitCode;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder, TransactionTrait};
use uuid::Uuid;
use xodim_domain::{Locale, LoginName, Role, UnitId, UnitPath};

use crate::admin::accounts::{insert_account, new_activation_code};
use crate::admin::employees::{NameInput, NewEmployee, insert};
use crate::config::Settings;
use crate::db::{
    self,
    entities::{org_unit, organization, position, role_grant},
};

#[derive(clap::Args)]
pub struct Args {
    /// Login name of the administrator.
    #[arg(long)]
    login: String,
    /// PINFL of the administrator.
    #[arg(long)]
    pinfl: String,
    #[arg(long)]
    last_name: String,
    #[arg(long)]
    first_name: String,
    #[arg(long)]
    last_name_cyrl: String,
    #[arg(long)]
    first_name_cyrl: String,
    /// YYYY-MM-DD
    #[arg(long)]
    birth_date: String,
    /// Name (uz-Latn) of the organisation to create when the database has none.
    #[arg(long, default_value = "Tashkilot")]
    organization: String,
}

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Creates the administrator on a new post in the root unit of the first organisation and
/// prints a one-time code with which they set their password.
pub async fn run(args: Args, settings: Settings) -> anyhow::Result<ExitCode> {
    let today = Utc::now().date_naive();
    let login = LoginName::parse(&args.login).map_err(err)?;
    let latn = NameInput {
        last: args.last_name,
        first: args.first_name,
        patronymic: None,
    };
    let cyrl = NameInput {
        last: args.last_name_cyrl,
        first: args.first_name_cyrl,
        patronymic: None,
    };
    let new = NewEmployee::parse(
        &args.pinfl,
        &latn,
        &cyrl,
        &args.birth_date,
        "ADMIN",
        &today.to_string(),
        today,
    )
    .map_err(err)?;
    let conn = db::connect(&settings.database_url, 2).await?;
    db::migrate(&conn).await?;
    let txn = conn.begin().await?;
    let root = root_unit(&txn, &args.organization).await?;
    let now = Utc::now();
    let post = position::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(root.id),
        code: Set(format!("ADMIN-{}", login.as_str().to_ascii_uppercase())),
        title_uz_latn: Set("Tizim administratori".into()),
        title_uz_cyrl: Set(Some("Тизим администратори".into())),
        title_ru: Set(Some("Системный администратор".into())),
        title_en: Set(Some("System administrator".into())),
        category: Set("other".into()),
        civil_service: Set(false),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let employee = insert(&txn, &new, &post, root.org_id).await.map_err(err)?;
    let account = insert_account(&txn, employee.id, &login, Locale::default())
        .await
        .map_err(err)?;
    role_grant::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(account.id),
        role: Set(Role::OrgAdmin.as_str().into()),
        unit_id: Set(root.id),
        include_descendants: Set(true),
        granted_by: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let code = new_activation_code(&txn, account.id, None, settings.activation_code_ttl_hours)
        .await
        .map_err(err)?;
    crate::org::publish::everything(&txn).await?;
    txn.commit().await?;
    println!(
        "Administrator '{}' created. Set the password with POST /api/v1/auth/activate",
        account.login
    );
    println!(
        "using this one-time code (valid until {}): {}",
        code.expires_at, code.code
    );
    Ok(ExitCode::SUCCESS)
}

async fn root_unit(
    txn: &sea_orm::DatabaseTransaction,
    name: &str,
) -> anyhow::Result<org_unit::Model> {
    if let Some(org) = organization::Entity::find()
        .order_by_asc(organization::Column::CreatedAt)
        .one(txn)
        .await?
        && let Some(root) = org.root_unit_id
        && let Some(unit) = org_unit::Entity::find_by_id(root).one(txn).await?
    {
        return Ok(unit);
    }
    let now = Utc::now();
    let org_id = Uuid::now_v7();
    let unit_id = Uuid::now_v7();
    organization::ActiveModel {
        id: Set(org_id),
        name_uz_latn: Set(name.into()),
        name_uz_cyrl: Set(None),
        name_ru: Set(None),
        name_en: Set(None),
        kind: Set("other".into()),
        level: Set("republic".into()),
        region_code: Set(None),
        parent_id: Set(None),
        root_unit_id: Set(None),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    let unit = org_unit::ActiveModel {
        id: Set(unit_id),
        org_id: Set(org_id),
        parent_id: Set(None),
        path: Set(UnitPath::root(UnitId::from_uuid(unit_id))
            .as_str()
            .to_owned()),
        code: Set("ROOT".into()),
        name_uz_latn: Set(name.into()),
        name_uz_cyrl: Set(None),
        name_ru: Set(None),
        name_en: Set(None),
        head_position_id: Set(None),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    organization::Entity::update(organization::ActiveModel {
        id: Set(org_id),
        root_unit_id: Set(Some(unit_id)),
        ..Default::default()
    })
    .exec(txn)
    .await?;
    Ok(unit)
}
