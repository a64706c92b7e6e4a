#!/usr/bin/env node
// SPDX-License-Identifier: AGPL-3.0-or-later
// Stand-in for PVE's pveum (pve-access-control) in the package tests: the few sub-commands the
// package uses, with users and tokens kept in a JSON state file and every call appended to a
// log, so tests can assert what was attempted. A file named `no-quorum` next to the state file
// makes every change fail the way pveum does without quorum.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const stateFile = process.env.PVEUM_STUB_STATE || '/var/lib/pveum-stub/state.json';
const logFile = process.env.PVEUM_STUB_LOG || '/var/log/pbh-stub.log';
const args = process.argv.slice(2);
fs.mkdirSync(path.dirname(logFile), { recursive: true });
fs.appendFileSync(logFile, `pveum ${args.join(' ')}\n`);

function load() {
    try {
        return JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    } catch {
        return { users: {}, acl: [] };
    }
}
function save(state) {
    fs.mkdirSync(path.dirname(stateFile), { recursive: true });
    fs.writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}
function fail(message) {
    process.stderr.write(`${message}\n`);
    process.exit(255);
}
function option(name) {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
}

const state = load();
const command = args.slice(0, args[0] === 'user' && args[1] === 'token' ? 3 : 2).join(' ');
const readOnly = command === 'user list' || command === 'user token list';
if (!readOnly && fs.existsSync(path.join(path.dirname(stateFile), 'no-quorum'))) fail('cluster not ready - no quorum?');

switch (command) {
    case 'user list': {
        const users = Object.entries(state.users).map(([userid, u]) => ({
            userid,
            enable: 1,
            comment: u.comment,
            ...(option('full') === '1' ? { tokens: Object.keys(u.tokens).map((tokenid) => ({ tokenid, privsep: 0 })) } : {}),
        }));
        process.stdout.write(`${JSON.stringify(users)}\n`);
        break;
    }
    case 'user add': {
        const id = args[2];
        if (state.users[id]) fail(`create user failed: user '${id}' already exists`);
        state.users[id] = { comment: option('comment') ?? '', tokens: {} };
        save(state);
        break;
    }
    case 'user delete': {
        const id = args[2];
        if (!state.users[id]) fail(`delete user failed: no such user ('${id}')`);
        delete state.users[id];
        state.acl = state.acl.filter((a) => a.user !== id);
        save(state);
        break;
    }
    case 'acl modify': {
        state.acl.push({ path: args[2], user: option('users'), role: option('roles') });
        save(state);
        break;
    }
    case 'user token add': {
        const [, , , user, token] = args;
        const u = state.users[user];
        if (!u) fail(`no such user ('${user}')`);
        if (u.tokens[token]) fail(`Token already exists.`);
        const value = crypto.randomUUID();
        u.tokens[token] = { secret: value, privsep: option('privsep') };
        save(state);
        const out = { 'full-tokenid': `${user}!${token}`, info: { privsep: option('privsep') }, value };
        process.stdout.write(`${JSON.stringify(out)}\n`);
        break;
    }
    case 'user token remove': {
        const [, , , user, token] = args;
        if (!state.users[user]?.tokens[token]) fail(`no such token '${token}' for user '${user}'`);
        delete state.users[user].tokens[token];
        save(state);
        break;
    }
    default:
        fail(`pveum stub: unsupported command '${args.join(' ')}'`);
}
