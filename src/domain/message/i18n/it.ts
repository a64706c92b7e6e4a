// SPDX-License-Identifier: AGPL-3.0-or-later
/** Catalogo dei messaggi in italiano (termini PVE: backup, guest, nodo, job, storage). */

import type { en } from './en.ts';

export const it: Record<keyof typeof en, string> = {
    'subject.group': '{n} problemi di backup',
    'subject.single': '{title}: {label}',
    'subject.on-cluster': '{what} sul cluster {cluster}',
    'subject.on-clusters': '{what} sui cluster {clusters}',
    'subject.reminder': 'Promemoria: {what}',
    'subject.recovery.single': 'Risolto: {title} – {label}',
    'subject.recovery.group': '{n} problemi di backup risolti',
    'subject.test': 'Messaggio di prova da pve-backup-health',
    'summary.more': '+{n} in più',

    'intro.problem.one': 'pve-backup-health ha rilevato un nuovo problema:',
    'intro.problem.other': 'pve-backup-health ha rilevato {n} nuovi problemi:',
    'intro.reminder.one': 'Promemoria: questo problema è ancora presente:',
    'intro.reminder.other': 'Promemoria: questi {n} problemi sono ancora presenti:',
    'intro.recovery.one': 'Questo problema è stato risolto:',
    'intro.recovery.other': 'Questi {n} problemi sono stati risolti:',
    'test.body': 'Questo è un messaggio di prova da pve-backup-health. Se riesci a leggerlo, questa destinazione di notifica funziona.',
    'test.body-from': 'Questo è un messaggio di prova da pve-backup-health su {source}. Se riesci a leggerlo, questa destinazione di notifica funziona.',

    'label.guest': '{name} (VMID {vmid})',
    'label.vmid': 'VMID {vmid}',
    'label.job': 'job {job}',
    'label.storage': 'storage {storage}',
    'label.node': 'nodo {node}',
    'label.cluster': 'il cluster',

    'item.expected': 'Previsto',
    'item.found': 'Rilevato',
    'item.log': 'Log',
    'item.cause': 'Causa',
    'item.since': 'Ancora presente dal {time}',
    'item.resolved': 'Risolto; era presente dal {time}',
    'footer.details': 'Dettagli: {url}',

    'severity.critical': 'critico',
    'severity.warning': 'avviso',
    'severity.unknown': 'sconosciuto',
    'severity.info': 'info',

    'format.datetime': '{day}/{month}/{year} alle {hour}:{minute}',
    'format.zone': '{time} ({zone})',
    'format.decimal': ',',
    'format.percent': '{value}%',
    'unit.day.one': '{n} giorno',
    'unit.day.other': '{n} giorni',
    'unit.hour.one': '{n} ora',
    'unit.hour.other': '{n} ore',
    'unit.minute.one': '{n} minuto',
    'unit.minute.other': '{n} minuti',
    'unit.second.one': '{n} secondo',
    'unit.second.other': '{n} secondi',

    'expected.run': 'backup pianificato dal job {job} sul nodo {node} il {when}',

    'code.backup-failed.title': 'Backup non riuscito',
    'code.backup-failed.group': '{n} backup non riusciti',
    'code.backup-failed.found': 'il backup non è riuscito',
    'code.backup-failed.found-streak': 'il backup non è riuscito, {n} esecuzioni pianificate di seguito',

    'code.backup-missed.title': 'Backup non avviato',
    'code.backup-missed.group': '{n} backup pianificati non avviati',
    'code.backup-missed.found': "l'esecuzione non è partita entro il periodo di tolleranza (nodo spento o scheduler fermo?)",
    'code.backup-missed.found-streak': "l'esecuzione non è partita, {n} esecuzioni pianificate di seguito (nodo spento o scheduler fermo?)",
    'code.backup-missed.found-manual': "l'esecuzione pianificata non è partita; in seguito è stato eseguito un backup manuale",
    'code.backup-missed.found-absent': 'il job è stato eseguito ma non ha incluso questo guest',

    'code.backup-stale.title': 'Nessun backup recente',
    'code.backup-stale.group': '{n} guest senza backup recente',
    'code.backup-stale.expected': "un backup riuscito dall'esecuzione prevista il {when}",
    'code.backup-stale.found': 'il backup riuscito più recente risale al {last}, {age} fa',
    'code.backup-stale.found-none': 'nessun backup riuscito trovato nel periodo analizzato',

    'code.backup-running-long.title': 'Backup in corso da troppo tempo',
    'code.backup-running-long.group': '{n} backup in corso da troppo tempo',
    'code.backup-running-long.expected': 'il task termina entro {limit}',
    'code.backup-running-long.found': 'il task di backup sul nodo {node} è in esecuzione da {runtime}',

    'code.backup-warnings.title': 'Backup terminato con avvisi',
    'code.backup-warnings.group': '{n} backup terminati con avvisi',
    'code.backup-warnings.found': 'il backup è terminato, ma con avvisi',

    'code.not-covered.title': 'Senza backup',
    'code.not-covered.group': '{n} guest senza backup',
    'code.not-covered.expected': 'un job di backup attivo che includa il guest sul nodo {node}',
    'code.not-covered.found': 'nessun job attivo esegue il backup di questo guest sul suo nodo',
    'code.not-covered.found-disabled': 'è incluso solo in job disattivati: {jobs}',
    'code.not-covered.found-other-node': 'è incluso solo in job limitati ad altri nodi: {jobs}',

    'code.job-disabled.title': 'Job di backup disattivato',
    'code.job-disabled.group': '{n} job di backup disattivati',
    'code.job-disabled.found': 'il job {job} è disattivato: lo scheduler non lo avvia mai',

    'code.guest-missing.title': 'Il job indica un guest inesistente',
    'code.guest-missing.group': '{n} voci di job indicano guest non più esistenti',
    'code.guest-missing.expected': 'ogni VMID del job {job} esiste',
    'code.guest-missing.found': 'il job {job} indica il VMID {vmid}, che non esiste più; ogni esecuzione registra un errore',

    'code.size-anomaly.title': 'Dimensione del backup anomala',
    'code.size-anomaly.group': '{n} backup con dimensione anomala',
    'code.size-anomaly.expected': 'circa {median}, come i backup precedenti',
    'code.size-anomaly.found': "l'ultimo backup ha una dimensione anomala",
    'code.size-anomaly.found-low': "l'ultimo backup è di soli {size}",
    'code.size-anomaly.found-high': "l'ultimo backup è di {size}",

    'code.duration-anomaly.title': 'Backup durato troppo a lungo',
    'code.duration-anomaly.group': '{n} backup durati troppo a lungo',
    'code.duration-anomaly.expected': 'circa {median}, come i backup precedenti',
    'code.duration-anomaly.found': "l'ultimo backup è durato {duration}",

    'code.verify-failed.title': 'Verifica non riuscita',
    'code.verify-failed.group': '{n} verifiche di backup non riuscite',
    'code.verify-failed.expected': "l'ultimo backup verificato sullo storage {storage} supera la verifica",
    'code.verify-failed.found': 'la verifica PBS non è riuscita: il backup potrebbe non essere ripristinabile',

    'code.verify-stale.title': 'Nessuna verifica recente',
    'code.verify-stale.group': '{n} guest senza verifica recente',
    'code.verify-stale.expected': 'una verifica PBS riuscita non più vecchia di {age}',
    'code.verify-stale.found': "l'ultima verifica riuscita è del {when}",
    'code.verify-stale.found-never': 'nessun backup di questo guest è mai stato verificato',

    'code.retention-violation.title': 'Backup in eccesso non eliminati',
    'code.retention-violation.group': '{n} guest con backup in eccesso non eliminati',
    'code.retention-violation.expected': 'i backup sullo storage {storage} rispettano la politica di conservazione {policy}',
    'code.retention-violation.found': 'backup fuori dalla politica ancora presenti: {count} (la pulizia è attiva?)',

    'code.storage-low.title': 'Storage quasi pieno',
    'code.storage-low.group': '{n} storage quasi pieni',
    'code.storage-low.expected': 'spazio libero sufficiente per i prossimi backup',
    'code.storage-low.found': 'lo storage {storage} è pieno al {percent} ({used} di {total})',
    'code.storage-low.found-critical': 'lo storage {storage} è pieno al {percent} ({used} di {total}): i backup falliranno a breve',

    'code.source-unreachable.title': 'Verifica impossibile',
    'code.source-unreachable.group': '{n} controlli impossibili: dati non raggiungibili',
    'code.source-unreachable.expected': 'dati del nodo e log dei task leggibili',
    'code.source-unreachable.found': 'una fonte dati non è leggibile; i backup interessati risultano sconosciuti, non ok',
    'code.source-unreachable.found-node': 'il nodo {node} non è leggibile: i backup dei suoi guest non possono essere verificati',
    'code.source-unreachable.found-guest': "l'esito di questa esecuzione è sconosciuto (log del task non leggibile)",

    'code.schedule-invalid.title': 'Pianificazione non valida',
    'code.schedule-invalid.group': '{n} job con pianificazione non valida',
    'code.schedule-invalid.expected': 'un evento di calendario valido',
    'code.schedule-invalid.found': "la pianificazione '{schedule}' del job {job} non è interpretabile; le sue esecuzioni non possono essere verificate",

    'code.config-archive-failed.title': 'Archivio di configurazione non riuscito',
    'code.config-archive-failed.group': '{n} archivi di configurazione non riusciti',
    'code.config-archive-failed.found': "non è stato possibile creare l'archivio di configurazione",

    'code.config-archive-stale.title': 'Archivio di configurazione obsoleto',
    'code.config-archive-stale.group': '{n} archivi di configurazione obsoleti',
    'code.config-archive-stale.found': 'non esiste un archivio di configurazione recente',
};
