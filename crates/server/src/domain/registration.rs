//! A user's security info as policy sees it: which methods they hold, what they must hold, and
//! whether sign-in should ask them to register or reconfirm.

use rekey_core::dto::{RegistrationSummary, UserSummary};
use rekey_core::roles::{is_admin, Role};
use rekey_core::security_info::{registration_due, MethodKind, MethodPolicy, RegistrationReason};
use rekey_core::settings::{AuthMethodsSettings, RegistrationSettings};
use sqlx::AnyPool;

use crate::domain::sections;
use crate::domain::sspr_policy;
use crate::store::security_info::{self as store, StoredAnswer, StoredMethod};

/// Everything about one user's security info, loaded together.
pub struct Snapshot {
    pub methods: Vec<StoredMethod>,
    pub answers: Vec<StoredAnswer>,
    pub confirmed_at: i64,
    pub settings: AuthMethodsSettings,
    pub policy: MethodPolicy,
}

impl Snapshot {
    pub async fn load(
        pool: &AnyPool,
        user_id: &str,
        roles: &[Role],
    ) -> Result<Snapshot, sqlx::Error> {
        let settings = sections::load::<AuthMethodsSettings>(pool).await?.settings;
        Ok(Snapshot {
            methods: store::methods(pool, user_id).await?,
            answers: store::answers(pool, user_id).await?,
            confirmed_at: store::confirmed_at(pool, user_id).await?,
            policy: MethodPolicy::for_user(&settings, is_admin(roles)),
            settings,
        })
    }

    /// A registered (not pending) method of this kind.
    pub fn method(&self, kind: MethodKind) -> Option<&StoredMethod> {
        self.methods.iter().find(|m| m.kind == Some(kind))
    }

    /// The methods held; questions count once enough of them are answered.
    pub fn held(&self) -> Vec<MethodKind> {
        let enough_answers = self.answers.len() >= usize::from(self.policy.questions_to_register);
        MethodKind::ALL
            .into_iter()
            .filter(|kind| match kind {
                MethodKind::SecurityQuestions => enough_answers,
                other => self.method(*other).is_some(),
            })
            .collect()
    }

    /// Whether the user holds anything they could prove themselves with, so that changes
    /// must wait for that proof.
    pub fn holds_any(&self) -> bool {
        self.methods.iter().any(|m| m.kind.is_some()) || !self.answers.is_empty()
    }
}

/// Why sign-in should show the registration wizard (if it should), and whether it may be
/// skipped. Nothing is asked of users self-service reset does not cover.
pub async fn prompt(
    pool: &AnyPool,
    user_id: &str,
    snapshot: &Snapshot,
    skipped: bool,
    now: i64,
) -> Result<(Option<RegistrationReason>, bool), sqlx::Error> {
    let registration = sections::load::<RegistrationSettings>(pool).await?.settings;
    if !registration.require_registration || !sspr_policy::applies_to(pool, user_id).await? {
        return Ok((None, registration.allow_skip));
    }
    let due = registration_due(
        &snapshot.policy,
        &snapshot.held(),
        snapshot.confirmed_at,
        registration.reconfirm_days,
        now,
    );
    Ok((due.filter(|_| !skipped), registration.allow_skip))
}

/// Fills in each listed user's registration state: their methods, and whether these are
/// enough under the current policy (the admin rule applied).
pub async fn fill_summaries(pool: &AnyPool, users: &mut [UserSummary]) -> Result<(), sqlx::Error> {
    let settings = sections::load::<AuthMethodsSettings>(pool).await?.settings;
    let ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    let found = store::methods_of_users(pool, &ids).await?;
    for (user, methods) in users.iter_mut().zip(found) {
        let policy = MethodPolicy::for_user(&settings, is_admin(&user.roles));
        let mut kinds = methods.kinds;
        if methods.answer_count >= i64::from(policy.questions_to_register) {
            kinds.push(MethodKind::SecurityQuestions);
        }
        kinds.sort();
        user.registration = RegistrationSummary {
            registered: policy.is_registered(&kinds),
            methods: kinds,
            updated_at: methods.updated_at,
        };
    }
    Ok(())
}

/// Whether `given` answers every question in `asked` rightly (and nothing else). Every answer
/// is hashed even after a wrong one, and a question without a stored answer (a decoy flow)
/// against the dummy hash, so timing tells nothing.
pub async fn answers_match(
    hasher: &crate::infra::passwords::Hasher,
    stored: &[StoredAnswer],
    asked: &[String],
    given: &[rekey_core::security_info::QuestionAnswer],
) -> Result<bool, crate::infra::passwords::HashError> {
    let mut all_right = !asked.is_empty() && given.len() == asked.len();
    for id in asked {
        let answer = given
            .iter()
            .find(|a| &a.question_id == id)
            .map(|a| rekey_core::security_info::normalize_answer(&a.answer))
            .unwrap_or_default();
        let hash = stored
            .iter()
            .find(|a| &a.question_id == id)
            .map(|a| a.answer_hash.as_str());
        all_right &= hasher.verify(hash, &answer).await?;
    }
    Ok(all_right)
}
