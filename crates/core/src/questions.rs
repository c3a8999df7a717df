//! Security questions: the built-in bank (translated in every UI language, see `i18n`) and the
//! rules for an organisation's own questions.

use crate::validation::{FieldError, Rule};

/// A built-in question, identified by a stable id that stored answers refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BuiltInQuestion(pub u8);

/// How many built-in questions there are; ids run from 1 to this.
pub const BUILT_IN_COUNT: u8 = 24;
// The bank must offer at least 20 questions.
const _: () = assert!(BUILT_IN_COUNT >= 20);

impl BuiltInQuestion {
    pub fn all() -> impl Iterator<Item = BuiltInQuestion> {
        (1..=BUILT_IN_COUNT).map(BuiltInQuestion)
    }

    /// The stable id, e.g. `builtin-07`.
    pub fn id(self) -> String {
        format!("builtin-{:02}", self.0)
    }
}

/// At most this many custom questions.
pub const CUSTOM_MAX: usize = 20;
/// A custom question's length, in characters.
pub const CUSTOM_MIN_CHARS: usize = 3;
pub const CUSTOM_MAX_CHARS: usize = 200;

/// Checks an organisation's own questions: at most 20, each 3-200 characters, none twice.
pub fn check_custom_questions(questions: &[String]) -> Vec<FieldError> {
    let field = "custom_questions";
    if questions.len() > CUSTOM_MAX {
        return vec![FieldError::new(field, Rule::TooMany)];
    }
    let mut seen = Vec::new();
    for question in questions {
        let text = question.trim();
        let chars = text.chars().count();
        let rule = if chars < CUSTOM_MIN_CHARS {
            Some(Rule::TooShort)
        } else if chars > CUSTOM_MAX_CHARS {
            Some(Rule::TooLong)
        } else if seen.contains(&text.to_lowercase()) {
            Some(Rule::Duplicate)
        } else {
            None
        };
        if let Some(rule) = rule {
            return vec![FieldError::new(field, rule)];
        }
        seen.push(text.to_lowercase());
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn owned(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn the_bank_is_complete_in_every_language() {
        for lang in Lang::ALL {
            let texts: Vec<&str> = BuiltInQuestion::all().map(|q| lang.question(q)).collect();
            assert!(texts.iter().all(|t| !t.is_empty()), "{lang:?}");
            let mut unique = texts.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), texts.len(), "{lang:?} repeats a question");
        }
        assert_eq!(BuiltInQuestion(7).id(), "builtin-07");
    }

    #[test]
    fn custom_questions_follow_the_rules() {
        assert!(
            check_custom_questions(&owned(&["What was your first car?", "最喜欢的老师？"]))
                .is_empty()
        );
        let rule = |qs: &[&str]| check_custom_questions(&owned(qs))[0].rule;
        assert_eq!(rule(&["ab"]), Rule::TooShort);
        assert_eq!(rule(&[&"x".repeat(201)]), Rule::TooLong);
        assert_eq!(rule(&["Pet name?", " pet NAME? "]), Rule::Duplicate);
        let many: Vec<String> = (0..21).map(|i| format!("Question {i}?")).collect();
        assert_eq!(check_custom_questions(&many)[0].rule, Rule::TooMany);
        assert!(check_custom_questions(&many[..20]).is_empty());
    }
}
