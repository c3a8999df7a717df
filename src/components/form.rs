//! The state of a form that sends one request at a time.

use std::future::Future;

use leptos::prelude::*;
use rekey_core::validation::FieldError;

use crate::api::Failure;

/// Whether the person has tried to send the form or left a field they changed, whether its
/// request is in flight, and why the last one failed (for `ErrorAlert` and for the inputs).
#[derive(Clone, Copy, Default)]
pub struct Form {
    pub attempted: RwSignal<bool>,
    /// Fields changed and left: their rules apply from then on, as the person types.
    pub touched: RwSignal<Vec<String>>,
    pub busy: RwSignal<bool>,
    pub failure: RwSignal<Option<Failure>>,
}

impl Form {
    /// The errors to show: the shared rules' for fields the person has left or once they tried
    /// to send (then as they type), and the server's from the last try.
    pub fn errors(
        self,
        check: impl Fn() -> Vec<FieldError> + Send + Sync + 'static,
    ) -> Signal<Vec<FieldError>> {
        Signal::derive(move || {
            let all = self.attempted.get();
            let mut errors: Vec<FieldError> = self.touched.with(|touched| {
                check()
                    .into_iter()
                    .filter(|e| all || touched.contains(&e.field))
                    .collect()
            });
            self.failure
                .with(|f| errors.extend(f.iter().flat_map(|f| f.fields.iter().cloned())));
            errors
        })
    }

    /// The person changed `field` and moved on. A field still focused when its form goes away
    /// (the step it was on is done) reports this after the form is gone; that is ignored.
    pub fn touch(self, field: &str) {
        let known = self
            .touched
            .try_with_untracked(|t| t.iter().any(|f| f == field));
        if known == Some(false) {
            self.touched.update(|t| t.push(field.to_string()));
        }
    }

    /// Marks the form tried; true when the rules found nothing and no request is in flight.
    pub fn ready(self, problems: &[FieldError]) -> bool {
        self.attempted.set(true);
        problems.is_empty() && !self.busy.get_untracked()
    }

    /// Sends `request` unless one is in flight; `done` gets the answer when it succeeds.
    pub fn run<T: 'static>(
        self,
        request: impl Future<Output = Result<T, Failure>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.failure.set(None);
        leptos::task::spawn_local(async move {
            let result = request.await;
            // The form may be gone by now (e.g. `done` closed it); setting it then does nothing.
            self.busy.set(false);
            match result {
                Ok(value) => done(value),
                Err(failure) => self.failure.set(Some(failure)),
            }
        });
    }
}
