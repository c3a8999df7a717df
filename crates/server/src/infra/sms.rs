//! Text messages through an HTTP provider: a generic JSON webhook, or Twilio's Messages API
//! (or anything that speaks it).

use std::time::Duration;

use crate::config::{Config, SmsProvider};

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error("SMS provider unreachable: {0}")]
    Http(#[from] reqwest::Error),
    #[error("SMS provider answered {0}")]
    Status(reqwest::StatusCode),
    #[error("SMS is not configured completely: {0}")]
    Config(&'static str),
}

pub struct SmsSender {
    client: reqwest::Client,
    provider: SmsProvider,
    url: String,
    token: String,
    account: String,
    from: String,
}

impl SmsSender {
    pub fn from_config(config: &Config) -> Result<SmsSender, SmsError> {
        let url = config.sms_url.trim().trim_end_matches('/').to_string();
        match config.sms_provider {
            SmsProvider::Webhook if url.is_empty() => {
                return Err(SmsError::Config("the webhook needs REKEY_SMS_URL"))
            }
            SmsProvider::Twilio if config.sms_account.is_empty() || config.sms_from.is_empty() => {
                return Err(SmsError::Config(
                    "Twilio needs REKEY_SMS_ACCOUNT, REKEY_SMS_TOKEN and REKEY_SMS_FROM",
                ))
            }
            _ => {}
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()?;
        Ok(SmsSender {
            client,
            provider: config.sms_provider,
            url,
            token: config.sms_token.clone(),
            account: config.sms_account.clone(),
            from: config.sms_from.clone(),
        })
    }

    pub fn is_configured(&self) -> bool {
        self.provider != SmsProvider::None
    }

    pub fn provider_name(&self) -> &'static str {
        match self.provider {
            SmsProvider::None => "none",
            SmsProvider::Webhook => "webhook",
            SmsProvider::Twilio => "twilio",
        }
    }

    pub async fn send(&self, to: &str, body: &str) -> Result<(), SmsError> {
        let request = match self.provider {
            SmsProvider::None => return Ok(()),
            SmsProvider::Webhook => {
                let request = self
                    .client
                    .post(&self.url)
                    .json(&serde_json::json!({ "to": to, "body": body }));
                if self.token.is_empty() {
                    request
                } else {
                    request.bearer_auth(&self.token)
                }
            }
            SmsProvider::Twilio => {
                let base = if self.url.is_empty() {
                    "https://api.twilio.com"
                } else {
                    &self.url
                };
                let url = format!("{base}/2010-04-01/Accounts/{}/Messages.json", self.account);
                self.client
                    .post(url)
                    .basic_auth(&self.account, Some(&self.token))
                    .form(&[("To", to), ("From", self.from.as_str()), ("Body", body)])
            }
        };
        let response = request.send().await?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(SmsError::Status(response.status()))
        }
    }
}
