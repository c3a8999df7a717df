//! The self-service password reset policy: who may reset their own password.

use serde::{Deserialize, Serialize};

use crate::validation::{FieldError, Rule};

/// Who self-service password reset is turned on for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SsprScope {
    /// Nobody (the default: an admin turns it on deliberately).
    #[default]
    None,
    /// Members of one group, nested groups included.
    Selected,
    /// Everybody in the organisation.
    All,
}

/// The self-service password reset settings as stored and as sent over the wire.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SsprSettings {
    pub scope: SsprScope,
    /// The group whose members may reset, required with `selected` and refused otherwise.
    #[serde(default)]
    pub group_id: Option<String>,
}

impl SsprSettings {
    /// Shape rules; the server also checks that the group exists.
    pub fn validate(&self) -> Vec<FieldError> {
        let has_group = self
            .group_id
            .as_deref()
            .is_some_and(|g| !g.trim().is_empty());
        match (self.scope, has_group) {
            (SsprScope::Selected, false) => vec![FieldError::new("group_id", Rule::GroupRequired)],
            (SsprScope::None | SsprScope::All, true) => {
                vec![FieldError::new("group_id", Rule::GroupNotAllowed)]
            }
            _ => Vec::new(),
        }
    }

    /// Whether reset applies to a user, given whether they are in the selected group
    /// (directly or through nested groups).
    pub fn applies(&self, in_selected_group: bool) -> bool {
        match self.scope {
            SsprScope::None => false,
            SsprScope::All => true,
            SsprScope::Selected => in_selected_group,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(scope: SsprScope, group: Option<&str>) -> SsprSettings {
        SsprSettings {
            scope,
            group_id: group.map(str::to_string),
        }
    }

    #[test]
    fn selected_needs_a_group_and_the_others_refuse_one() {
        assert_eq!(
            settings(SsprScope::Selected, None).validate()[0].rule,
            Rule::GroupRequired
        );
        assert_eq!(
            settings(SsprScope::Selected, Some("  ")).validate()[0].rule,
            Rule::GroupRequired
        );
        assert!(settings(SsprScope::Selected, Some("g1"))
            .validate()
            .is_empty());
        assert!(settings(SsprScope::All, None).validate().is_empty());
        assert!(settings(SsprScope::None, None).validate().is_empty());
        assert_eq!(
            settings(SsprScope::All, Some("g1")).validate()[0].rule,
            Rule::GroupNotAllowed
        );
    }

    #[test]
    fn scope_decides_who_may_reset() {
        assert!(!settings(SsprScope::None, None).applies(true));
        assert!(settings(SsprScope::All, None).applies(false));
        assert!(settings(SsprScope::Selected, Some("g")).applies(true));
        assert!(!settings(SsprScope::Selected, Some("g")).applies(false));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err = serde_json::from_str::<SsprSettings>(r#"{"scope":"all","extra":1}"#);
        assert!(err.is_err());
        let ok: SsprSettings = serde_json::from_str(r#"{"scope":"all"}"#).unwrap();
        assert_eq!(ok, settings(SsprScope::All, None));
    }
}
