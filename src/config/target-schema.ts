// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * Schemas of the notification targets and remotes. Secret properties are part of the schema
 * (`writeOnly: true`) so the GUI can offer a password field; their values live only in the
 * secrets file and reach the daemon through `SettingsUpdate.secrets`.
 */

import type { Schema } from './validate.ts';

const secret = (title: string, description: string): Schema => ({ type: 'string', title, description, writeOnly: true });

const common = (type: string, title: string): Record<string, Schema> => ({
    type: { type: 'string', const: type, title },
    name: { type: 'string', title: 'Name', description: 'Unique name of this target', format: 'path-segment', minLength: 1, maxLength: 64 },
    enabled: { type: 'boolean', title: 'Enabled', default: true },
});

const tls: Record<string, Schema> = {
    caFile: { type: 'string', title: 'CA file', description: 'PEM file of the CA that signed the receiver certificate', format: 'absolute-path' },
    insecure: { type: 'boolean', title: 'Skip certificate check', description: 'Lab setups only' },
};

const httpUrl = (title: string, description: string): Schema => ({ type: 'string', title, description, format: 'http-url', minLength: 1 });

const mailList: Schema = { type: 'array', title: 'Recipients', items: { type: 'string', format: 'mail-address' }, minItems: 1, maxItems: 50 };

function target(type: string, title: string, props: Record<string, Schema>, required: string[]): Schema {
    return {
        type: 'object',
        title,
        properties: { ...common(type, title), ...props },
        required: ['type', 'name', ...required],
        additionalProperties: false,
    };
}

export const TARGET_SCHEMA: Schema = {
    oneOf: [
        target(
            'homeassistant-webhook',
            'Home Assistant webhook trigger',
            {
                url: httpUrl('Home Assistant URL', 'e.g. https://homeassistant.local:8123'),
                webhookId: secret('Webhook ID', 'The id of the automation\'s webhook trigger (POST <url>/api/webhook/<id>)'),
                ...tls,
            },
            ['url'],
        ),
        target(
            'homeassistant-notify',
            'Home Assistant notify service',
            {
                url: httpUrl('Home Assistant URL', 'e.g. https://homeassistant.local:8123'),
                service: { type: 'string', title: 'Service', description: 'notify.<service>, e.g. mobile_app_pixel_8', format: 'path-segment', minLength: 1 },
                data: { type: 'object', title: 'Service data', description: 'Passed as `data` of the notify call', additionalProperties: true },
                token: secret('Long-lived access token', 'Created in the Home Assistant user profile'),
                ...tls,
            },
            ['url', 'service'],
        ),
        target(
            'webhook',
            'Webhook',
            {
                url: httpUrl('URL', 'Receives the message as JSON (or the body template)'),
                method: { type: 'string', title: 'Method', enum: ['POST', 'PUT'], default: 'POST' },
                headers: { type: 'object', title: 'Extra headers', additionalProperties: { type: 'string', format: 'header-value' }, default: {} },
                bodyTemplate: {
                    type: 'string',
                    title: 'Body template',
                    description: 'Placeholders: {{subject}} {{summary}} {{text}} {{kind}} {{severity}} {{cluster}} {{count}} {{json}}',
                    maxLength: 65_536,
                },
                contentType: { type: 'string', title: 'Content type', default: 'application/json', format: 'header-value', minLength: 1 },
                hmacSecret: secret('HMAC secret', 'Signs the body: X-PBH-Signature: sha256=<hex>'),
                authorization: secret('Authorization header', 'Sent as the Authorization header, e.g. "Bearer …"'),
                ...tls,
            },
            ['url'],
        ),
        target(
            'smtp',
            'E-mail (SMTP)',
            {
                host: { type: 'string', title: 'SMTP server', minLength: 1, maxLength: 253 },
                port: { type: 'integer', title: 'Port', description: 'Default 587 (STARTTLS), 465 (TLS), 25 (none)', minimum: 1, maximum: 65_535 },
                security: { type: 'string', title: 'Security', enum: ['starttls', 'tls', 'none'], default: 'starttls' },
                username: { type: 'string', title: 'User name', minLength: 1 },
                password: secret('Password', 'SMTP password (needs a user name)'),
                from: { type: 'string', title: 'From', format: 'mail-address', minLength: 1 },
                to: mailList,
                ...tls,
            },
            ['host', 'from', 'to'],
        ),
        target(
            'sendmail',
            'E-mail (local sendmail)',
            {
                to: mailList,
                from: { type: 'string', title: 'From', format: 'mail-address', minLength: 1 },
                sendmailPath: { type: 'string', title: 'sendmail binary', format: 'absolute-path', default: '/usr/sbin/sendmail' },
            },
            ['to'],
        ),
        target(
            'ntfy',
            'ntfy',
            {
                server: { ...httpUrl('Server', 'e.g. https://ntfy.sh'), default: 'https://ntfy.sh' },
                topic: { type: 'string', title: 'Topic', format: 'path-segment', minLength: 1, maxLength: 64 },
                token: secret('Access token', 'Only for protected topics'),
                ...tls,
            },
            ['topic'],
        ),
        target(
            'gotify',
            'Gotify',
            {
                server: httpUrl('Server', 'e.g. https://gotify.example.com'),
                token: secret('Application token', 'Created under Apps in Gotify'),
                ...tls,
            },
            ['server'],
        ),
        target(
            'telegram',
            'Telegram',
            {
                chatId: { anyOf: [{ type: 'string', format: 'telegram-chat', minLength: 1 }, { type: 'integer' }], title: 'Chat id' },
                apiUrl: { ...httpUrl('Bot API URL', 'Only for a self-hosted Bot API server'), default: 'https://api.telegram.org' },
                botToken: secret('Bot token', 'From @BotFather'),
            },
            ['chatId'],
        ),
    ],
};

export const REMOTE_SCHEMA: Schema = {
    type: 'object',
    title: 'Remote cluster',
    properties: {
        name: { type: 'string', title: 'Name', format: 'path-segment', minLength: 1, maxLength: 64 },
        url: { type: 'string', title: 'API URL', description: 'e.g. https://pve2.example.com:8006', format: 'https-url', minLength: 1 },
        tokenId: { type: 'string', title: 'API token id', description: 'user@realm!tokenid with Sys.Audit on /', format: 'token-id' },
        tokenSecret: secret('API token secret', 'The token\'s UUID secret'),
        fingerprint: { type: 'string', title: 'Certificate fingerprint', format: 'fingerprint' },
        caFile: tls.caFile as Schema,
        insecure: tls.insecure as Schema,
    },
    required: ['name', 'url', 'tokenId'],
    additionalProperties: false,
};
