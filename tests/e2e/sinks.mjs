#!/usr/bin/env node
// Local delivery sinks for the browser tests, in one process:
//   SMTP on 127.0.0.1:18025 — no TLS (STARTTLS neither offered nor accepted), AUTH optional and any
//     credentials accepted; every message is parsed (multipart, quoted-printable, base64) and kept.
//   HTTP on 127.0.0.1:18090 — receives SMS sends and lets the tests read everything back:
//     POST /sms                                      generic webhook: JSON {"to", "body"} (or a form)
//     POST /2010-04-01/Accounts/{sid}/Messages.json  Twilio-style form post (To, From, Body), basic auth
//     GET  /messages/email[?to=addr][&since=ms]      stored emails, oldest first
//     GET  /messages/sms[?to=number][&since=ms]      stored SMS, oldest first
//     DELETE /messages                               forget everything
//     GET  /health                                   200 when both listeners are up
// Messages live in memory only. Ports can be moved with SINK_SMTP_PORT and SINK_HTTP_PORT.
// Exits cleanly on SIGTERM and SIGINT.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const HOST = '127.0.0.1';
const SMTP_PORT = Number(process.env.SINK_SMTP_PORT || 18025);
const HTTP_PORT = Number(process.env.SINK_HTTP_PORT || 18090);
const MAX_BODY = 1024 * 1024;

/** @type {Array<{to: string[], from: string, subject: string, text: string, html: string, receivedAt: number}>} */
let emails = [];
/** @type {Array<{to: string, body: string, from: string, provider: string, authorization: string, receivedAt: number}>} */
let sms = [];

const log = (...args) => console.log('[sinks]', ...args);

// Addresses compare without case; phone numbers compare by their digits, so "+1 555-123-4567",
// "15551234567" and a "+" decoded to a space by a careless query string all match.
const normEmail = (a) => String(a ?? '').trim().replace(/^<|>$/g, '').toLowerCase();
const normPhone = (p) => String(p ?? '').replace(/\D/g, '');

// ---------------------------------------------------------------------------------------------
// SMTP

const smtp = new SMTPServer({
  secure: false,
  name: 'sinks.e2e.local',
  banner: 'Rekey e2e SMTP sink',
  disabledCommands: ['STARTTLS'],
  hideSTARTTLS: true,
  authOptional: true,
  allowInsecureAuth: true,
  disableReverseLookup: true,
  size: 10 * 1024 * 1024,
  logger: false,
  closeTimeout: 1000,
  onAuth(auth, _session, callback) {
    callback(null, { user: auth.username || 'anyone' });
  },
  onData(stream, session, callback) {
    const envelopeTo = session.envelope.rcptTo.map((r) => normEmail(r.address));
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    simpleParser(stream)
      .then((parsed) => {
        const headerTo = []
          .concat(parsed.to ?? [], parsed.cc ?? [])
          .flatMap((a) => a.value ?? [])
          .map((a) => normEmail(a.address))
          .filter(Boolean);
        const to = [...new Set([...envelopeTo, ...headerTo])];
        const message = {
          to,
          from: parsed.from?.text ?? mailFrom,
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : '',
          receivedAt: Date.now(),
        };
        emails.push(message);
        log(`email to ${to.join(', ')}: ${JSON.stringify(message.subject)}`);
        callback(null, 'Queued in the e2e sink');
      })
      .catch((err) => {
        log('could not parse an email:', err?.message ?? err);
        callback(Object.assign(new Error('Could not parse the message'), { responseCode: 554 }));
      });
  },
});
smtp.on('error', (err) => log('SMTP error:', err?.message ?? err));

// ---------------------------------------------------------------------------------------------
// HTTP

function send(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON or urlencoded form, by content type (JSON is also tried when the type is missing). */
function parsePayload(req, raw) {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  if (!raw.trim()) return {};
  try {
    const value = JSON.parse(raw);
    return value && typeof value === 'object' ? value : {};
  } catch (err) {
    if (type.includes('json')) throw Object.assign(new Error('invalid JSON'), { status: 400 });
    return Object.fromEntries(new URLSearchParams(raw));
  }
}

const first = (obj, keys) => {
  for (const k of keys) if (obj[k] !== undefined && obj[k] !== null && obj[k] !== '') return String(obj[k]);
  return '';
};

function storeSms({ to, body, from, provider, authorization }) {
  const message = { to, body, from, provider, authorization, receivedAt: Date.now() };
  sms.push(message);
  log(`sms (${provider}) to ${to}: ${JSON.stringify(body)}`);
  return message;
}

const TWILIO_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

async function handle(req, res) {
  const url = new URL(req.url ?? '/', `http://${HOST}:${HTTP_PORT}`);
  const path = url.pathname;
  const method = req.method ?? 'GET';

  if (path === '/health' && (method === 'GET' || method === 'HEAD')) {
    return send(res, 200, { ok: true, emails: emails.length, sms: sms.length });
  }

  if (path === '/sms' && method === 'POST') {
    const payload = parsePayload(req, await readBody(req));
    const to = first(payload, ['to', 'To', 'phone', 'number', 'recipient']);
    const body = first(payload, ['body', 'Body', 'message', 'text']);
    if (!to || !body) return send(res, 400, { error: 'expected "to" and "body"' });
    const m = storeSms({
      to,
      body,
      from: first(payload, ['from', 'From', 'sender']),
      provider: 'webhook',
      authorization: String(req.headers.authorization ?? ''),
    });
    return send(res, 200, { ok: true, id: `sink-${m.receivedAt}-${sms.length}` });
  }

  const twilio = TWILIO_PATH.exec(path);
  if (twilio && method === 'POST') {
    const accountSid = decodeURIComponent(twilio[1]);
    const authorization = String(req.headers.authorization ?? '');
    if (!/^Basic\s+\S+/i.test(authorization)) {
      res.setHeader('www-authenticate', 'Basic realm="Twilio API"');
      return send(res, 401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    }
    const payload = parsePayload(req, await readBody(req));
    const to = first(payload, ['To']);
    const body = first(payload, ['Body']);
    const from = first(payload, ['From', 'MessagingServiceSid']);
    if (!to) return send(res, 400, { code: 21604, message: "A 'To' phone number is required.", status: 400 });
    if (!body) return send(res, 400, { code: 21602, message: 'Message body is required.', status: 400 });
    const m = storeSms({ to, body, from, provider: 'twilio', authorization });
    const sid = 'SM' + randomBytes(16).toString('hex');
    const now = new Date(m.receivedAt).toUTCString();
    return send(res, 201, {
      sid,
      account_sid: accountSid,
      to,
      from,
      body,
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      date_created: now,
      date_updated: now,
      error_code: null,
      error_message: null,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
    });
  }

  if ((path === '/messages/email' || path === '/messages/sms') && method === 'GET') {
    const to = url.searchParams.get('to');
    const since = Number(url.searchParams.get('since') ?? '') || 0;
    let list;
    if (path === '/messages/email') {
      list = to === null ? emails : emails.filter((m) => m.to.includes(normEmail(to)));
    } else {
      list = to === null ? sms : sms.filter((m) => normPhone(m.to) === normPhone(to));
    }
    return send(res, 200, list.filter((m) => m.receivedAt >= since));
  }

  if (path === '/messages' && method === 'DELETE') {
    emails = [];
    sms = [];
    return send(res, 200, { ok: true });
  }

  return send(res, 404, { error: `no route for ${method} ${path}` });
}

const web = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    if (!res.headersSent) send(res, err?.status ?? 500, { error: String(err?.message ?? err) });
    else res.destroy();
  });
});
web.keepAliveTimeout = 1000;

// ---------------------------------------------------------------------------------------------
// Start and stop

function listen(server, port, what) {
  return new Promise((resolve, reject) => {
    const onError = (err) => reject(new Error(`${what} cannot listen on ${HOST}:${port}: ${err.message}`));
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
}

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  // Never hang the test runner's teardown on a client that keeps its connection open.
  setTimeout(() => process.exit(0), 2000).unref();
  let open = 2;
  const done = () => {
    if (--open === 0) process.exit(0);
  };
  smtp.close(done);
  web.close(done);
  web.closeAllConnections?.();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

try {
  await listen(smtp, SMTP_PORT, 'SMTP sink');
  await listen(web, HTTP_PORT, 'HTTP sink');
  log(`SMTP on ${HOST}:${SMTP_PORT}, HTTP on http://${HOST}:${HTTP_PORT}`);
} catch (err) {
  console.error('[sinks]', err.message);
  process.exit(1);
}
