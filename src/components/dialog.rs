//! A modal dialog driven by a signal: open while `open` is true, its content drawn afresh each
//! time it opens (so a form in it starts clean).

use leptos::html;
use leptos::prelude::*;

/// The browser's modal `<dialog>`: focus moves into it and stays there, Escape closes it, the
/// page behind is inert. `labelled_by` is the id of its heading; `close` hears every way it
/// closes (Escape included), and should make `open` false.
#[component]
pub fn Modal(
    #[prop(into)] open: Signal<bool>,
    #[prop(into)] close: Callback<()>,
    labelled_by: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        let wanted = open.get();
        if let Some(dialog) = dialog.get() {
            if wanted && !dialog.open() {
                let _ = dialog.show_modal();
            } else if !wanted && dialog.open() {
                dialog.close();
            }
        }
    });
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby=labelled_by on:close=move |_| close.run(())>
            <Show when=move || open.get()>{children()}</Show>
        </dialog>
    }
}
