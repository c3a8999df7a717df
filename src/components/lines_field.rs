//! A list of a settings draft edited as text, one entry per line (banned terms, origins).

use leptos::prelude::*;
use rekey_core::i18n::AdminKey;

use crate::components::field::FieldErrors;
use crate::components::settings_form::SectionContext;
use crate::i18n::use_i18n;

/// The entries of a textarea: blank lines and surrounding spaces are dropped.
fn parse_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// A textarea bound to one list of the draft. `field` is the API's field name; the page
/// supplies the help text as `{field}-help`.
#[component]
pub fn LinesField<T: Send + Sync + 'static>(
    ctx: SectionContext<T>,
    field: &'static str,
    label: AdminKey,
    read: fn(&T) -> Vec<String>,
    write: fn(&mut T, Vec<String>),
) -> impl IntoView {
    let i18n = use_i18n();
    // The text as typed, so a new line or a space being typed stays put; the draft holds the
    // entries it means.
    let text = RwSignal::new(String::new());
    // When the draft changes from elsewhere (loaded, saved, discarded), show its entries.
    Effect::new(move |_| {
        let entries = ctx.get(read);
        if text.with_untracked(|t| parse_lines(t)) != entries {
            text.set(entries.join("\n"));
        }
    });
    // `field.N` names entry N (from 0) of the draft, which skips blank lines.
    let line_of = move |name: &str| {
        name.strip_prefix(field)
            .and_then(|rest| rest.strip_prefix('.'))
            .and_then(|n| n.parse::<usize>().ok())
    };
    let invalid = move || {
        ctx.errors
            .get()
            .iter()
            .any(|e| e.field == field || line_of(&e.field).is_some())
            .to_string()
    };
    let line_errors = move || {
        ctx.errors
            .get()
            .into_iter()
            .filter_map(|e| {
                let entry = line_of(&e.field)?;
                // The line the person sees that entry on, counting blank lines too.
                let n = text
                    .with(|t| {
                        t.lines()
                            .enumerate()
                            .filter(|(_, line)| !line.trim().is_empty())
                            .nth(entry)
                            .map(|(i, _)| i + 1)
                    })
                    .unwrap_or(entry + 1)
                    .to_string();
                let message = i18n.locale.get().rule(e.rule);
                Some(view! { <p>{i18n.format(AdminKey::LineError, &[("n", &n), ("message", message)])}</p> })
            })
            .collect_view()
    };
    let input_id = field.replace('_', "-");
    view! {
        <div class="field">
            <label for=input_id.clone()>{move || i18n.t(label)}</label>
            <textarea
                id=input_id
                name=field
                rows=8
                spellcheck="false"
                autocomplete="off"
                aria-describedby=format!("{field}-help {field}-error")
                aria-invalid=invalid
                prop:value=move || text.get()
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    let entries = parse_lines(&typed);
                    text.set(typed);
                    ctx.set(|d| {
                        if read(d) != entries {
                            write(d, entries);
                        }
                    });
                }
            ></textarea>
        </div>
        <FieldErrors field=field errors=ctx.errors/>
        <div class="field-error" aria-live="polite">{line_errors}</div>
    }
}
