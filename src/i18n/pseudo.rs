//! The pseudo-locale (`?lang=qps`, not offered in the switch): English with every letter
//! accented and every word about 40% longer, in brackets ("[Šîĝñ·· îñ·]"). Layouts that only
//! hold for short English words break visibly, as German would break them, and text that does
//! not come from the translations stands out unaccented.

use std::cell::RefCell;
use std::collections::HashMap;

/// The tag that asks for it in `?lang=`.
pub const TAG: &str = "qps";

/// `text` in the pseudo-locale; `{name}` placeholders stay as they are so they still fill.
/// Each string is made once and kept for the page's life (the UI strings are a fixed set), so
/// lookups go on returning `&'static str` as the real languages do.
pub fn stretch(text: &'static str) -> &'static str {
    thread_local! {
        static MADE: RefCell<HashMap<&'static str, &'static str>> = RefCell::default();
    }
    MADE.with(|made| {
        *made
            .borrow_mut()
            .entry(text)
            .or_insert_with(|| Box::leak(transform(text).into_boxed_str()))
    })
}

fn transform(text: &str) -> String {
    let words: Vec<String> = text.split(' ').map(word).collect();
    format!("[{}]", words.join(" "))
}

/// One word accented, then padded by 40% of its letters (rounded up).
fn word(word: &str) -> String {
    let mut out = String::with_capacity(word.len() * 2);
    let mut in_placeholder = false;
    let mut letters = 0;
    for c in word.chars() {
        match c {
            '{' => in_placeholder = true,
            '}' => in_placeholder = false,
            _ if !in_placeholder && c.is_alphanumeric() => letters += 1,
            _ => {}
        }
        out.push(if in_placeholder { c } else { accent(c) });
    }
    out.extend(std::iter::repeat_n('·', (letters * 2usize).div_ceil(5)));
    out
}

const LOWER: [char; 26] = [
    'à', 'ƀ', 'ç', 'ð', 'é', 'ƒ', 'ĝ', 'ĥ', 'î', 'ĵ', 'ķ', 'ļ', 'ɱ', 'ñ', 'ö', 'þ', 'ǫ', 'ŕ', 'š',
    'ţ', 'û', 'ṽ', 'ŵ', 'ẋ', 'ý', 'ž',
];
const UPPER: [char; 26] = [
    'Å', 'Ɓ', 'Ç', 'Ð', 'É', 'Ƒ', 'Ĝ', 'Ĥ', 'Î', 'Ĵ', 'Ķ', 'Ļ', 'Ṁ', 'Ñ', 'Ö', 'Þ', 'Ǫ', 'Ŕ', 'Š',
    'Ţ', 'Û', 'Ṽ', 'Ŵ', 'Ẋ', 'Ý', 'Ž',
];

fn accent(c: char) -> char {
    match c {
        'a'..='z' => LOWER[c as usize - 'a' as usize],
        'A'..='Z' => UPPER[c as usize - 'A' as usize],
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::transform;

    #[test]
    fn accents_and_stretches_every_word_but_keeps_placeholders() {
        assert_eq!(transform("Sign in"), "[Šîĝñ·· îñ·]");
        assert_eq!(
            transform("Tries left: {count}."),
            "[Ţŕîéš·· ļéƒţ:·· {count}.]"
        );
    }
}
