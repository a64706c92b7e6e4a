// SPDX-License-Identifier: AGPL-3.0-or-later
/** Deutscher Nachrichtenkatalog (PVE-Begriffe: Sicherung, Gast, Knoten, Auftrag, Speicher). */

import type { en } from './en.ts';

export const de: Record<keyof typeof en, string> = {
    'subject.group': '{n} Sicherungsprobleme',
    'subject.single': '{title}: {label}',
    'subject.on-cluster': '{what} auf Cluster {cluster}',
    'subject.on-clusters': '{what} auf den Clustern {clusters}',
    'subject.reminder': 'Erinnerung: {what}',
    'subject.recovery.single': 'Behoben: {title} – {label}',
    'subject.recovery.group': '{n} Sicherungsprobleme behoben',
    'subject.test': 'Testnachricht von pve-backup-health',
    'summary.more': '+{n} weitere',

    'intro.problem.one': 'pve-backup-health hat ein neues Problem festgestellt:',
    'intro.problem.other': 'pve-backup-health hat {n} neue Probleme festgestellt:',
    'intro.reminder.one': 'Erinnerung: Dieses Problem besteht weiterhin:',
    'intro.reminder.other': 'Erinnerung: Diese {n} Probleme bestehen weiterhin:',
    'intro.recovery.one': 'Dieses Problem ist behoben:',
    'intro.recovery.other': 'Diese {n} Probleme sind behoben:',
    'test.body': 'Dies ist eine Testnachricht von pve-backup-health. Wenn Sie sie lesen können, funktioniert dieses Benachrichtigungsziel.',
    'test.body-from': 'Dies ist eine Testnachricht von pve-backup-health auf {source}. Wenn Sie sie lesen können, funktioniert dieses Benachrichtigungsziel.',

    'label.guest': '{name} (VMID {vmid})',
    'label.vmid': 'VMID {vmid}',
    'label.job': 'Auftrag {job}',
    'label.storage': 'Speicher {storage}',
    'label.node': 'Knoten {node}',
    'label.cluster': 'der Cluster',

    'item.expected': 'Erwartet',
    'item.found': 'Festgestellt',
    'item.log': 'Protokoll',
    'item.cause': 'Ursache',
    'item.since': 'Besteht seit dem {time}',
    'item.resolved': 'Behoben; bestand seit dem {time}',
    'footer.details': 'Details: {url}',

    'severity.critical': 'kritisch',
    'severity.warning': 'Warnung',
    'severity.unknown': 'unbekannt',
    'severity.info': 'Info',

    'format.datetime': '{day}.{month}.{year}, {hour}:{minute} Uhr',
    'format.zone': '{time} ({zone})',
    'format.decimal': ',',
    'format.percent': '{value} %',
    'unit.day.one': '{n} Tag',
    'unit.day.other': '{n} Tage',
    'unit.hour.one': '{n} Stunde',
    'unit.hour.other': '{n} Stunden',
    'unit.minute.one': '{n} Minute',
    'unit.minute.other': '{n} Minuten',
    'unit.second.one': '{n} Sekunde',
    'unit.second.other': '{n} Sekunden',

    'expected.run': 'geplante Sicherung durch Auftrag {job} auf Knoten {node} am {when}',

    'code.backup-failed.title': 'Sicherung fehlgeschlagen',
    'code.backup-failed.group': '{n} Sicherungen fehlgeschlagen',
    'code.backup-failed.found': 'die Sicherung ist fehlgeschlagen',
    'code.backup-failed.found-streak': 'die Sicherung ist fehlgeschlagen, {n} geplante Läufe in Folge',

    'code.backup-missed.title': 'Sicherung nicht gestartet',
    'code.backup-missed.group': '{n} geplante Sicherungen nicht gestartet',
    'code.backup-missed.found': 'der Lauf ist innerhalb der Toleranzzeit nicht gestartet (Knoten ausgefallen oder Scheduler gestoppt?)',
    'code.backup-missed.found-streak': 'der Lauf ist nicht gestartet, {n} geplante Läufe in Folge (Knoten ausgefallen oder Scheduler gestoppt?)',
    'code.backup-missed.found-manual': 'der geplante Lauf ist nicht gestartet; später lief eine manuelle Sicherung',
    'code.backup-missed.found-absent': 'der Auftrag lief, hat diesen Gast aber nicht gesichert',

    'code.backup-stale.title': 'Keine aktuelle Sicherung',
    'code.backup-stale.group': '{n} Gäste ohne aktuelle Sicherung',
    'code.backup-stale.expected': 'eine erfolgreiche Sicherung aus dem Lauf am {when}',
    'code.backup-stale.found': 'die neueste erfolgreiche Sicherung ist {age} alt, vom {last}',
    'code.backup-stale.found-none': 'im betrachteten Zeitraum wurde keine erfolgreiche Sicherung gefunden',

    'code.backup-running-long.title': 'Sicherung läuft ungewöhnlich lange',
    'code.backup-running-long.group': '{n} Sicherungen laufen ungewöhnlich lange',
    'code.backup-running-long.expected': 'der Task dauert höchstens {limit}',
    'code.backup-running-long.found': 'der Sicherungs-Task auf Knoten {node} läuft bereits {runtime}',

    'code.backup-warnings.title': 'Sicherung mit Warnungen beendet',
    'code.backup-warnings.group': '{n} Sicherungen mit Warnungen beendet',
    'code.backup-warnings.found': 'die Sicherung wurde beendet, aber mit Warnungen',

    'code.not-covered.title': 'Wird nicht gesichert',
    'code.not-covered.group': '{n} Gäste werden nicht gesichert',
    'code.not-covered.expected': 'ein aktiver Sicherungsauftrag, der den Gast auf Knoten {node} erfasst',
    'code.not-covered.found': 'kein aktiver Auftrag sichert diesen Gast auf seinem Knoten',
    'code.not-covered.found-disabled': 'er ist nur in deaktivierten Aufträgen enthalten: {jobs}',
    'code.not-covered.found-other-node': 'er ist nur in Aufträgen enthalten, die auf andere Knoten beschränkt sind: {jobs}',

    'code.job-disabled.title': 'Sicherungsauftrag deaktiviert',
    'code.job-disabled.group': '{n} Sicherungsaufträge deaktiviert',
    'code.job-disabled.found': 'Auftrag {job} ist deaktiviert: der Scheduler startet ihn nie',

    'code.guest-missing.title': 'Auftrag nennt einen nicht vorhandenen Gast',
    'code.guest-missing.group': '{n} Auftragseinträge nennen nicht mehr vorhandene Gäste',
    'code.guest-missing.expected': 'jede VMID in Auftrag {job} existiert',
    'code.guest-missing.found': 'Auftrag {job} nennt VMID {vmid}, die nicht mehr existiert; jeder Lauf protokolliert dafür einen Fehler',

    'code.size-anomaly.title': 'Ungewöhnliche Sicherungsgröße',
    'code.size-anomaly.group': '{n} Sicherungen mit ungewöhnlicher Größe',
    'code.size-anomaly.expected': 'etwa {median} wie bei früheren Sicherungen',
    'code.size-anomaly.found': 'die neueste Sicherung hat eine ungewöhnliche Größe',
    'code.size-anomaly.found-low': 'die neueste Sicherung ist nur {size} groß',
    'code.size-anomaly.found-high': 'die neueste Sicherung ist {size} groß',

    'code.duration-anomaly.title': 'Sicherung dauerte ungewöhnlich lange',
    'code.duration-anomaly.group': '{n} Sicherungen dauerten ungewöhnlich lange',
    'code.duration-anomaly.expected': 'etwa {median} wie bei früheren Sicherungen',
    'code.duration-anomaly.found': 'die neueste Sicherung dauerte {duration}',

    'code.verify-failed.title': 'Verifizierung fehlgeschlagen',
    'code.verify-failed.group': '{n} Verifizierungen fehlgeschlagen',
    'code.verify-failed.expected': 'die neueste verifizierte Sicherung auf Speicher {storage} besteht die Verifizierung',
    'code.verify-failed.found': 'die PBS-Verifizierung ist fehlgeschlagen: die Sicherung ist möglicherweise nicht wiederherstellbar',

    'code.verify-stale.title': 'Keine aktuelle Verifizierung',
    'code.verify-stale.group': '{n} Gäste ohne aktuelle Verifizierung',
    'code.verify-stale.expected': 'eine erfolgreiche PBS-Verifizierung, höchstens {age} alt',
    'code.verify-stale.found': 'die neueste erfolgreiche Verifizierung stammt vom {when}',
    'code.verify-stale.found-never': 'keine Sicherung dieses Gastes wurde je verifiziert',

    'code.retention-violation.title': 'Sicherungen nicht bereinigt',
    'code.retention-violation.group': '{n} Gäste mit nicht bereinigten Sicherungen',
    'code.retention-violation.expected': 'Sicherungen auf Speicher {storage} folgen der Aufbewahrungsrichtlinie {policy}',
    'code.retention-violation.found': 'Sicherungen außerhalb der Richtlinie sind noch vorhanden: {count} (läuft die Bereinigung?)',

    'code.storage-low.title': 'Speicher fast voll',
    'code.storage-low.group': '{n} Speicher fast voll',
    'code.storage-low.expected': 'genug freier Platz für die nächsten Sicherungen',
    'code.storage-low.found': 'Speicher {storage} ist zu {percent} belegt ({used} von {total})',
    'code.storage-low.found-critical': 'Speicher {storage} ist zu {percent} belegt ({used} von {total}): Sicherungen werden bald fehlschlagen',

    'code.source-unreachable.title': 'Prüfung nicht möglich',
    'code.source-unreachable.group': '{n} Prüfungen nicht möglich: Daten nicht erreichbar',
    'code.source-unreachable.expected': 'lesbare Knotendaten und Task-Protokolle',
    'code.source-unreachable.found': 'eine Datenquelle konnte nicht gelesen werden; betroffene Sicherungen gelten als unbekannt, nicht als in Ordnung',
    'code.source-unreachable.found-node': 'Knoten {node} konnte nicht gelesen werden: die Sicherungen seiner Gäste können nicht geprüft werden',
    'code.source-unreachable.found-guest': 'das Ergebnis dieses Laufs ist unbekannt (Task-Protokoll nicht lesbar)',

    'code.schedule-invalid.title': 'Ungültiger Zeitplan',
    'code.schedule-invalid.group': '{n} Aufträge mit ungültigem Zeitplan',
    'code.schedule-invalid.expected': 'ein gültiges Kalenderereignis',
    'code.schedule-invalid.found': "der Zeitplan '{schedule}' von Auftrag {job} ist nicht lesbar; seine Läufe können nicht geprüft werden",

    'code.config-archive-failed.title': 'Konfigurationsarchiv fehlgeschlagen',
    'code.config-archive-failed.group': '{n} Konfigurationsarchive fehlgeschlagen',
    'code.config-archive-failed.found': 'das Konfigurationsarchiv konnte nicht erstellt werden',

    'code.config-archive-stale.title': 'Konfigurationsarchiv veraltet',
    'code.config-archive-stale.group': '{n} Konfigurationsarchive veraltet',
    'code.config-archive-stale.found': 'es gibt kein aktuelles Konfigurationsarchiv',
};
