use leptos::html;
use leptos::prelude::*;

/// A page's `<h1>`. It takes focus when the page opens, so screen-reader and keyboard users
/// land on the new screen after a client-side route change.
#[component]
pub fn PageHeading(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let heading = NodeRef::<html::H1>::new();
    Effect::new(move |_| {
        if let Some(h1) = heading.get() {
            let _ = h1.focus();
        }
    });
    view! { <h1 node_ref=heading tabindex="-1">{move || text.get()}</h1> }
}
