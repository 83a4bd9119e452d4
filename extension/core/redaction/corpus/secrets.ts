/**
 * Real-format, fake secrets: generated from a fixed seed, or the providers' own documented
 * test values (AWS's `AKIAIOSFODNN7EXAMPLE`, Stripe's test key, card-network test numbers,
 * IBAN registry examples, jwt.io's sample token). Each sample is a sentence as a user would
 * paste it, the exact substring that must be hidden, and the rule expected to find it.
 */
import { ALNUM, B64URL, DIGITS, HEX, LETTERS, UPPER32, createFaker } from './fake';

/** One corpus entry. */
export interface SecretSample {
  readonly rule: string;
  readonly text: string;
  readonly secret: string;
}

const f = createFaker(0x5ec7e7);
const s = (rule: string, secret: string, text: (x: string) => string): SecretSample => ({
  rule,
  secret,
  text: text(secret),
});

const pem = (type: string, lines: number) =>
  `-----BEGIN ${type}PRIVATE KEY-----\n${f.pemBody(lines)}\n-----END ${type}PRIVATE KEY-----`;

/** Secrets, tokens and personal data that must always be found (e-mail/phone: see OPT_IN). */
export const SECRET_SAMPLES: readonly SecretSample[] = [
  s('anthropic-api-key', `sk-ant-api03-${f.str(B64URL, 93)}AA`, (x) => `ANTHROPIC_API_KEY="${x}"`),
  s('anthropic-api-key', `sk-ant-api03-${f.str(B64URL, 93)}AA`, (x) => `my key is ${x} thanks`),
  s('anthropic-api-key', `sk-ant-admin01-${f.str(B64URL, 93)}AA`, (x) => `admin: ${x}`),
  s('openai-api-key', `sk-proj-${f.str(B64URL, 156)}`, (x) => `OPENAI_API_KEY=${x}`),
  s('openai-api-key', `sk-proj-${f.str(B64URL, 74)}`, (x) => `client = OpenAI(api_key="${x}")`),
  s('openai-api-key', `sk-svcacct-${f.str(B64URL, 74)}`, (x) => `service account ${x}`),
  s('openai-api-key', `sk-${f.str(ALNUM, 20)}T3BlbkFJ${f.str(ALNUM, 20)}`, (x) => `old key ${x}.`),
  s('sk-api-key', `sk-${f.str(HEX, 32)}`, (x) => `DEEPSEEK_API_KEY: ${x}`),
  s(
    'gcp-api-key',
    `AIza${f.str(B64URL, 35)}`,
    (x) => `https://maps.googleapis.com/maps/api/js?key=${x}`,
  ),
  s('gcp-api-key', `AIza${f.str(B64URL, 35)}`, (x) => `GEMINI_API_KEY=${x}`),
  s('gcp-api-key', `AIza${f.str(B64URL, 35)}`, (x) => `"apiKey": "${x}",`),
  s('aws-access-key-id', 'AKIAIOSFODNN7EXAMPLE', (x) => `aws_access_key_id = ${x}`),
  s('aws-access-key-id', `AKIA${f.str(UPPER32, 16)}`, (x) => `export AWS_ACCESS_KEY_ID=${x}`),
  s('aws-access-key-id', `ASIA${f.str(UPPER32, 16)}`, (x) => `temporary creds ${x} expire soon`),
  s(
    'aws-secret-access-key',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    (x) => `[default]\naws_secret_access_key = ${x}`,
  ),
  s('aws-secret-access-key', f.str(`${ALNUM}/+`, 40), (x) => `AWS_SECRET_ACCESS_KEY="${x}"`),
  s('github-token', `ghp_${f.str(ALNUM, 36)}`, (x) => `git clone https://${x}@github.com/o/r`),
  s('github-token', `gho_${f.str(ALNUM, 36)}`, (x) => `oauth token ${x}`),
  s('github-token', `ghu_${f.str(ALNUM, 36)}`, (x) => `GH_TOKEN=${x}`),
  s('github-token', `ghs_${f.str(ALNUM, 36)}`, (x) => `server token: ${x}`),
  s('github-token', `ghr_${f.str(ALNUM, 36)}`, (x) => `refresh ${x}`),
  s('github-token', `github_pat_${f.str(ALNUM, 22)}_${f.str(ALNUM, 59)}`, (x) => `PAT ${x}`),
  s('gitlab-token', `glpat-${f.str(B64URL, 20)}`, (x) => `GITLAB_TOKEN=${x}`),
  s('gitlab-token', `glrt-${f.str(B64URL, 20)}`, (x) => `runner token ${x}`),
  s(
    'slack-token',
    `xoxb-${f.str(DIGITS, 12)}-${f.str(DIGITS, 13)}-${f.str(ALNUM, 24)}`,
    (x) => `SLACK_BOT_TOKEN=${x}`,
  ),
  s(
    'slack-token',
    `xoxp-${f.str(DIGITS, 12)}-${f.str(DIGITS, 12)}-${f.str(DIGITS, 13)}-${f.str(HEX, 32)}`,
    (x) => `user token ${x}`,
  ),
  s(
    'slack-token',
    `xapp-1-A${f.str(UPPER32, 10)}-${f.str(DIGITS, 13)}-${f.str(HEX, 64)}`,
    (x) => `app token ${x}`,
  ),
  s(
    'slack-webhook-url',
    `https://hooks.slack.com/services/T${f.str(UPPER32, 8)}/B${f.str(UPPER32, 10)}/${f.str(ALNUM, 24)}`,
    (x) => `curl -X POST ${x} -d '{}'`,
  ),
  s('stripe-secret-key', `sk_live_${f.str(ALNUM, 99)}`, (x) => `Stripe.api_key = "${x}"`),
  s('stripe-secret-key', `rk_live_${f.str(ALNUM, 99)}`, (x) => `restricted ${x}`),
  s('stripe-secret-key', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc', (x) => `stripe.setApiKey('${x}');`),
  s('twilio-api-key', `SK${f.str(HEX, 32)}`, (x) => `TWILIO_API_KEY=${x}`),
  s('twilio-auth-token', f.str(HEX, 32), (x) => `TWILIO_AUTH_TOKEN=${x}`),
  s(
    'sendgrid-api-token',
    `SG.${f.str(B64URL, 22)}.${f.str(B64URL, 43)}`,
    (x) => `SENDGRID_API_KEY='${x}'`,
  ),
  s(
    'sendgrid-api-token',
    `SG.${f.str(B64URL, 22)}.${f.str(B64URL, 43)}`,
    (x) => `use ${x} for mail`,
  ),
  s('npm-access-token', `npm_${f.str(ALNUM, 36)}`, (x) => `//registry.npmjs.org/:_authToken=${x}`),
  s('npm-access-token', `npm_${f.str(ALNUM, 36)}`, (x) => `NPM_TOKEN: ${x}`),
  s(
    'huggingface-access-token',
    `hf_${f.str(LETTERS, 34)}`,
    (x) => `huggingface-cli login --token ${x}`,
  ),
  s('huggingface-access-token', `hf_${f.str(LETTERS, 34)}`, (x) => `HF_TOKEN=${x}`),
  s(
    'discord-bot-token',
    `MT${f.str(ALNUM, 22)}.${f.str(B64URL, 6)}.${f.str(B64URL, 38)}`,
    (x) => `client.login('${x}')`,
  ),
  s(
    'discord-bot-token',
    `Nz${f.str(ALNUM, 24)}.${f.str(B64URL, 6)}.${f.str(B64URL, 27)}`,
    (x) => `bot ${x}`,
  ),
  s(
    'discord-webhook-url',
    `https://discord.com/api/webhooks/${f.str(DIGITS, 18)}/${f.str(B64URL, 68)}`,
    (x) => `webhook: ${x}`,
  ),
  s(
    'telegram-bot-api-token',
    `${f.int(100000000, 999999999)}:AA${f.str(B64URL, 33)}`,
    (x) => `TELEGRAM_TOKEN=${x}`,
  ),
  s(
    'telegram-bot-api-token',
    `${f.int(1000000000, 9999999999)}:AA${f.str(B64URL, 33)}`,
    (x) => `bot token ${x} from BotFather`,
  ),
  s('bearer-token', f.str(`${ALNUM}._-`, 48), (x) => `Authorization: Bearer ${x}`),
  s(
    'bearer-token',
    f.str(ALNUM, 32),
    (x) => `curl -H "Authorization: bearer ${x}" https://api.example.com`,
  ),
  s('basic-auth-header', btoa(`deploy:${f.str(ALNUM, 16)}`), (x) => `Authorization: Basic ${x}`),
  s('password-assignment', `${f.str(ALNUM, 10)}!${f.int(10, 99)}`, (x) => `DB_PASSWORD=${x}`),
  s('password-assignment', 'correct horse battery', (x) => `{"user": "ann", "password": "${x}"}`),
  s('password-assignment', 'hunter2', (x) => `password: hunter2`.replace('hunter2', x)),
  s('password-assignment', `Tr0ub4dor&3`, (x) => `Server=db;Uid=sa;Pwd=${x};`),
  s('secret-assignment', f.str(ALNUM, 32), (x) => `api_key = "${x}"`),
  s('secret-assignment', f.str(ALNUM, 40), (x) => `client_secret: ${x}`),
  s('secret-assignment', f.str(`${ALNUM}_-`, 50), (x) => `SECRET_KEY='${x}'`),
  s('secret-assignment', f.str(HEX, 32), (x) => `x-api-key: ${x}`),
  s(
    'password-assignment',
    btoa(`pw-${f.str(ALNUM, 12)}`),
    (x) => `kind: Secret\ndata:\n  password: ${x}`,
  ),
  s('private-key', pem('RSA ', 8), (x) => `here is my key:\n${x}\nwhy does ssh reject it?`),
  s('private-key', pem('EC ', 3), (x) => x),
  s('private-key', pem('OPENSSH ', 6), (x) => `cat ~/.ssh/id_ed25519\n${x}\n`),
  s('private-key', pem('', 10).replace(/\n/g, '\\n'), (x) => `{"private_key": "${x}"}`),
  s(
    'private-key',
    `-----BEGIN RSA PRIVATE KEY-----\n${f.pemBody(4)}`,
    (x) => `truncated paste:\n${x}`,
  ),
  s(
    'jwt',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    (x) => `token=${x}`,
  ),
  s('jwt', f.jwt('RS256', { sub: 'u_42', exp: 1900000000 }), (x) => `Authorization: Bearer ${x}`),
  s('jwt', f.jwt('ES256', { iss: 'nook', aud: 'api' }), (x) => `cookie session=${x}; Path=/`),
  s(
    'connection-string-password',
    f.str(ALNUM, 16),
    (x) => `DATABASE_URL=postgres://app:${x}@db.internal:5432/app`,
  ),
  s(
    'connection-string-password',
    f.str(ALNUM, 12),
    (x) => `postgresql://admin:${x}@localhost/prod?sslmode=require`,
  ),
  s('connection-string-password', f.str(ALNUM, 14), (x) => `mysql://root:${x}@127.0.0.1:3306/shop`),
  s(
    'connection-string-password',
    f.str(ALNUM, 20),
    (x) => `mongodb+srv://svc:${x}@cluster0.ab1cd.mongodb.net/test`,
  ),
  s(
    'connection-string-password',
    f.str(ALNUM, 18),
    (x) => `REDIS_URL=redis://default:${x}@cache:6379/0`,
  ),
  s('connection-string-password', f.str(ALNUM, 10), (x) => `amqp://guest:${x}@rabbit:5672/vhost`),
  s('url-password', 'p4ss-w0rd', (x) => `https://ann:${x}@intranet.example.org/wiki`),
  s('card-number', '4111 1111 1111 1111', (x) => `Card: ${x}, exp 12/29`),
  s('card-number', '4242424242424242', (x) => `test with ${x} and any CVC`),
  s('card-number', '5555-5555-5555-4444', (x) => `Mastercard ${x}`),
  s('card-number', '2223 0031 2200 3222', (x) => `new MC range ${x}`),
  s('card-number', '3782 822463 10005', (x) => `Amex ${x}`),
  s('card-number', '6011111111111117', (x) => `Discover: ${x}.`),
  s('card-number', '3530111333300000', (x) => `JCB ${x}`),
  s(
    'card-number',
    f.luhn('4', 16).replace(/(\d{4})(?=\d)/g, '$1 '),
    (x) => `my visa is ${x} thanks`,
  ),
  s('iban', 'GB82 WEST 1234 5698 7654 32', (x) => `Pay to ${x} by Friday`),
  s('iban', 'DE89370400440532013000', (x) => `IBAN: ${x}`),
  s('iban', 'NL91ABNA0417164300', (x) => `rekening ${x}`),
  s('iban', 'FR14 2004 1010 0505 0001 3M02 606', (x) => `RIB ${x}`),
  s('iban', 'BE68539007547034', (x) => `(${x})`),
  s('iban', f.iban('ES', f.str(DIGITS, 20)), (x) => `cuenta ${x}`),
  s(
    'us-ssn',
    `${f.int(100, 665)}-${f.int(10, 99)}-${f.int(1000, 9999)}`,
    (x) => `SSN ${x} on file`,
  ),
  s(
    'us-ssn',
    `${f.int(667, 899)} ${f.int(10, 99)} ${f.int(1000, 9999)}`,
    (x) => `social security number: ${x}`,
  ),
  s('us-ssn', `${f.int(100, 665)}${f.int(10, 99)}${f.int(1000, 9999)}`, (x) => `SSN: ${x}`),
  s('uk-nino', 'AB123456C', (x) => `NI number ${x}`),
  s('uk-nino', 'JG 10 37 59 A', (x) => `National Insurance: ${x}`),
  s('nl-bsn', '111222333', (x) => `BSN: ${x}`),
  s('nl-bsn', '1234.56.782', (x) => `burgerservicenummer ${x}`),
  s('es-dni', '12345678Z', (x) => `DNI ${x}`),
  s('es-dni', 'X1234567L', (x) => `NIE: ${x}`),
  s('es-dni', '87654321-X', (x) => `documento ${x}`),
];

/** E-mail addresses and phone numbers: found only when the user turns them on. */
export const OPT_IN_SAMPLES: readonly SecretSample[] = [
  s('email', 'alice.smith+nook@example.com', (x) => `mail me at ${x}.`),
  s('email', 'j.doe@mail.example.co.uk', (x) => `From: John <${x}>`),
  s('email', 'ops_team@sub-domain.example.org', (x) => `cc ${x}, thanks`),
  s('phone-international', '+44 20 7946 0958', (x) => `call ${x} today`),
  s('phone-international', '+14155552671', (x) => `E.164: ${x}`),
  s('phone-nanp', '(415) 555-2671', (x) => `office ${x}`),
  s('phone-nanp', '212-555-0199', (x) => `cell: ${x}`),
  s('phone-national', '020 7946 0958', (x) => `London office ${x}`),
  s('phone-national', '01 23 45 67 89', (x) => `Paris: ${x}`),
];
