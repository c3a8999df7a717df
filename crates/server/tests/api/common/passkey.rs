//! A software passkey for the API tests: it answers WebAuthn options as a browser and an
//! authenticator would ("none" attestation, a P-256 key, user verification done), so the
//! server's ceremonies run against real signatures. Its counter, origin and flags can be
//! set wrong on purpose.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ciborium::value::Value as Cbor;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// User present and verified.
const UP_UV: u8 = 0x01 | 0x04;
/// ...with attested credential data.
const ATTESTED: u8 = 0x40;

#[derive(Clone)]
pub struct SoftPasskey {
    key: SigningKey,
    pub credential_id: Vec<u8>,
    /// The user handle the server gave it at creation.
    pub user_handle: Vec<u8>,
    pub counter: u32,
    /// The origin it says the page was at (what a browser would write).
    pub origin: String,
    /// The relying party it signs for.
    pub rp_id: String,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The options field of a server's answer: JSON text (or already JSON, in a test's own).
fn parse(options: &Value) -> Value {
    match options.as_str() {
        Some(text) => serde_json::from_str(text).expect("options are JSON text"),
        None => options.clone(),
    }
}

fn cbor(value: &Cbor) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).expect("CBOR");
    out
}

impl SoftPasskey {
    /// A new key for pages at `origin` (e.g. `http://localhost:8080`).
    pub fn new(origin: &str) -> SoftPasskey {
        let host = origin
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split([':', '/']).next())
            .expect("an origin");
        SoftPasskey {
            key: SigningKey::random(&mut rand::rngs::OsRng),
            credential_id: rand::random::<[u8; 16]>().to_vec(),
            user_handle: Vec::new(),
            counter: 0,
            origin: origin.to_string(),
            rp_id: host.to_string(),
        }
    }

    fn client_data(&self, kind: &str, options: &Value) -> Vec<u8> {
        let challenge = options["challenge"].as_str().expect("a challenge");
        json!({"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": false})
            .to_string()
            .into_bytes()
    }

    fn auth_data(&self, flags: u8) -> Vec<u8> {
        let mut data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        data.push(flags);
        data.extend(self.counter.to_be_bytes());
        data
    }

    /// `navigator.credentials.create({publicKey: options})`, then `credential.toJSON()`; the
    /// options as the server sends them (JSON text).
    pub fn create(&mut self, options: &Value) -> String {
        let options = &parse(options);
        let user = options["user"]["id"].as_str().expect("a user id");
        self.user_handle = URL_SAFE_NO_PAD.decode(user).expect("base64url user id");
        let client_data = self.client_data("webauthn.create", options);
        let point = self.key.verifying_key().to_encoded_point(false);
        let int = |n: i64| Cbor::Integer(n.into());
        let cose = Cbor::Map(vec![
            (int(1), int(2)),
            (int(3), int(-7)),
            (int(-1), int(1)),
            (int(-2), Cbor::Bytes(point.x().expect("x").to_vec())),
            (int(-3), Cbor::Bytes(point.y().expect("y").to_vec())),
        ]);
        let mut auth_data = self.auth_data(UP_UV | ATTESTED);
        auth_data.extend([0u8; 16]);
        auth_data.extend((self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend(&self.credential_id);
        auth_data.extend(cbor(&cose));
        let attestation = Cbor::Map(vec![
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(Vec::new())),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64(&client_data),
                "attestationObject": b64(&cbor(&attestation)),
                "transports": ["internal", "hybrid"],
            },
        })
        .to_string()
    }

    /// `navigator.credentials.get(options)` choosing this passkey, then `credential.toJSON()`.
    /// The counter goes up first, as an authenticator's does.
    pub fn get(&mut self, options: &Value) -> String {
        let options = &parse(options);
        self.counter += 1;
        let client_data = self.client_data("webauthn.get", options);
        let auth_data = self.auth_data(UP_UV);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64(&client_data),
                "authenticatorData": b64(&auth_data),
                "signature": b64(signature.to_der().as_bytes()),
                "userHandle": b64(&self.user_handle),
            },
        })
        .to_string()
    }
}
