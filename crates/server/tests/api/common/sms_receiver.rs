//! A local SMS provider: a real HTTP server that accepts the generic JSON webhook and
//! Twilio-style form posts and keeps what it was sent, so tests read the texts Rekey sent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;

#[derive(Clone, Debug)]
pub struct Text {
    pub to: String,
    pub body: String,
    /// The `Authorization` header as sent.
    pub authorization: String,
    /// Form fields of a Twilio-style post (empty for the webhook).
    pub form: HashMap<String, String>,
}

#[derive(Clone, Default)]
pub struct SmsReceiver {
    pub url: String,
    texts: Arc<Mutex<Vec<Text>>>,
}

async fn webhook(
    State(texts): State<Arc<Mutex<Vec<Text>>>>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<serde_json::Value>,
) -> StatusCode {
    let text = Text {
        to: body["to"].as_str().unwrap_or_default().to_string(),
        body: body["body"].as_str().unwrap_or_default().to_string(),
        authorization: authorization(&headers),
        form: HashMap::new(),
    };
    texts.lock().unwrap().push(text);
    StatusCode::OK
}

async fn twilio(
    State(texts): State<Arc<Mutex<Vec<Text>>>>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> (StatusCode, &'static str) {
    let text = Text {
        to: form.get("To").cloned().unwrap_or_default(),
        body: form.get("Body").cloned().unwrap_or_default(),
        authorization: authorization(&headers),
        form,
    };
    texts.lock().unwrap().push(text);
    (StatusCode::CREATED, r#"{"sid": "SM1", "status": "queued"}"#)
}

fn authorization(headers: &HeaderMap) -> String {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

impl SmsReceiver {
    pub async fn start() -> SmsReceiver {
        let texts: Arc<Mutex<Vec<Text>>> = Arc::default();
        let app = Router::new()
            .route("/sms", post(webhook))
            .route("/2010-04-01/Accounts/{sid}/Messages.json", post(twilio))
            .with_state(texts.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind SMS receiver");
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("SMS receiver");
        });
        SmsReceiver { url, texts }
    }

    /// Waits (up to 15 s) until `count` texts have gone to `to`; returns them, oldest first.
    pub async fn wait_for(&self, to: &str, count: usize) -> Vec<Text> {
        for _ in 0..150 {
            let found: Vec<Text> = self
                .texts
                .lock()
                .unwrap()
                .iter()
                .filter(|t| t.to == to)
                .cloned()
                .collect();
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("fewer than {count} texts to {to} reached the receiver");
    }
}
