// The delivery sinks and the helpers that read codes from them, exercised with real SMTP and HTTP
// traffic. Needs only sinks.mjs, not the Rekey server, and no browser.
import { connect, Socket } from 'node:net';
import { expect, test } from '@playwright/test';
import {
  SINKS_URL,
  base32Decode,
  clearMessages,
  emailsTo,
  latestEmailCode,
  latestSmsCode,
  smsTo,
  totp,
} from './helpers';

const SMTP_PORT = 18025;

/** A minimal SMTP client: sends each command and waits for its complete (multi-line) reply. */
class SmtpClient {
  private buffer = '';
  private waiting: ((reply: string) => void) | null = null;

  private constructor(private socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.flush();
    });
  }

  static async open(port = SMTP_PORT): Promise<{ client: SmtpClient; greeting: string }> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new SmtpClient(socket);
    return { client, greeting: await client.reply() };
  }

  private flush() {
    if (!this.waiting) return;
    // A reply ends with a line "NNN text" (a space, not a hyphen, after the code).
    const lines = this.buffer.split('\r\n');
    for (let i = 0; i < lines.length - 1; i++) {
      if (/^\d{3}(?: |$)/.test(lines[i])) {
        const reply = lines.slice(0, i + 1).join('\r\n');
        this.buffer = lines.slice(i + 1).join('\r\n');
        const resolve = this.waiting;
        this.waiting = null;
        resolve(reply);
        return;
      }
    }
  }

  private reply(): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.flush();
    });
  }

  /** Sends one command and returns the reply, failing unless its code is `expected`. */
  async command(line: string, expected: number): Promise<string> {
    this.socket.write(`${line}\r\n`);
    const reply = await this.reply();
    expect(reply.slice(0, 3), `reply to ${line.split(' ')[0]}: ${reply}`).toBe(String(expected));
    return reply;
  }

  /** Sends a message body after DATA's 354, dot-stuffed, ended by <CRLF>.<CRLF>. */
  async data(message: string): Promise<string> {
    await this.command('DATA', 354);
    const stuffed = message
      .replace(/\r?\n/g, '\r\n')
      .split('\r\n')
      .map((l) => (l.startsWith('.') ? `.${l}` : l))
      .join('\r\n');
    this.socket.write(`${stuffed}\r\n.\r\n`);
    const reply = await this.reply();
    expect(reply.slice(0, 3), `reply to the message: ${reply}`).toBe('250');
    return reply;
  }

  async quit() {
    await this.command('QUIT', 221);
    this.socket.end();
  }
}

async function sendMail(from: string, to: string[], message: string, auth?: { user: string; pass: string }) {
  const { client, greeting } = await SmtpClient.open();
  expect(greeting).toMatch(/^220 /);
  const ehlo = await client.command('EHLO tests.e2e.local', 250);
  expect(ehlo).not.toContain('STARTTLS');
  if (auth) {
    const token = Buffer.from(`\0${auth.user}\0${auth.pass}`).toString('base64');
    await client.command(`AUTH PLAIN ${token}`, 235);
  }
  await client.command(`MAIL FROM:<${from}>`, 250);
  for (const rcpt of to) await client.command(`RCPT TO:<${rcpt}>`, 250);
  await client.data(message);
  await client.quit();
}

test.beforeEach(async () => {
  await clearMessages();
});

test('totp matches the RFC 6238 SHA-1 test vectors', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  expect(base32Decode(secret).toString('ascii')).toBe('12345678901234567890');
  expect(totp(secret, 59_000)).toBe('287082');
  expect(totp(secret, 59_000, 8)).toBe('94287082');
  expect(totp(secret, 1_111_111_109_000, 8)).toBe('07081804');
  expect(totp(secret, 1_111_111_111_000, 8)).toBe('14050471');
  expect(totp(secret, 1_234_567_890_000, 8)).toBe('89005924');
  expect(totp(secret, 2_000_000_000_000, 8)).toBe('69279037');
  expect(totp(secret, 20_000_000_000_000, 8)).toBe('65353130');
  // Spaces, lower case and padding are ignored, as authenticator apps show secrets.
  expect(totp('gezd gnbv gy3t qojq gezd gnbv gy3t qojq', 59_000)).toBe('287082');
  expect(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====', 59_000)).toBe('287082');
  // The same 30-second step gives the same code; the next step another.
  expect(totp(secret, 30_000)).toBe(totp(secret, 59_999));
  expect(totp(secret, 60_000)).not.toBe(totp(secret, 59_999));
  expect(totp(secret)).toMatch(/^\d{6}$/);
});

test('the SMTP sink decodes multipart mail and latestEmailCode reads the newest code', async () => {
  const since = Date.now();
  // As lettre sends it: multipart/alternative, the text part quoted-printable (the soft line
  // break falls inside the code) and the HTML part base64.
  const html = Buffer.from('<p>Your Contoso verification code is <b>13572468</b>.</p>').toString('base64');
  await sendMail(
    'it@contoso.example',
    ['Alex.Wilber@Contoso.example'],
    [
      'From: Contoso IT <it@contoso.example>',
      'To: Alex Wilber <Alex.Wilber@Contoso.example>',
      'Subject: Your Contoso verification code',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Your Contoso verification code is 1357=',
      '2468.',
      '.A line that starts with a dot =E2=80=94 dot-stuffed on the wire.',
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      html,
      '--b1--',
    ].join('\r\n'),
    { user: 'rekey', pass: 'anything' },
  );

  expect(await latestEmailCode('alex.wilber@contoso.example', since)).toBe('13572468');
  const [mail] = await emailsTo('ALEX.WILBER@contoso.example');
  expect(mail.subject).toBe('Your Contoso verification code');
  expect(mail.to).toEqual(['alex.wilber@contoso.example']);
  expect(mail.text).toContain('.A line that starts with a dot — dot-stuffed');
  expect(mail.html).toContain('<b>13572468</b>');
  expect(mail.receivedAt).toBeGreaterThanOrEqual(since);

  // A later, HTML-only message wins, and `since` hides what came before it.
  const later = Date.now();
  await sendMail(
    'it@contoso.example',
    ['alex.wilber@contoso.example'],
    'Subject: Another code\r\nContent-Type: text/html\r\n\r\n<p>Code: <strong>86420975</strong></p>',
  );
  expect(await latestEmailCode('alex.wilber@contoso.example', since)).toBe('86420975');
  expect(await latestEmailCode('alex.wilber@contoso.example', later)).toBe('86420975');
  expect(await emailsTo('alex.wilber@contoso.example')).toHaveLength(2);
  expect(await emailsTo('someone.else@contoso.example')).toEqual([]);

  // The helper waits for mail that has not arrived yet.
  const waiting = latestEmailCode('late@contoso.example', Date.now());
  await new Promise((r) => setTimeout(r, 600));
  await sendMail('it@contoso.example', ['late@contoso.example'], 'Subject: Late\r\n\r\ncode 11223344');
  expect(await waiting).toBe('11223344');
});

test('the SMS receiver takes webhook JSON and Twilio form posts', async () => {
  const since = Date.now();
  const webhook = await fetch(`${SINKS_URL}/sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer e2e-sms-token' },
    body: JSON.stringify({ to: '+15551234567', body: 'Contoso: your verification code is 24681357', org: 'Contoso' }),
  });
  expect(webhook.status).toBe(200);
  expect(await latestSmsCode('+15551234567', since)).toBe('24681357');

  const twilio = await fetch(`${SINKS_URL}/2010-04-01/Accounts/AC0123456789abcdef/Messages.json`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('AC0123456789abcdef:secret').toString('base64')}` },
    body: new URLSearchParams({ To: '+15551234567', From: '+15550000000', Body: 'Contoso code: 97531864' }),
  });
  expect(twilio.status).toBe(201);
  const sent = await twilio.json();
  expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
  expect(sent.status).toBe('queued');
  expect(await latestSmsCode('+15551234567', since)).toBe('97531864');

  // Twilio refuses a post without credentials, and so does the sink.
  const anonymous = await fetch(`${SINKS_URL}/2010-04-01/Accounts/AC0123456789abcdef/Messages.json`, {
    method: 'POST',
    body: new URLSearchParams({ To: '+15551234567', Body: 'code 00000000' }),
  });
  expect(anonymous.status).toBe(401);

  const messages = await smsTo('+1 555 123 4567');
  expect(messages.map((m) => [m.provider, m.to, m.authorization.split(' ')[0]])).toEqual([
    ['webhook', '+15551234567', 'Bearer'],
    ['twilio', '+15551234567', 'Basic'],
  ]);
  expect(messages[0].authorization).toBe('Bearer e2e-sms-token');
  expect(await smsTo('+15557654321')).toEqual([]);

  await clearMessages();
  expect(await smsTo('+15551234567')).toEqual([]);
});
