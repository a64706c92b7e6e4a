// SPDX-License-Identifier: AGPL-3.0-or-later
/** The plugin's own translations, keyed by the English text. */

import type { Catalogue } from './i18n.ts';

export const CATALOGUES: Readonly<Record<string, Catalogue>> = {};
