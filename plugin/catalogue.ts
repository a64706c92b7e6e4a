// SPDX-License-Identifier: AGPL-3.0-or-later
/**
 * The plugin's own translations, keyed by the English text: one row per string,
 * `English | Deutsch | Italiano`. A table keeps the bundle small (each English key is stored
 * once) and makes a missing translation visible at a glance; test/gui/i18n.test.ts checks that
 * every string the plugin uses has a row with both translations.
 */

import type { Catalogue } from './i18n.ts';

const TABLE = `
{0} ago | vor {0} | {0} fa
in {0} | in {0} | tra {0}
{0} s | {0} s | {0} s
{0} min | {0} min | {0} min
{0} h | {0} h | {0} h
{0} d | {0} T | {0} g
Task | Task | Attività
Task log | Task-Log | Log dell'attività
Open the task log | Task-Log öffnen | Apri il log dell'attività
task | Task | attività
Name | Name | Nome
Node | Knoten | Nodo
Cluster | Cluster | Cluster
this cluster | dieser Cluster | questo cluster
Created | Erstellt | Creato
Size | Größe | Dimensione
Encrypted | Verschlüsselt | Cifrato
Verified | Verifiziert | Verificato
never | nie | mai
OK | OK | OK
Warning | Warnung | Avviso
Warnings | Warnungen | Avvisi
Critical | Kritisch | Critico
Unknown | Unbekannt | Sconosciuto
Failed | Fehlgeschlagen | Fallito
Aborted | Abgebrochen | Interrotto
Running | Läuft | In esecuzione
Copies | Kopien | Copie
Error | Fehler | Errore
Starting… | Starte… | Avvio…
Archive {0} created | Archiv {0} erstellt | Archivio {0} creato
Verifying… | Verifiziere… | Verifica…
Archive {0} is intact ({1} files checked). | Archiv {0} ist intakt ({1} Dateien geprüft). | L'archivio {0} è integro ({1} file verificati).
Archive {0} is damaged: | Archiv {0} ist beschädigt: | L'archivio {0} è danneggiato:
Verify | Verifizieren | Verifica
Create now | Jetzt erstellen | Crea ora
Download | Herunterladen | Scarica
Compare | Vergleichen | Confronta
Select exactly two archives to compare. | Bitte genau zwei Archive zum Vergleichen auswählen. | Seleziona esattamente due archivi da confrontare.
Compare {0} with {1} | {0} mit {1} vergleichen | Confronta {0} con {1}
last run {0} | letzter Lauf {0} | ultima esecuzione {0}
last run {0} failed: {1} | letzter Lauf {0} fehlgeschlagen: {1} | ultima esecuzione {0} fallita: {1}
next {0} | nächster {0} | prossima {0}
Schedule: {0} | Zeitplan: {0} | Pianificazione: {0}
Configuration archives are not available | Konfigurationsarchive sind nicht verfügbar | Gli archivi di configurazione non sono disponibili
This version of the Backup Health service does not archive host configurations, or the feature is turned off in its settings. | Diese Version des Backup-Health-Dienstes archiviert keine Host-Konfigurationen, oder die Funktion ist in seinen Einstellungen ausgeschaltet. | Questa versione del servizio Backup Health non archivia le configurazioni degli host, oppure la funzione è disattivata nelle sue impostazioni.
Type | Typ | Tipo
VM | VM | VM
CT | CT | CT
Jobs | Jobs | Job
Job | Job | Job
Job {0} | Job {0} | Job {0}
excluded | ausgenommen | escluso
none | keine | nessuno
Schedule | Zeitplan | Pianificazione
Last backup | Letztes Backup | Ultimo backup
Last result | Letztes Ergebnis | Ultimo risultato
Compared with the median of earlier backups | Verglichen mit dem Median früherer Backups | Confrontato con la mediana dei backup precedenti
Duration | Dauer | Durata
Storage | Storage | Storage
Status | Status | Stato
Excluded | Ausgenommen | Escluso
Problems | Probleme | Problemi
Problem | Problem | Problema
No problems. | Keine Probleme. | Nessun problema.
No problems: every guest is backed up as its jobs promise. | Keine Probleme: jeder Gast wird gesichert, wie seine Jobs es versprechen. | Nessun problema: ogni guest viene salvato come promettono i suoi job.
Explain | Erklären | Spiega
Problems only | Nur Probleme | Solo problemi
Group by | Gruppieren | Raggruppa per
nothing | nichts | niente
Search | Suche | Cerca
Guests | Gäste | Guest
Guest | Gast | Guest
Storages | Storages | Storage
Config archives | Konfigurationsarchive | Archivi di configurazione
Notifications | Benachrichtigungen | Notifiche
Settings | Einstellungen | Impostazioni
Loading… | Lade… | Caricamento…
Check now | Jetzt prüfen | Controlla ora
Reload | Neu laden | Ricarica
Retry | Erneut versuchen | Riprova
Backup Health | Backup-Zustand | Stato dei backup
Backup health: {0} | Backup-Zustand: {0} | Stato dei backup: {0}
Backup health of {0} | Backup-Zustand von {0} | Stato dei backup di {0}
Waiting for the first check | Warte auf die erste Prüfung | In attesa del primo controllo
Last check | Letzte Prüfung | Ultimo controllo
checking now | prüft gerade | controllo in corso
Next check | Nächste Prüfung | Prossimo controllo
service {0} on {1} | Dienst {0} auf {1} | servizio {0} su {1}
not covered | nicht abgedeckt | non coperti
Next runs | Nächste Läufe | Prossime esecuzioni
Last run per node | Letzter Lauf je Knoten | Ultima esecuzione per nodo
{0} ran, {1} missed | {0} gelaufen, {1} verpasst | {0} eseguite, {1} mancate
Included guests ({0}) | Enthaltene Gäste ({0}) | Guest inclusi ({0})
Enabled | Aktiviert | Abilitato
No | Nein | No
all | alle | tutti
Next run | Nächster Lauf | Prossima esecuzione
Results | Ergebnisse | Risultati
OK / warnings / failed / missed over the history window | OK / Warnungen / fehlgeschlagen / verpasst im Verlaufszeitraum | OK / avvisi / falliti / mancati nel periodo storico
Job is disabled: it backs up none of its {0} guests | Job ist deaktiviert: er sichert keinen seiner {0} Gäste | Il job è disabilitato: non salva nessuno dei suoi {0} guest
Job runs only on node {0}: {1} of its guests live on other nodes and are not backed up by it | Job läuft nur auf Knoten {0}: {1} seiner Gäste liegen auf anderen Knoten und werden von ihm nicht gesichert | Il job gira solo sul nodo {0}: {1} dei suoi guest si trovano su altri nodi e non vengono salvati
Schedule cannot be read: {0} | Zeitplan nicht lesbar: {0} | Pianificazione non leggibile: {0}
ran | gelaufen | eseguita
missed | verpasst | mancata
pending | ausstehend | in attesa
dst-ambiguous | Sommerzeit-Stunde | ora legale ambigua
unknown | unbekannt | sconosciuto
DST hour, not judged | Sommerzeit-Stunde, nicht bewertet | ora legale, non valutata
not expected | nicht erwartet | non prevista
scheduled | geplant | pianificato
manual | manuell | manuale
Warnings | Warnungen | Avvisi
Sending… | Sende… | Invio…
Test notification | Test-Benachrichtigung | Notifica di prova
No targets. | Keine Ziele. | Nessuna destinazione.
Targets | Ziele | Destinazioni
No notification targets are configured (see Settings). | Keine Benachrichtigungsziele eingerichtet (siehe Einstellungen). | Nessuna destinazione di notifica configurata (vedi Impostazioni).
Test | Test | Prova
Test all | Alle testen | Prova tutte
Sent messages | Gesendete Nachrichten | Messaggi inviati
Sent messages ({0}) | Gesendete Nachrichten ({0}) | Messaggi inviati ({0})
Nothing sent yet. | Noch nichts gesendet. | Ancora nessun invio.
Time | Zeit | Ora
Target | Ziel | Destinazione
Kind | Art | Tipo
problem | Problem | problema
recovery | Erholung | ripristino
reminder | Erinnerung | promemoria
test | Test | prova
Delivered | Zugestellt | Consegnato
Subject | Betreff | Oggetto
Message | Meldung | Messaggio
(set) | (gesetzt) | (impostato)
(not set) | (nicht gesetzt) | (non impostato)
Remove | Entfernen | Rimuovi
Add | Hinzufügen | Aggiungi
Must match {0} | Muss {0} entsprechen | Deve corrispondere a {0}
Stored in {0} | Gespeichert in {0} | Salvato in {0}
The settings cannot be written right now (the cluster file system is read-only without quorum). | Die Einstellungen können gerade nicht geschrieben werden (das Cluster-Dateisystem ist ohne Quorum schreibgeschützt). | Le impostazioni non possono essere scritte ora (il file system del cluster è in sola lettura senza quorum).
Saving… | Speichere… | Salvataggio…
Saved. | Gespeichert. | Salvato.
Save | Speichern | Salva
Revert | Zurücksetzen | Ripristina
shared | gemeinsam | condiviso
Usage | Belegung | Utilizzo
Used | Belegt | Usato
{0} of {1} | {0} von {1} | {0} di {1}
Full on | Voll am | Pieno il
Projected from the usage over the last 30 days (linear fit); empty when usage is not growing or not recorded. | Hochgerechnet aus der Belegung der letzten 30 Tage (lineare Regression); leer, wenn die Belegung nicht wächst oder nicht aufgezeichnet ist. | Stimato dall'utilizzo degli ultimi 30 giorni (regressione lineare); vuoto se l'utilizzo non cresce o non è registrato.
not projected | nicht hochgerechnet | non stimato
Backups | Backups | Backup
Retention | Aufbewahrung | Conservazione
pruning keeps up | Bereinigung hält Schritt | la pulizia è regolare
{0} guests keep backups the retention policy would remove | {0} Gäste behalten Backups, die die Aufbewahrungsregel entfernen würde | {0} guest conservano backup che la politica di conservazione rimuoverebbe
Top problems | Wichtigste Probleme | Problemi principali
Access denied by the Backup Health service | Zugriff vom Backup-Health-Dienst verweigert | Accesso negato dal servizio Backup Health
Backup Health service unreachable | Backup-Health-Dienst nicht erreichbar | Servizio Backup Health non raggiungibile
Open the Backup Health tab for details. | Details im Reiter Backup-Zustand. | Dettagli nella scheda Stato dei backup.
Details | Details | Dettagli
The Backup Health service cannot be reached | Der Backup-Health-Dienst ist nicht erreichbar | Il servizio Backup Health non è raggiungibile
The browser could not connect to {0}. | Der Browser konnte keine Verbindung zu {0} aufbauen. | Il browser non è riuscito a collegarsi a {0}.
If the service uses a certificate this browser does not trust yet, open {0} in a new browser tab, accept the certificate, then come back and press Retry. | Falls der Dienst ein Zertifikat verwendet, dem dieser Browser noch nicht vertraut: {0} in einem neuen Browser-Tab öffnen, das Zertifikat akzeptieren, dann hierher zurückkehren und „Erneut versuchen“ drücken. | Se il servizio usa un certificato di cui questo browser non si fida ancora, apri {0} in una nuova scheda, accetta il certificato, poi torna qui e premi Riprova.
Make sure the service {0} runs on the node: {1} | Prüfen, ob der Dienst {0} auf dem Knoten läuft: {1} | Verifica che il servizio {0} sia in esecuzione sul nodo: {1}
Make sure port {0} is allowed in the firewall (Datacenter or node firewall). | Prüfen, ob Port {0} in der Firewall erlaubt ist (Rechenzentrums- oder Knoten-Firewall). | Verifica che la porta {0} sia consentita nel firewall (del datacenter o del nodo).
The address can be changed with the browser setting {0}. | Die Adresse lässt sich mit der Browser-Einstellung {0} ändern. | L'indirizzo si può cambiare con l'impostazione del browser {0}.
The Backup Health service did not accept your session | Der Backup-Health-Dienst hat Ihre Sitzung nicht akzeptiert | Il servizio Backup Health non ha accettato la sessione
The service answered 401: your login ticket was refused. Log out and log in again; if that does not help, see the service log: journalctl -u pve-backup-health | Der Dienst antwortete 401: Ihr Anmelde-Ticket wurde abgelehnt. Ab- und wieder anmelden; hilft das nicht, siehe das Dienst-Log: journalctl -u pve-backup-health | Il servizio ha risposto 401: il ticket di accesso è stato rifiutato. Esci e accedi di nuovo; se non basta, vedi il log del servizio: journalctl -u pve-backup-health
Permission denied | Zugriff verweigert | Permesso negato
The service answered 403: your user needs the Sys.Audit privilege on / (for example the PVEAuditor role) to see backup health. | Der Dienst antwortete 403: Ihr Benutzer braucht das Recht Sys.Audit auf / (zum Beispiel die Rolle PVEAuditor), um den Backup-Zustand zu sehen. | Il servizio ha risposto 403: l'utente ha bisogno del privilegio Sys.Audit su / (per esempio il ruolo PVEAuditor) per vedere lo stato dei backup.
The Backup Health service answered with an error | Der Backup-Health-Dienst antwortete mit einem Fehler | Il servizio Backup Health ha risposto con un errore
The first check has not finished yet | Die erste Prüfung ist noch nicht fertig | Il primo controllo non è ancora terminato
The service has started and is reading the cluster. This page refreshes by itself. | Der Dienst ist gestartet und liest den Cluster. Diese Seite aktualisiert sich selbst. | Il servizio è avviato e sta leggendo il cluster. Questa pagina si aggiorna da sola.
The archives hold the same configuration. | Die Archive enthalten dieselbe Konfiguration. | Gli archivi contengono la stessa configurazione.
Removed ({0}) | Entfernt ({0}) | Rimossi ({0})
Added ({0}) | Hinzugefügt ({0}) | Aggiunti ({0})
Changed ({0}) | Geändert ({0}) | Modificati ({0})
Silenced | Stummgeschaltet | Silenziato
until {0} | bis {0} | fino al {0}
until removed | bis zur Aufhebung | fino alla rimozione
Expected runs | Erwartete Läufe | Esecuzioni previste
Tasks | Tasks | Attività
Silence… | Stummschalten… | Silenzia…
Silence | Stummschalten | Silenzia
Close | Schließen | Chiudi
Cancel | Abbrechen | Annulla
Silence alerts for {0} | Meldungen für {0} stummschalten | Silenzia gli avvisi per {0}
For | Für | Per
4 hours | 4 Stunden | 4 ore
1 day | 1 Tag | 1 giorno
3 days | 3 Tage | 3 giorni
1 week | 1 Woche | 1 settimana
30 days | 30 Tage | 30 giorni
Reason | Grund | Motivo
Only the current problems | Nur die aktuellen Probleme | Solo i problemi attuali
Silenced problems are still shown here; only notifications stop. | Stummgeschaltete Probleme werden hier weiter angezeigt; nur die Benachrichtigungen enden. | I problemi silenziati restano visibili qui; si fermano solo le notifiche.
Expected at | Erwartet um | Prevista alle
Run | Lauf | Esecuzione
Guest result | Ergebnis des Gasts | Esito del guest
not in the task | nicht im Task | non nel task
Why | Warum | Perché
Start | Start | Inizio
Result | Ergebnis | Esito
Protected | Geschützt | Protetto
Volume | Volume | Volume
Not enough backups with a known size for a chart. | Zu wenige Backups mit bekannter Größe für ein Diagramm. | Troppo pochi backup di dimensione nota per un grafico.
Backup size over time: {0} to {1}, largest {2} | Backup-Größe im Verlauf: {0} bis {1}, größtes {2} | Dimensione dei backup nel tempo: da {0} a {1}, massimo {2}
failed | fehlgeschlagen | fallito
stale | veraltet | obsoleto
running long | läuft lange | in corso da troppo
warnings | Warnungen | avvisi
job disabled | Job deaktiviert | job disabilitato
guest missing | Gast fehlt | guest mancante
size anomaly | Größe auffällig | dimensione anomala
duration anomaly | Dauer auffällig | durata anomala
verify failed | Verifizierung fehlgeschlagen | verifica fallita
verify stale | Verifizierung veraltet | verifica obsoleta
retention | Aufbewahrung | conservazione
storage low | Storage fast voll | storage quasi pieno
unreachable | nicht erreichbar | non raggiungibile
invalid schedule | ungültiger Zeitplan | pianificazione non valida
archive failed | Archiv fehlgeschlagen | archivio fallito
archive stale | Archiv veraltet | archivio obsoleto
`;

function parse(table: string): Record<string, Record<string, string>> {
    const de: Record<string, string> = {};
    const it: Record<string, string> = {};
    for (const line of table.split('\n')) {
        const [en, d, i] = line.split(' | ');
        if (!en || d === undefined || i === undefined) continue;
        de[en] = d;
        it[en] = i;
    }
    return { de, it };
}

export const CATALOGUES: Readonly<Record<string, Catalogue>> = parse(TABLE);
