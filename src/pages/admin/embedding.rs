//! Settings › Org settings › Security & privacy › Embedding: the sites that may frame Rekey,
//! call its API from the browser and hear its events (docs/embedding.md).

use leptos::prelude::*;
use rekey_core::i18n::AdminKey;
use rekey_core::settings::EmbeddingSettings;

use crate::components::lines_field::LinesField;
use crate::components::page_heading::PageHeading;
use crate::components::settings_form::{SectionContext, SectionForm};
use crate::i18n::use_i18n;

#[component]
pub fn EmbeddingPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::EmbeddingTitle).to_string())/>
        <p class="intro">{move || i18n.t(AdminKey::EmbeddingIntro)}</p>
        <SectionForm fields={move |ctx: SectionContext<EmbeddingSettings>| {
            view! {
                <p id="allowed_origins-help" class="muted">{move || i18n.t(AdminKey::AllowedOriginsHelp)}</p>
                <LinesField
                    ctx=ctx
                    field="allowed_origins"
                    label=AdminKey::AllowedOrigins
                    read=|d| d.allowed_origins.clone()
                    write=|d, origins| d.allowed_origins = origins
                />
            }
            .into_any()
        }}/>
    }
}
