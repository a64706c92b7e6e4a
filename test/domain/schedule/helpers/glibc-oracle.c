/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * Test oracle: the next-event search of proxmox-time written in C on top of the real glibc
 * mktime/timegm, so tests can compare the TypeScript engine's time-zone emulation (DST gaps,
 * repeated hours, glibc's remembered offset) with the C library PVE itself calls.
 *
 * stdin, one query per line:
 *   <tz> <last> <reset> <utc> <weekday-mask> <field> x6   (year month day hour minute second)
 *   field  = <count> <item>...;  item = s:<v> | r:<a>:<b> | p:<start>:<step>:<end or -1>
 *   reset  = epoch whose local time is passed through mktime first, to seed glibc's guess
 * stdout, one line per query: the next epoch, or "none".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { int kind; long a, b, c; } Item;
typedef struct { int n; Item it[64]; } List;
typedef struct { int utc; struct tm t; int err; } Ed;

static int item_has(const Item *i, long v) {
    if (i->kind == 0) return i->a == v;
    if (i->kind == 1) return v >= i->a && v <= i->b;
    if (v < i->a) return 0;
    if (i->b == 0) return v == i->a;
    return (v - i->a) % i->b == 0 && (i->c < 0 || v <= i->c);
}

static int list_has(const List *l, long v) {
    for (int k = 0; k < l->n; k++) if (item_has(&l->it[k], v)) return 1;
    return 0;
}

static int list_next(const List *l, long v, long *out) {
    int found = 0;
    long best = 0;
    for (int k = 0; k < l->n; k++) {
        const Item *i = &l->it[k];
        long cand = 0;
        int ok = 0;
        if (i->kind == 0) { if (i->a > v) { cand = i->a; ok = 1; } }
        else if (i->kind == 1) {
            if (v < i->a) { cand = i->a; ok = 1; }
            else if (v + 1 <= i->b) { cand = v + 1; ok = 1; }
        } else {
            if (v < i->a) { cand = i->a; ok = 1; }
            else if (i->b > 0) {
                cand = i->a + ((v - i->a + i->b) / i->b) * i->b;
                ok = i->c < 0 || cand <= i->c;
            }
        }
        if (ok && (!found || cand < best)) { best = cand; found = 1; }
    }
    *out = best;
    return found;
}

static void norm(Ed *e) {
    time_t r;
    if (e->utc) { e->t.tm_isdst = 0; r = timegm(&e->t); }
    else { e->t.tm_isdst = -1; r = mktime(&e->t); }
    if (r == -1) e->err = 1;
}

static void add_years(Ed *e, int n) { if (!n) return; e->t.tm_mon = 0; e->t.tm_mday = 1; e->t.tm_hour = e->t.tm_min = e->t.tm_sec = 0; e->t.tm_year += n; norm(e); }
static void add_months(Ed *e, int n) { if (!n) return; e->t.tm_mday = 1; e->t.tm_hour = e->t.tm_min = e->t.tm_sec = 0; e->t.tm_mon += n; norm(e); }
static void add_days(Ed *e, int n) { if (!n) return; e->t.tm_hour = e->t.tm_min = e->t.tm_sec = 0; e->t.tm_mday += n; norm(e); }
static void set_time(Ed *e, int h, int m, int s) { e->t.tm_hour = h; e->t.tm_min = m; e->t.tm_sec = s; norm(e); }
static void set_min_sec(Ed *e, int m, int s) { e->t.tm_min = m; e->t.tm_sec = s; norm(e); }
static void set_sec(Ed *e, int s) { e->t.tm_sec = s; norm(e); }

static int compute(int utc, int mask, List *f, long last, long *out) {
    Ed e = { .utc = utc, .err = 0 };
    time_t start = last + 1;
    if (utc) gmtime_r(&start, &e.t); else localtime_r(&start, &e.t);
    int every = mask == 0 || mask == 0x7f;
    for (int count = 0; count <= 1000; count++) {
        long n;
        if (e.err) return 0;
        if (f[0].n) {
            long y = e.t.tm_year + 1900;
            if (y < 0) return 0;
            if (!list_has(&f[0], y)) {
                if (!list_next(&f[0], y, &n)) return 0;
                add_years(&e, (int)(n - y));
                continue;
            }
        }
        if (f[1].n && !list_has(&f[1], e.t.tm_mon + 1)) {
            if (list_next(&f[1], e.t.tm_mon + 1, &n)) add_months(&e, (int)(n - (e.t.tm_mon + 1)));
            else add_years(&e, 1);
            continue;
        }
        if (f[2].n && !list_has(&f[2], e.t.tm_mday)) {
            if (list_next(&f[2], e.t.tm_mday, &n)) add_days(&e, (int)(n - e.t.tm_mday));
            else add_months(&e, 1);
            continue;
        }
        if (!every && !(mask & (1 << e.t.tm_wday))) {
            int num = (e.t.tm_wday + 6) % 7, d = num + 1;
            while (d < 7 && !(mask & (1 << ((d + 1) % 7)))) d++;
            add_days(&e, d - num);
            continue;
        }
        if (f[3].n && !list_has(&f[3], e.t.tm_hour)) {
            if (list_next(&f[3], e.t.tm_hour, &n)) set_time(&e, (int)n, 0, 0);
            else add_days(&e, 1);
            continue;
        }
        if (f[4].n && !list_has(&f[4], e.t.tm_min)) {
            if (list_next(&f[4], e.t.tm_min, &n)) set_min_sec(&e, (int)n, 0);
            else set_time(&e, e.t.tm_hour + 1, 0, 0);
            continue;
        }
        if (f[5].n && !list_has(&f[5], e.t.tm_sec)) {
            if (list_next(&f[5], e.t.tm_sec, &n)) set_sec(&e, (int)n);
            else set_min_sec(&e, e.t.tm_min + 1, 0);
            continue;
        }
        time_t r;
        if (utc) { e.t.tm_isdst = 0; r = timegm(&e.t); } else { e.t.tm_isdst = -1; r = mktime(&e.t); }
        if (r == -1) return 0;
        *out = (long)r;
        return 1;
    }
    return 0;
}

int main(void) {
    char tz[128], cur[128] = "";
    long last, reset;
    int utc, mask;
    static List f[6];
    while (scanf("%127s %ld %ld %d %d", tz, &last, &reset, &utc, &mask) == 5) {
        for (int k = 0; k < 6; k++) {
            if (scanf("%d", &f[k].n) != 1 || f[k].n > 64) return 2;
            for (int j = 0; j < f[k].n; j++) {
                char tok[64];
                Item *i = &f[k].it[j];
                if (scanf("%63s", tok) != 1) return 2;
                i->a = i->b = 0; i->c = -1;
                if (tok[0] == 's') { i->kind = 0; sscanf(tok, "s:%ld", &i->a); }
                else if (tok[0] == 'r') { i->kind = 1; sscanf(tok, "r:%ld:%ld", &i->a, &i->b); }
                else { i->kind = 2; sscanf(tok, "p:%ld:%ld:%ld", &i->a, &i->b, &i->c); }
            }
        }
        if (strcmp(tz, cur) != 0) { setenv("TZ", tz, 1); tzset(); strcpy(cur, tz); }
        struct tm seed;
        time_t r = reset;
        localtime_r(&r, &seed);
        seed.tm_isdst = -1;
        mktime(&seed);
        long out;
        if (compute(utc, mask, f, last, &out)) printf("%ld\n", out); else printf("none\n");
    }
    return 0;
}
