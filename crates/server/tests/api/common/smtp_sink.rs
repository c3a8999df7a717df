//! A local SMTP sink: a real SMTP conversation over TCP that keeps every message it is given,
//! so tests read what Rekey really sent.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Debug)]
pub struct Received {
    pub recipients: Vec<String>,
    pub data: String,
}

#[derive(Clone, Default)]
pub struct SmtpSink {
    pub port: u16,
    messages: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind SMTP sink");
        let sink = SmtpSink {
            port: listener.local_addr().unwrap().port(),
            messages: Arc::default(),
        };
        let messages = sink.messages.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let messages = messages.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
                    let mut recipients = Vec::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        let command = line.to_ascii_uppercase();
                        let reply: &[u8] = if command.starts_with("EHLO")
                            || command.starts_with("HELO")
                        {
                            b"250-sink.test\r\n250 8BITMIME\r\n"
                        } else if command.starts_with("RCPT TO:") {
                            recipients.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                            b"250 OK\r\n"
                        } else if command == "DATA" {
                            let _ = write.write_all(b"354 go ahead\r\n").await;
                            let mut data = String::new();
                            while let Ok(Some(body)) = lines.next_line().await {
                                if body == "." {
                                    break;
                                }
                                data.push_str(&body);
                                data.push('\n');
                            }
                            let recipients = std::mem::take(&mut recipients);
                            messages.lock().unwrap().push(Received { recipients, data });
                            b"250 queued\r\n"
                        } else if command == "QUIT" {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            b"250 OK\r\n"
                        };
                        if write.write_all(reply).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        sink
    }

    /// Waits (up to 15 s) for a message to the given address.
    pub async fn wait_for(&self, recipient: &str) -> Received {
        self.wait_for_count(recipient, 1).await.remove(0)
    }

    /// Waits (up to 15 s) until `count` messages have gone to the address; returns them,
    /// oldest first.
    pub async fn wait_for_count(&self, recipient: &str, count: usize) -> Vec<Received> {
        for _ in 0..150 {
            let found: Vec<Received> = self
                .messages
                .lock()
                .unwrap()
                .iter()
                .filter(|m| m.recipients.iter().any(|r| r == recipient))
                .cloned()
                .collect();
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("fewer than {count} messages for {recipient} reached the SMTP sink");
    }

    /// The first message to `recipient` that contains `text`, once it arrives.
    pub async fn wait_for_text(&self, recipient: &str, text: &str) -> Received {
        for _ in 0..150 {
            let found = self
                .messages
                .lock()
                .unwrap()
                .iter()
                .find(|m| {
                    m.recipients.iter().any(|r| r == recipient)
                        && quoted_printable_decoded(&m.data).contains(text)
                })
                .cloned();
            if let Some(message) = found {
                return message;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let all: Vec<String> = self
            .messages
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.recipients.iter().any(|r| r == recipient))
            .map(|m| m.data.clone())
            .collect();
        panic!("no message to {recipient} containing {text:?} reached the SMTP sink: {all:#?}");
    }
}

/// A message as its reader sees it: quoted-printable soft line breaks joined and `=XX` escapes
/// turned back into their bytes (mail wraps long lines so).
pub fn quoted_printable_decoded(data: &str) -> String {
    let joined = data.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'=' && i + 2 < bytes.len())
            .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
