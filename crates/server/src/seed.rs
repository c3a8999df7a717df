//! First-run data: the demo organisation (`serve --demo`) and the first Global admin
//! (`create-admin`).

use rekey_core::audit::AuditAction;
use rekey_core::roles::Role;
use rekey_core::validation::{check_sign_in, normalize_sign_in_name};

use crate::state::AppState;
use crate::store::{audit, groups, users};

/// Every demo account signs in with this password. Demo data only: never in production.
pub const DEMO_PASSWORD: &str = "Rekey-demo-2026";

pub struct DemoAccount {
    pub sign_in_name: &'static str,
    pub display_name: &'static str,
    pub roles: &'static [Role],
    pub note: &'static str,
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        sign_in_name: "global.admin@contoso.example",
        display_name: "Gloria Admin",
        roles: &[Role::GlobalAdmin],
        note: "Global admin",
    },
    DemoAccount {
        sign_in_name: "password.admin@contoso.example",
        display_name: "Pat Password",
        roles: &[Role::PasswordAdmin],
        note: "Password admin",
    },
    DemoAccount {
        sign_in_name: "helpdesk.admin@contoso.example",
        display_name: "Hana Helpdesk",
        roles: &[Role::HelpdeskAdmin],
        note: "Helpdesk admin (reads settings, cannot change them)",
    },
    DemoAccount {
        sign_in_name: "user.admin@contoso.example",
        display_name: "Uma User-Admin",
        roles: &[Role::UserAdmin],
        note: "User admin",
    },
    DemoAccount {
        sign_in_name: "reports.reader@contoso.example",
        display_name: "Remy Reports",
        roles: &[Role::ReportsReader],
        note: "Reports reader",
    },
    DemoAccount {
        sign_in_name: "adele.vance@contoso.example",
        display_name: "Adele Vance",
        roles: &[],
        note: "user, in group SSPR pilot",
    },
    DemoAccount {
        sign_in_name: "alex.wilber@contoso.example",
        display_name: "Alex Wilber",
        roles: &[],
        note: "user, in Engineering (nested in SSPR pilot)",
    },
    DemoAccount {
        sign_in_name: "diego.siciliani@contoso.example",
        display_name: "Diego Siciliani",
        roles: &[],
        note: "user, in Engineering (nested in SSPR pilot)",
    },
    DemoAccount {
        sign_in_name: "megan.bowen@contoso.example",
        display_name: "Megan Bowen",
        roles: &[],
        note: "user, in Sales (not in SSPR pilot)",
    },
    DemoAccount {
        sign_in_name: "lee.gu@contoso.example",
        display_name: "Lee Gu",
        roles: &[],
        note: "user, in Sales (not in SSPR pilot)",
    },
    DemoAccount {
        sign_in_name: OLD_PASSWORD_ACCOUNT,
        display_name: "Eli Expired",
        roles: &[],
        note: "user whose password was set 400 days ago: turn on password expiry to see the forced change",
    },
];

/// The demo account whose password is old enough to have expired under any expiry policy.
pub const OLD_PASSWORD_ACCOUNT: &str = "expired.user@contoso.example";
const OLD_PASSWORD_DAYS: i64 = 400;

/// (group, description, member sign-in names, nested group names)
const DEMO_GROUPS: &[(&str, &str, &[&str], &[&str])] = &[
    (
        "Engineering",
        "Product engineering",
        &[
            "alex.wilber@contoso.example",
            "diego.siciliani@contoso.example",
        ],
        &[],
    ),
    (
        "SSPR pilot",
        "Users trying self-service password reset first",
        &["adele.vance@contoso.example"],
        &["Engineering"],
    ),
    (
        "Sales",
        "Sales team",
        &["megan.bowen@contoso.example", "lee.gu@contoso.example"],
        &[],
    ),
    (
        "IT admins",
        "Administrators",
        &[
            "global.admin@contoso.example",
            "password.admin@contoso.example",
            "user.admin@contoso.example",
        ],
        &[],
    ),
    (
        "Helpdesk",
        "First-line support",
        &["helpdesk.admin@contoso.example"],
        &[],
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Hash(#[from] crate::infra::passwords::HashError),
    #[error("a user named {0} already exists")]
    Exists(String),
    #[error("the sign-in name or password is not acceptable: {0}")]
    Invalid(String),
}

/// Seeds the demo organisation into an empty directory. Returns false when users already exist
/// (nothing is changed then).
pub async fn seed_demo(state: &AppState) -> Result<bool, SeedError> {
    let pool = &state.db.pool;
    if users::count(pool).await? > 0 {
        return Ok(false);
    }
    let mut hashes = Vec::with_capacity(DEMO_ACCOUNTS.len());
    for _ in DEMO_ACCOUNTS {
        hashes.push(state.hasher.hash(DEMO_PASSWORD).await?);
    }
    let mut tx = pool.begin().await?;
    let mut user_ids: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for (account, hash) in DEMO_ACCOUNTS.iter().zip(&hashes) {
        let new = users::NewUser {
            sign_in_name: account.sign_in_name,
            display_name: account.display_name,
            password_hash: hash,
            roles: account.roles,
            must_change_password: false,
        };
        user_ids.insert(account.sign_in_name, users::create(&mut tx, new).await?);
    }
    let mut group_ids: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for (name, description, members, nested) in DEMO_GROUPS {
        let id = groups::create(&mut tx, name, description).await?;
        for member in *members {
            groups::add_user(&mut tx, &id, &user_ids[member]).await?;
        }
        for child in *nested {
            groups::add_group(&mut tx, &id, &group_ids[child]).await?;
        }
        group_ids.insert(*name, id);
    }
    let long_ago = crate::infra::db::now() - OLD_PASSWORD_DAYS * 86_400;
    users::set_password_changed_at(&mut tx, &user_ids[OLD_PASSWORD_ACCOUNT], long_ago).await?;
    crate::domain::sspr_policy::refresh_everyone(&mut tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// Creates a Global admin: how an operator starts a deployment without demo data.
pub async fn create_global_admin(
    state: &AppState,
    sign_in_name: &str,
    display_name: &str,
    password: &str,
) -> Result<(), SeedError> {
    let problems = check_sign_in(sign_in_name, password);
    if !problems.is_empty() || password.chars().count() < 12 {
        return Err(SeedError::Invalid(
            "give a sign-in name and a password of at least 12 characters".into(),
        ));
    }
    let pool = &state.db.pool;
    if users::find_by_sign_in_name(pool, sign_in_name)
        .await?
        .is_some()
    {
        return Err(SeedError::Exists(normalize_sign_in_name(sign_in_name)));
    }
    let hash = state.hasher.hash(password).await?;
    let display_name = if display_name.trim().is_empty() {
        sign_in_name
    } else {
        display_name
    };
    let mut tx = pool.begin().await?;
    let new = users::NewUser {
        sign_in_name,
        display_name,
        password_hash: &hash,
        roles: &[Role::GlobalAdmin],
        must_change_password: false,
    };
    users::create(&mut tx, new).await?;
    let event = audit::NewEvent::by(None, AuditAction::GlobalAdminCreated, sign_in_name.trim());
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(())
}
