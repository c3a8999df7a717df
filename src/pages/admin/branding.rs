//! Settings › Org settings › Security & privacy › Branding: the organisation's name, logo and
//! accent colour on the user screens and in messages, checked as you type (an https logo, an
//! accent white text can be read on) and previewed.

use leptos::prelude::*;
use rekey_core::i18n::{AdminKey, Key};
use rekey_core::settings::{contrast_with_white, parse_hex_colour, BrandingSettings, MIN_CONTRAST};
use wasm_bindgen::JsCast;

use crate::components::field::{Label, TextField};
use crate::components::page_heading::PageHeading;
use crate::components::settings_form::{SectionContext, SectionForm};
use crate::i18n::use_i18n;

#[component]
pub fn BrandingPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::BrandingTitle).to_string())/>
        <SectionForm fields={move |ctx: SectionContext<BrandingSettings>| {
            view! {
                <TextField
                    field="organisation_name"
                    label=AdminKey::OrganisationName
                    help=Some(Label::from(AdminKey::OrganisationNameHelp))
                    get=move || ctx.get(|d| d.organisation_name.clone())
                    set=move |v| ctx.set(|d| d.organisation_name = v)
                    errors=ctx.errors
                    autocomplete="organization"
                />
                <TextField
                    field="logo_url"
                    label=AdminKey::LogoUrl
                    help=Some(Label::from(AdminKey::LogoUrlHelp))
                    get=move || ctx.get(|d| d.logo_url.clone())
                    set=move |v| ctx.set(|d| d.logo_url = v)
                    errors=ctx.errors
                    input_type="url"
                    inputmode="url"
                    autocomplete="off"
                />
                <LogoPreview ctx=ctx/>
                <AccentColour ctx=ctx/>
            }
            .into_any()
        }}/>
    }
}

/// The logo as users will see it, once the address is one we would show.
#[component]
fn LogoPreview(ctx: SectionContext<BrandingSettings>) -> impl IntoView {
    let i18n = use_i18n();
    let shown = move || {
        let url = ctx.get(|d| d.logo_url.trim().to_string());
        let valid = !ctx.errors.get().iter().any(|e| e.field == "logo_url");
        (valid && !url.is_empty()).then_some(url)
    };
    move || {
        shown().map(|src| {
            view! {
                <figure class="logo-preview">
                    <img src=src alt=move || i18n.t(AdminKey::LogoPreview)/>
                </figure>
            }
        })
    }
}

/// The accent: a colour picker and its `#rrggbb` text kept in step, the contrast with white as
/// you choose, and a button drawn in it once it is readable.
#[component]
fn AccentColour(ctx: SectionContext<BrandingSettings>) -> impl IntoView {
    let i18n = use_i18n();
    let accent = move || ctx.get(|d| d.accent_colour.trim().to_lowercase());
    let rgb = move || parse_hex_colour(&accent());
    let contrast = move || {
        rgb().map(|rgb| {
            let ratio = contrast_with_white(rgb);
            let verdict = if ratio >= MIN_CONTRAST {
                AdminKey::ContrastEnough
            } else {
                AdminKey::ContrastTooLow
            };
            let ratio = format!("{ratio:.2}");
            format!(
                "{} ({})",
                i18n.format(AdminKey::ContrastRatio, &[("ratio", &ratio)]),
                i18n.t(verdict)
            )
        })
    };
    // Only a colour users could read is previewed: unreadable text on the page helps nobody.
    let readable = move || rgb().is_some_and(|rgb| contrast_with_white(rgb) >= MIN_CONTRAST);
    // The preview's colours go in through the CSSOM: the CSP forbids inline style attributes.
    let preview = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let Some(element) = preview.get().filter(|_| readable()) else {
            return;
        };
        let style = element.unchecked_ref::<web_sys::HtmlElement>().style();
        let _ = style.set_property("--rekey-accent", &accent());
        let _ = style.set_property("--rekey-accent-text", "#ffffff");
    });
    view! {
        <div class="accent-colour">
            <div class="field colour-picker">
                <label for="accent-picker">{move || i18n.t(AdminKey::AccentColourPicker)}</label>
                <input
                    id="accent-picker"
                    type="color"
                    prop:value=move || rgb().map(|_| accent())
                    on:input=move |ev| {
                        let picked = event_target_value(&ev);
                        ctx.set(|d| d.accent_colour = picked);
                    }
                />
            </div>
            <TextField
                field="accent_colour"
                label=AdminKey::AccentColour
                help=Some(Label::from(AdminKey::AccentColourHelp))
                get=move || ctx.get(|d| d.accent_colour.clone())
                set=move |v| ctx.set(|d| d.accent_colour = v)
                errors=ctx.errors
                autocomplete="off"
            />
            <p class="contrast" aria-live="polite">{contrast}</p>
            <Show when=readable>
                <div class="accent-preview" node_ref=preview>
                    <p class="muted">{move || i18n.t(AdminKey::AccentPreview)}</p>
                    <span class="sample-button">{move || i18n.t(Key::Next)}</span>
                </div>
            </Show>
        </div>
    }
}
