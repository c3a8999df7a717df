//! Passkeys in the browser: WebAuthn through `navigator.credentials`, no JavaScript library.
//! The server's options arrive as WebAuthn's JSON text, which the browser's own
//! `PublicKeyCredential.parse…OptionsFromJSON` turns into a request; the credential goes back
//! as its `toJSON()`, stringified. The page never decodes either.

use js_sys::{Function, Object, Promise, Reflect, JSON};
use rekey_core::dto::{PasskeyAnswer, PasskeyOptions};
use rekey_core::error::ErrorCode;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api::Failure;

/// Why no credential came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// This browser, or the page embedding Rekey, cannot use passkeys.
    Unsupported,
    /// The person closed the prompt, it timed out, or no passkey was chosen.
    Cancelled,
    /// Creating: this device already holds one of the person's passkeys for the site.
    AlreadyHere,
}

fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn public_key_credential() -> Option<JsValue> {
    let pkc = get(&js_sys::global(), "PublicKeyCredential");
    pkc.is_function().then_some(pkc)
}

/// Whether the document may use the WebAuthn feature: an iframe needs its embedder's
/// `allow="publickey-credentials-get *; publickey-credentials-create *"` (Chromium tells).
fn allowed(feature: &str) -> bool {
    let policy = get(&get(&js_sys::global(), "document"), "featurePolicy");
    let allows = get(&policy, "allowsFeature");
    match allows.dyn_ref::<Function>() {
        Some(f) => f
            .call1(&policy, &JsValue::from_str(feature))
            .map_or(true, |v| v.is_truthy()),
        None => true,
    }
}

/// Whether this browser, here, can sign in or prove with a passkey (`create` for adding one).
pub fn supported(create: bool) -> bool {
    let (parser, feature) = if create {
        (
            "parseCreationOptionsFromJSON",
            "publickey-credentials-create",
        )
    } else {
        ("parseRequestOptionsFromJSON", "publickey-credentials-get")
    };
    public_key_credential().is_some_and(|pkc| get(&pkc, parser).is_function()) && allowed(feature)
}

/// Answers a ceremony the server started with one of the site's passkeys, from the browser's
/// prompt (or the name field's suggestions when `conditional`).
pub async fn answer(started: PasskeyOptions, conditional: bool) -> Result<PasskeyAnswer, Failure> {
    let credential = choose(&started.options, conditional)
        .await
        .map_err(failure)?;
    Ok(PasskeyAnswer {
        challenge_id: started.challenge_id,
        credential,
    })
}

/// Creates a passkey from the server's options; the credential's JSON text.
pub async fn create(options: &str) -> Result<String, Refusal> {
    run("create", "parseCreationOptionsFromJSON", options, None).await
}

/// Asks for one of the site's passkeys; `conditional` waits for the person to pick one from
/// the sign-in name field's suggestions rather than opening a prompt.
async fn choose(options: &str, conditional: bool) -> Result<String, Refusal> {
    let mediation = conditional.then_some("conditional");
    run("get", "parseRequestOptionsFromJSON", options, mediation).await
}

/// Whether the browser offers passkeys among the name field's suggestions.
pub async fn conditional_available() -> bool {
    let Some(pkc) = public_key_credential() else {
        return false;
    };
    let Some(check) = get(&pkc, "isConditionalMediationAvailable")
        .dyn_into::<Function>()
        .ok()
    else {
        return false;
    };
    match check.call0(&pkc).map(Promise::from) {
        Ok(promise) => JsFuture::from(promise).await.is_ok_and(|v| v.is_truthy()),
        Err(_) => false,
    }
}

thread_local! {
    /// The abort controller of a pending conditional request (the name field's autofill): a
    /// browser runs one request at a time, so any other request ends it first.
    static PENDING: std::cell::RefCell<Option<JsValue>> = const { std::cell::RefCell::new(None) };
}

/// Ends the pending conditional request, if any; a new one's signal when `conditional`.
fn take_turn(conditional: bool) -> Option<JsValue> {
    if let Some(controller) = PENDING.with(|p| p.borrow_mut().take()) {
        if let Ok(abort) = get(&controller, "abort").dyn_into::<Function>() {
            let _ = abort.call0(&controller);
        }
    }
    if !conditional {
        return None;
    }
    let class: Function = get(&js_sys::global(), "AbortController").dyn_into().ok()?;
    let controller = Reflect::construct(&class, &js_sys::Array::new()).ok()?;
    PENDING.with(|p| *p.borrow_mut() = Some(controller.clone()));
    Some(get(&controller, "signal"))
}

async fn run(
    method: &str,
    parser: &str,
    options: &str,
    mediation: Option<&str>,
) -> Result<String, Refusal> {
    let signal = take_turn(mediation.is_some());
    let pkc = public_key_credential().ok_or(Refusal::Unsupported)?;
    let parse: Function = get(&pkc, parser)
        .dyn_into()
        .map_err(|_| Refusal::Unsupported)?;
    let json = JSON::parse(options).map_err(|_| Refusal::Unsupported)?;
    let public_key = parse.call1(&pkc, &json).map_err(|_| Refusal::Unsupported)?;
    let request = Object::new();
    let _ = Reflect::set(&request, &"publicKey".into(), &public_key);
    if let Some(mediation) = mediation {
        let _ = Reflect::set(&request, &"mediation".into(), &mediation.into());
    }
    if let Some(signal) = signal {
        let _ = Reflect::set(&request, &"signal".into(), &signal);
    }
    let credentials = get(&get(&js_sys::global(), "navigator"), "credentials");
    let call: Function = get(&credentials, method)
        .dyn_into()
        .map_err(|_| Refusal::Unsupported)?;
    let promise: Promise = call
        .call1(&credentials, &request)
        .map_err(refusal)?
        .dyn_into()
        .map_err(|_| Refusal::Unsupported)?;
    let credential = JsFuture::from(promise).await.map_err(refusal)?;
    let to_json: Function = get(&credential, "toJSON")
        .dyn_into()
        .map_err(|_| Refusal::Cancelled)?;
    let json = to_json.call0(&credential).map_err(refusal)?;
    JSON::stringify(&json)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or(Refusal::Cancelled)
}

/// What a WebAuthn exception means for the person.
fn refusal(error: JsValue) -> Refusal {
    match get(&error, "name").as_string().as_deref() {
        Some("InvalidStateError") => Refusal::AlreadyHere,
        Some("SecurityError") | Some("NotSupportedError") => Refusal::Unsupported,
        _ => Refusal::Cancelled,
    }
}

/// What the page says when no credential came back.
pub fn failure(refusal: Refusal) -> Failure {
    Failure::of(match refusal {
        Refusal::Unsupported => ErrorCode::PasskeysUnavailable,
        Refusal::Cancelled => ErrorCode::PasskeyRefused,
        Refusal::AlreadyHere => ErrorCode::PasskeyExists,
    })
}
