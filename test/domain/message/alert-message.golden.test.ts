// SPDX-License-Identifier: AGPL-3.0-or-later
// Golden texts of alert messages in English, German and Italian: a grouped problem batch
// ("2 backups failed on cluster prod"), a reminder with mixed problems, and a recovery.
// Each block is: subject, summary, blank line, body.
import { describe, expect, it } from 'vitest';
import type { AlertBatch } from '../../../src/domain/alerts/types.ts';
import { renderAlertMessage } from '../../../src/domain/message/alert-message.ts';
import type { MessageLanguage } from '../../../src/domain/message/i18n/catalogue.ts';
import { GROUPED, RECOVERY, REMINDER, timeZoneOf } from './fixtures.ts';

function render(batch: AlertBatch, language: MessageLanguage): string {
    const m = renderAlertMessage(batch, { language, timeZoneOf, publicUrl: 'https://pve.example.com:8006/' });
    return `\n${m.subject}\n${m.summary}\n\n${m.text}`;
}

describe('en', () => {
    it('a grouped problem batch', () => {
        expect(render(GROUPED, 'en')).toBe(`
2 backups failed on cluster prod
2 backups failed: web01 (VMID 101), db01 (VMID 102)

pve-backup-health found 2 new problems:

• web01 (VMID 101) – Backup failed (critical)
  Expected: scheduled backup by job backup-daily on node pve1 at 2026-11-21 02:00 (Europe/Vienna)
  Found: the backup failed, 2 scheduled runs in a row
  Log: ERROR: Backup of VM 101 failed - vma_queue_write: write error - No space left on device

• db01 (VMID 102) – Backup failed (critical)
  Expected: scheduled backup by job backup-daily on node pve2 at 2026-11-20 20:00 (America/New_York)
  Found: the backup failed
  Log: ERROR: Backup of VM 102 failed - VM 102 qmp command guest-fsfreeze-freeze failed - got timeout

Details: https://pve.example.com:8006/
`);
    });
    it('a reminder', () => {
        expect(render(REMINDER, 'en')).toBe(`
Reminder: 3 backup problems on cluster prod
Reminder: 3 backup problems: web01 (VMID 101), mail (VMID 103), storage local-backup

Reminder: these 3 problems are still unresolved:

• web01 (VMID 101) – Backup failed (critical)
  Expected: scheduled backup by job backup-daily on node pve1 at 2026-11-21 02:00 (Europe/Vienna)
  Found: the backup failed, 2 scheduled runs in a row
  Log: ERROR: Backup of VM 101 failed - vma_queue_write: write error - No space left on device
  Still unresolved since 2026-11-21 09:00 (Europe/Vienna)

• mail (VMID 103) – Backup did not start (critical)
  Expected: scheduled backup by job backup-daily on node pve3 at 2026-11-21 02:00 (Europe/Rome)
  Found: the run did not start, 2 scheduled runs in a row (node down or scheduler not running?)
  Still unresolved since 2026-11-20 08:00 (Europe/Rome)

• storage local-backup – Storage almost full (warning)
  Expected: enough free space for the next backups
  Found: storage local-backup is 91.3 % full (912.7 GiB of 1000.0 GiB)
  Still unresolved since 2026-11-19 10:00 (Europe/Vienna)

Details: https://pve.example.com:8006/
`);
    });
    it('a recovery', () => {
        expect(render(RECOVERY, 'en')).toBe(`
Resolved: Backup failed – web01 (VMID 101) on cluster prod
Resolved: Backup failed – web01 (VMID 101)

This problem is resolved:

• web01 (VMID 101) – Backup failed (critical)
  Resolved; it had existed since 2026-11-21 09:00 (Europe/Vienna)

Details: https://pve.example.com:8006/
`);
    });
});

describe('de', () => {
    it('a grouped problem batch', () => {
        expect(render(GROUPED, 'de')).toBe(`
2 Sicherungen fehlgeschlagen auf Cluster prod
2 Sicherungen fehlgeschlagen: web01 (VMID 101), db01 (VMID 102)

pve-backup-health hat 2 neue Probleme festgestellt:

• web01 (VMID 101) – Sicherung fehlgeschlagen (kritisch)
  Erwartet: geplante Sicherung durch Auftrag backup-daily auf Knoten pve1 am 21.11.2026, 02:00 Uhr (Europe/Vienna)
  Festgestellt: die Sicherung ist fehlgeschlagen, 2 geplante Läufe in Folge
  Protokoll: ERROR: Backup of VM 101 failed - vma_queue_write: write error - No space left on device

• db01 (VMID 102) – Sicherung fehlgeschlagen (kritisch)
  Erwartet: geplante Sicherung durch Auftrag backup-daily auf Knoten pve2 am 20.11.2026, 20:00 Uhr (America/New_York)
  Festgestellt: die Sicherung ist fehlgeschlagen
  Protokoll: ERROR: Backup of VM 102 failed - VM 102 qmp command guest-fsfreeze-freeze failed - got timeout

Details: https://pve.example.com:8006/
`);
    });
    it('a reminder', () => {
        expect(render(REMINDER, 'de')).toBe(`
Erinnerung: 3 Sicherungsprobleme auf Cluster prod
Erinnerung: 3 Sicherungsprobleme: web01 (VMID 101), mail (VMID 103), Speicher local-backup

Erinnerung: Diese 3 Probleme bestehen weiterhin:

• web01 (VMID 101) – Sicherung fehlgeschlagen (kritisch)
  Erwartet: geplante Sicherung durch Auftrag backup-daily auf Knoten pve1 am 21.11.2026, 02:00 Uhr (Europe/Vienna)
  Festgestellt: die Sicherung ist fehlgeschlagen, 2 geplante Läufe in Folge
  Protokoll: ERROR: Backup of VM 101 failed - vma_queue_write: write error - No space left on device
  Besteht seit dem 21.11.2026, 09:00 Uhr (Europe/Vienna)

• mail (VMID 103) – Sicherung nicht gestartet (kritisch)
  Erwartet: geplante Sicherung durch Auftrag backup-daily auf Knoten pve3 am 21.11.2026, 02:00 Uhr (Europe/Rome)
  Festgestellt: der Lauf ist nicht gestartet, 2 geplante Läufe in Folge (Knoten ausgefallen oder Scheduler gestoppt?)
  Besteht seit dem 20.11.2026, 08:00 Uhr (Europe/Rome)

• Speicher local-backup – Speicher fast voll (Warnung)
  Erwartet: genug freier Platz für die nächsten Sicherungen
  Festgestellt: Speicher local-backup ist zu 91,3 % belegt (912,7 GiB von 1000,0 GiB)
  Besteht seit dem 19.11.2026, 10:00 Uhr (Europe/Vienna)

Details: https://pve.example.com:8006/
`);
    });
    it('a recovery', () => {
        expect(render(RECOVERY, 'de')).toBe(`
Behoben: Sicherung fehlgeschlagen – web01 (VMID 101) auf Cluster prod
Behoben: Sicherung fehlgeschlagen – web01 (VMID 101)

Dieses Problem ist behoben:

• web01 (VMID 101) – Sicherung fehlgeschlagen (kritisch)
  Behoben; bestand seit dem 21.11.2026, 09:00 Uhr (Europe/Vienna)

Details: https://pve.example.com:8006/
`);
    });
});

describe('it', () => {
    it('a grouped problem batch', () => {
        expect(render(GROUPED, 'it')).toBe(`
2 backup non riusciti sul cluster prod
2 backup non riusciti: web01 (VMID 101), db01 (VMID 102)

pve-backup-health ha rilevato 2 nuovi problemi:

• web01 (VMID 101) – Backup non riuscito (critico)
  Previsto: backup pianificato dal job backup-daily sul nodo pve1 il 21/11/2026 alle 02:00 (Europe/Vienna)
  Rilevato: il backup non è riuscito, 2 esecuzioni pianificate di seguito
  Log: ERROR: Backup of VM 101 failed - vma_queue_write: write error - No space left on device

• db01 (VMID 102) – Backup non riuscito (critico)
  Previsto: backup pianificato dal job backup-daily sul nodo pve2 il 20/11/2026 alle 20:00 (America/New_York)
  Rilevato: il backup non è riuscito
  Log: ERROR: Backup of VM 102 failed - VM 102 qmp command guest-fsfreeze-freeze failed - got timeout

Dettagli: https://pve.example.com:8006/
`);
    });
    it('a reminder', () => {
        expect(render(REMINDER, 'it')).toBe(`
Promemoria: 3 problemi di backup sul cluster prod
Promemoria: 3 problemi di backup: web01 (VMID 101), mail (VMID 103), storage local-backup

Promemoria: questi 3 problemi sono ancora presenti:

• web01 (VMID 101) – Backup non riuscito (critico)
  Previsto: backup pianificato dal job backup-daily sul nodo pve1 il 21/11/2026 alle 02:00 (Europe/Vienna)
  Rilevato: il backup non è riuscito, 2 esecuzioni pianificate di seguito
  Log: ERROR: Backup of VM 101 failed - vma_queue_write: write error - No space left on device
  Ancora presente dal 21/11/2026 alle 09:00 (Europe/Vienna)

• mail (VMID 103) – Backup non avviato (critico)
  Previsto: backup pianificato dal job backup-daily sul nodo pve3 il 21/11/2026 alle 02:00 (Europe/Rome)
  Rilevato: l'esecuzione non è partita, 2 esecuzioni pianificate di seguito (nodo spento o scheduler fermo?)
  Ancora presente dal 20/11/2026 alle 08:00 (Europe/Rome)

• storage local-backup – Storage quasi pieno (avviso)
  Previsto: spazio libero sufficiente per i prossimi backup
  Rilevato: lo storage local-backup è pieno al 91,3% (912,7 GiB di 1000,0 GiB)
  Ancora presente dal 19/11/2026 alle 10:00 (Europe/Vienna)

Dettagli: https://pve.example.com:8006/
`);
    });
    it('a recovery', () => {
        expect(render(RECOVERY, 'it')).toBe(`
Risolto: Backup non riuscito – web01 (VMID 101) sul cluster prod
Risolto: Backup non riuscito – web01 (VMID 101)

Questo problema è stato risolto:

• web01 (VMID 101) – Backup non riuscito (critico)
  Risolto; era presente dal 21/11/2026 alle 09:00 (Europe/Vienna)

Dettagli: https://pve.example.com:8006/
`);
    });
});
