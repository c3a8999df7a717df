//! Properties of the inputs parsed by hand, over many generated values (proptest; a failure
//! prints the seed and the smallest input that breaks it): the sign-in name, phone and email
//! normalisation, the input rule for text, and the masks shown in place of addresses.

use proptest::prelude::*;
use rekey_core::security_info::{
    check_email, check_phone, mask_email, mask_phone, normalize_email, normalize_phone,
};
use rekey_core::text;
use rekey_core::validation::{check_sign_in, normalize_sign_in_name};

/// Text with the awkward parts people and attackers type: spaces of every kind, controls,
/// combining marks, wide and right-to-left letters, emoji, `+`, `@`, digits and separators.
fn awkward() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just(' '),
            Just('\u{a0}'),
            Just('\u{3000}'),
            Just('\t'),
            Just('\n'),
            Just('\0'),
            Just('\u{85}'),
            Just('\u{301}'),
            Just('İ'),
            Just('ß'),
            Just('ǅ'),
            Just('ا'),
            Just('👩'),
            Just('+'),
            Just('@'),
            Just('.'),
            Just('-'),
            Just('('),
            Just(')'),
            proptest::char::range('0', '9'),
            proptest::char::range('a', 'z'),
            proptest::char::range('A', 'Z'),
            any::<char>(),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    // A fixed number of cases; failures are printed, not written next to the sources.
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn sign_in_names_normalise_once_and_for_all(name in awkward()) {
        let once = normalize_sign_in_name(&name);
        prop_assert_eq!(normalize_sign_in_name(&once), once.clone());
        prop_assert_eq!(once.trim(), once.as_str());
        // The form's check never panics, and refuses whatever the input rule refuses.
        let problems = check_sign_in(&name, "x");
        if !text::is_clean(name.trim(), false) {
            prop_assert!(!problems.is_empty());
        }
    }

    #[test]
    fn accepted_phones_are_e164(phone in awkward()) {
        let normalized = normalize_phone(&phone);
        prop_assert_eq!(normalize_phone(&normalized), normalized.clone());
        if check_phone("p", &phone).is_empty() {
            let digits = normalized.strip_prefix('+').unwrap_or("");
            prop_assert!((8..=15).contains(&digits.len()), "{normalized}");
            prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
            prop_assert!(!digits.starts_with('0'));
        }
        // A mask shows the last two digits at most.
        let masked = mask_phone(&normalized);
        let shown: String = masked.chars().filter(|c| *c != '•' && *c != '+').collect();
        prop_assert!(shown.chars().count() <= 2, "{masked}");
    }

    #[test]
    fn emails_compare_by_one_form(email in awkward()) {
        let normalized = normalize_email(&email);
        prop_assert_eq!(normalize_email(&normalized), normalized.clone());
        prop_assert_eq!(normalize_email(&email.to_lowercase()), normalized.clone());
        let _ = check_email("e", &email);
        // A mask keeps at most the first letter of the local part.
        let masked = mask_email(&email);
        if let (Some((local, _)), Some((shown, _))) = (email.split_once('@'), masked.split_once('@')) {
            prop_assert!(shown.trim_end_matches('•').chars().count() <= 1.min(local.chars().count()));
        }
    }

    #[test]
    fn the_input_rule_is_exactly_no_controls(value in awkward()) {
        let single = text::is_clean(&value, false);
        prop_assert_eq!(single, !value.chars().any(char::is_control));
        if single {
            prop_assert!(text::is_clean(&value, true), "multi-line takes all single-line text");
        }
        let lines_only = value.chars().all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'));
        prop_assert_eq!(text::is_clean(&value, true), lines_only);
    }
}
