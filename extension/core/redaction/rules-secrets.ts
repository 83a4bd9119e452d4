/**
 * Provider token rules, modelled on the gitleaks default rule set (rule ids follow its
 * names where one exists). Each is anchored on the provider's fixed prefix, so a scan
 * only does work where that prefix appears.
 */
import { Priority, regexDetector } from './detector-kit';
import { FindingKind, type Detector } from './types';
import { charClassCount, shannonEntropy } from './validators';

const secret = FindingKind.secret;
const specific = Priority.specific;

/** Random-looking: enough distinct symbols and both letters and digits. */
function looksRandom(value: string, minEntropy: number): boolean {
  return shannonEntropy(value) >= minEntropy && /\d/.test(value) && /[A-Za-z]/.test(value);
}

/** Detectors for API keys and tokens with a recognisable provider prefix. */
export const PROVIDER_DETECTORS: readonly Detector[] = [
  regexDetector({
    id: 'anthropic-api-key',
    kind: secret,
    label: 'Anthropic API key',
    priority: specific,
    pattern: /(?<![\w-])sk-ant-[a-z]{3,8}\d{2}-[\w-]{32,200}(?![\w-])/dg,
  }),
  regexDetector({
    id: 'openai-api-key',
    kind: secret,
    label: 'OpenAI API key',
    priority: specific,
    pattern:
      /(?<![\w-])(?:sk-(?:proj|svcacct|admin|None)-[\w-]{20,250}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![\w-])/dg,
  }),
  regexDetector({
    // Many providers (DeepSeek, Moonshot, older OpenAI keys) issue bare `sk-` + random.
    id: 'sk-api-key',
    kind: secret,
    label: 'API key',
    priority: specific,
    pattern: /(?<![\w-])sk-[A-Za-z0-9]{32,100}(?![\w-])/dg,
    validate: (v) => looksRandom(v.slice(3), 3.5),
  }),
  regexDetector({
    id: 'gcp-api-key',
    kind: secret,
    label: 'Google API key',
    priority: specific,
    pattern: /(?<![\w-])AIza[\w-]{35}(?![\w-])/dg,
  }),
  regexDetector({
    id: 'aws-access-key-id',
    kind: secret,
    label: 'AWS access key ID',
    priority: specific,
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}(?![A-Za-z0-9])/dg,
  }),
  regexDetector({
    // A secret access key is 40 base64 characters with no prefix; only its label finds it.
    id: 'aws-secret-access-key',
    kind: secret,
    label: 'AWS secret access key',
    priority: specific,
    pattern:
      /aws[\w.-]{0,20}secret[\w.-]{0,20}["']?\s{0,5}(?::=|=>|=|:)\s{0,5}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
    group: 1,
    validate: (v) => shannonEntropy(v) >= 3.5,
  }),
  regexDetector({
    id: 'github-token',
    kind: secret,
    label: 'GitHub token',
    priority: specific,
    pattern: /(?<![\w-])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_\w{50,255})(?![\w-])/dg,
  }),
  regexDetector({
    id: 'gitlab-token',
    kind: secret,
    label: 'GitLab token',
    priority: specific,
    pattern:
      /(?<![\w-])gl(?:pat|dt|rt|ptt|cbt|oas|ft|imt|soat)-[\w-]{20,64}(?:\.[\w-]{1,64}){0,3}(?![\w-])/dg,
  }),
  regexDetector({
    id: 'slack-token',
    kind: secret,
    label: 'Slack token',
    priority: specific,
    pattern:
      /(?<![\w-])(?:xox[abprsoe]-[A-Za-z0-9-]{10,250}|xapp-\d-[A-Za-z0-9-]{20,250})(?![\w-])/dg,
  }),
  regexDetector({
    id: 'slack-webhook-url',
    kind: secret,
    label: 'Slack webhook URL',
    priority: specific,
    pattern:
      /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{20,120}/dg,
  }),
  regexDetector({
    id: 'stripe-secret-key',
    kind: secret,
    label: 'Stripe secret key',
    priority: specific,
    pattern:
      /(?<![\w-])(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,247}|whsec_[A-Za-z0-9]{24,64})(?![\w-])/dg,
  }),
  regexDetector({
    id: 'twilio-api-key',
    kind: secret,
    label: 'Twilio API key',
    priority: specific,
    pattern: /(?<![\w-])SK[0-9a-fA-F]{32}(?![\w-])/dg,
  }),
  regexDetector({
    id: 'twilio-auth-token',
    kind: secret,
    label: 'Twilio auth token',
    priority: specific,
    pattern:
      /twilio[\w.-]{0,20}(?:auth|token|secret)[\w.-]{0,20}["']?\s{0,5}(?::=|=>|=|:)\s{0,5}["']?([0-9a-f]{32})(?![0-9A-Za-z])/dgi,
    group: 1,
  }),
  regexDetector({
    id: 'sendgrid-api-token',
    kind: secret,
    label: 'SendGrid API key',
    priority: specific,
    pattern: /(?<![\w-])SG\.[\w-]{22}\.[\w-]{43}(?![\w-])/dg,
  }),
  regexDetector({
    id: 'npm-access-token',
    kind: secret,
    label: 'npm token',
    priority: specific,
    pattern: /(?<![\w-])npm_[A-Za-z0-9]{36}(?![\w-])/dg,
  }),
  regexDetector({
    id: 'huggingface-access-token',
    kind: secret,
    label: 'Hugging Face token',
    priority: specific,
    pattern: /(?<![\w-])(?:hf_|api_org_)[A-Za-z0-9]{34}(?![\w-])/dg,
  }),
  regexDetector({
    // User id (base64) . timestamp . HMAC.
    id: 'discord-bot-token',
    kind: secret,
    label: 'Discord bot token',
    priority: specific,
    pattern: /(?<![\w.-])[MNO][\w-]{23,27}\.[\w-]{6}\.[\w-]{27,40}(?![\w.-])/dg,
    validate: (v) => looksRandom(v, 4) && charClassCount(v) >= 3,
  }),
  regexDetector({
    id: 'discord-webhook-url',
    kind: secret,
    label: 'Discord webhook URL',
    priority: specific,
    pattern:
      /https?:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{5,30}\/[\w-]{20,100}/dg,
  }),
  regexDetector({
    id: 'telegram-bot-api-token',
    kind: secret,
    label: 'Telegram bot token',
    priority: specific,
    pattern: /(?<![\w:-])\d{5,16}:A[\w-]{34}(?![\w-])/dg,
  }),
];
