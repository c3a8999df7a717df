//! The organisation's logo and name at the top of the user screens.

use leptos::prelude::*;

use crate::branding::use_branding;

#[component]
pub fn Brand() -> impl IntoView {
    let branding = use_branding().0;
    let name = move || branding.with(|b| b.as_ref().map(|b| b.organisation_name.clone()));
    let logo = move || {
        branding
            .with(|b| b.as_ref().map(|b| b.logo_url.clone()))
            .filter(|url| !url.is_empty())
    };
    view! {
        <span class="brand">
            {move || logo().map(|src| view! {
                // The name beside it says who this is: the image is decoration.
                <img class="brand-logo" src=src alt=""/>
            })}
            <span class="brand-name">{name}</span>
        </span>
    }
}
