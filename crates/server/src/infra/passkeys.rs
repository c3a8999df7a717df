//! WebAuthn ceremonies (webauthn-rs). The relying party is the public URL's host, so a passkey
//! made here works here only, under whatever sub-path Rekey is mounted. Options go to the
//! browser as WebAuthn's JSON (`PublicKeyCredential.parse…OptionsFromJSON` reads them) and its
//! `credential.toJSON()` comes back; the ceremony state between the two is kept by the caller.

use uuid::Uuid;
use webauthn_rs::prelude::{
    AuthenticationResult, CredentialID, DiscoverableAuthentication, DiscoverableKey, Passkey,
    PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Url, Webauthn,
    WebauthnBuilder, WebauthnError,
};
use webauthn_rs_proto::ResidentKeyRequirement;

#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    /// The public URL's host is an IP address: browsers accept passkeys only for a domain.
    #[error("passkeys need the public URL to name a domain (localhost will do)")]
    Unavailable,
    /// The body is not a WebAuthn credential at all.
    #[error("not a WebAuthn credential: {0}")]
    Malformed(String),
    /// Our own ceremony state or stored key that cannot be read back or written: a fault here,
    /// not in the request.
    #[error("stored passkey state: {0}")]
    Stored(String),
    /// A credential whose signature counter went backwards: it may have been copied.
    #[error("the credential's signature counter went backwards")]
    Cloned,
    /// Any other reason the browser's answer does not verify.
    #[error("the credential does not verify: {0}")]
    Refused(WebauthnError),
}

/// A passkey ceremony's options for the browser (the `publicKey` member, as JSON text), and
/// the state to keep until its answer.
pub struct Started {
    pub options: String,
    pub state: String,
}

pub struct Passkeys {
    webauthn: Option<Webauthn>,
    /// The public URL's domain, when it names one.
    rp_id: Option<String>,
}

impl Passkeys {
    /// The relying party for `public_url`.
    pub fn new(public_url: &str) -> Passkeys {
        let url = Url::parse(public_url).ok();
        let rp_id = url.as_ref().and_then(|u| u.domain()).map(str::to_string);
        let webauthn = url.zip(rp_id.as_deref()).and_then(|(url, rp_id)| {
            let origin = Url::parse(&url.origin().ascii_serialization()).ok()?;
            WebauthnBuilder::new(rp_id, &origin)
                .ok()?
                .rp_name("Rekey")
                .build()
                .ok()
        });
        let rp_id = rp_id.filter(|_| webauthn.is_some());
        Passkeys { webauthn, rp_id }
    }

    pub fn available(&self) -> bool {
        self.webauthn.is_some()
    }

    /// The domain passkeys made here are bound to, when passkeys can work here.
    pub fn relying_party(&self) -> Option<&str> {
        self.rp_id.as_deref()
    }

    fn rp(&self) -> Result<&Webauthn, PasskeyError> {
        self.webauthn.as_ref().ok_or(PasskeyError::Unavailable)
    }

    /// Options to create a discoverable passkey for the user `handle`, not one of `exclude`.
    pub fn start_registration(
        &self,
        handle: Uuid,
        name: &str,
        display_name: &str,
        exclude: Vec<CredentialID>,
    ) -> Result<Started, PasskeyError> {
        let (mut options, state) = self
            .rp()?
            .start_passkey_registration(handle, name, display_name, Some(exclude))
            .map_err(PasskeyError::Refused)?;
        // A passkey must say whose it is (reset and sign-in without typing a name): ask for a
        // discoverable credential. The finish step does not depend on this field.
        if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
            selection.resident_key = Some(ResidentKeyRequirement::Required);
            selection.require_resident_key = true;
        }
        Ok(Started {
            options: to_string(&options.public_key)?,
            state: to_string(&state)?,
        })
    }

    pub fn finish_registration(
        &self,
        credential: &str,
        state: &str,
    ) -> Result<Passkey, PasskeyError> {
        let credential: RegisterPublicKeyCredential = parse(credential)?;
        let state: PasskeyRegistration = from_str(state)?;
        self.rp()?
            .finish_passkey_registration(&credential, &state)
            .map_err(refused)
    }

    /// Options that let the browser offer any passkey it holds for this site.
    pub fn start_discoverable(&self) -> Result<Started, PasskeyError> {
        let (options, state) = self
            .rp()?
            .start_discoverable_authentication()
            .map_err(PasskeyError::Refused)?;
        Ok(Started {
            options: to_string(&options.public_key)?,
            state: to_string(&state)?,
        })
    }

    /// Who the passkey says it belongs to (its user handle) and its credential id, before it
    /// is verified: only to find the stored key to verify it with.
    pub fn identify(&self, credential: &str) -> Result<(Uuid, Vec<u8>), PasskeyError> {
        let credential: PublicKeyCredential = parse(credential)?;
        let (handle, id) = self
            .rp()?
            .identify_discoverable_authentication(&credential)
            .map_err(PasskeyError::Refused)?;
        Ok((handle, id.to_vec()))
    }

    pub fn finish_discoverable(
        &self,
        credential: &str,
        state: &str,
        stored: &Passkey,
    ) -> Result<AuthenticationResult, PasskeyError> {
        let credential: PublicKeyCredential = parse(credential)?;
        let state: DiscoverableAuthentication = from_str(state)?;
        self.rp()?
            .finish_discoverable_authentication(
                &credential,
                state,
                &[DiscoverableKey::from(stored)],
            )
            .map_err(refused)
    }
}

fn refused(error: WebauthnError) -> PasskeyError {
    match error {
        WebauthnError::CredentialPossibleCompromise => PasskeyError::Cloned,
        other => PasskeyError::Refused(other),
    }
}

fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, PasskeyError> {
    serde_json::from_str(text).map_err(|e| PasskeyError::Malformed(e.to_string()))
}

/// Ceremony state and stored keys are our own JSON: failing to read them back is a fault.
fn from_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, PasskeyError> {
    serde_json::from_str(text).map_err(|e| PasskeyError::Stored(e.to_string()))
}

fn to_string<T: serde::Serialize>(value: &T) -> Result<String, PasskeyError> {
    serde_json::to_string(value).map_err(|e| PasskeyError::Stored(e.to_string()))
}

/// A stored passkey as its JSON, and back.
pub fn encode(passkey: &Passkey) -> Result<String, PasskeyError> {
    to_string(passkey)
}

pub fn decode(text: &str) -> Result<Passkey, PasskeyError> {
    from_str(text)
}

/// A credential id as stored and compared: base64url without padding, as browsers write it.
pub fn credential_key(id: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relying_party_is_the_public_urls_domain() {
        let portal = Passkeys::new("https://sspr.contoso.example/portal/sspr");
        assert_eq!(portal.relying_party(), Some("sspr.contoso.example"));
        assert!(Passkeys::new("http://localhost:8080").available());
        assert_eq!(Passkeys::new("http://127.0.0.1:8080").relying_party(), None);
        // Browsers refuse an IP address as a relying party.
        assert!(!Passkeys::new("http://127.0.0.1:8080").available());
        assert!(!Passkeys::new("not a url").available());
    }

    #[test]
    fn registration_asks_for_a_discoverable_verified_credential() {
        let passkeys = Passkeys::new("https://sspr.contoso.example");
        let started = passkeys
            .start_registration(Uuid::new_v4(), "ada", "Ada", Vec::new())
            .unwrap();
        let options: serde_json::Value = serde_json::from_str(&started.options).unwrap();
        let selection = &options["authenticatorSelection"];
        assert_eq!(selection["residentKey"], "required");
        assert_eq!(selection["userVerification"], "required");
        assert_eq!(options["rp"]["id"], "sspr.contoso.example");
        assert_eq!(options["attestation"], "none");
    }

    #[test]
    fn a_body_that_is_no_credential_is_malformed() {
        let passkeys = Passkeys::new("https://sspr.contoso.example");
        for wrong in [r#"{ "id": 3 }"#, "not json", ""] {
            let identified = passkeys.identify(wrong);
            assert!(matches!(identified, Err(PasskeyError::Malformed(_))));
        }
    }
}
