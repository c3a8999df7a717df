//! Rekey's single-page app: the admin centre and the user flows, in Leptos (client-side
//! rendering), built to WASM by Trunk.

mod api;
mod app;
mod components;
mod i18n;
mod pages;
mod runtime_config;
mod session;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
