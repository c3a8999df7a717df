//! Rekey's single-page app: the admin centre and the user flows, in Leptos (client-side
//! rendering), built to WASM by Trunk.

mod api;
mod app;
mod branding;
mod components;
mod embed;
mod i18n;
mod pages;
mod runtime_config;
mod session;

fn main() {
    console_error_panic_hook::set_once();
    runtime_config::apply_theme();
    // A host page may give Rekey an element of its own; otherwise it takes the body.
    match runtime_config::host_element() {
        Some(host) => leptos::mount::mount_to(host, app::App).forget(),
        None => leptos::mount::mount_to_body(app::App),
    }
    embed::start();
}
