# Sourced by the browser tests' server scripts. Delivery goes to the local sinks (sinks.mjs,
# started first by playwright.config.ts): SMTP on 18025 and the SMS webhook on 18090. Set here,
# not inherited, so a test run never mails anyone.
export REKEY_SMTP_HOST=127.0.0.1 REKEY_SMTP_PORT=18025 REKEY_SMTP_TLS=none
export REKEY_MAIL_FROM="Contoso IT <it@contoso.example>"
export REKEY_SMS_PROVIDER=webhook REKEY_SMS_URL=http://127.0.0.1:18090/sms REKEY_SMS_TOKEN=e2e-sms-token
export REKEY_ORG_NAME=Contoso
