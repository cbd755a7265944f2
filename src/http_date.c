/*
 * HTTP-date parsing: one tokenizer for the three forms instead of a parser per layout, no scanf, no 64-bit
 * division. Tokens are separated by runs of ' ', ',', '-' and tab; each token's shape says what it is.
 */
#include "http_date.h"

#include <string.h>

/* The parts seen so far, one bit each. */
#define HAVE_DAY 1u
#define HAVE_MONTH 2u
#define HAVE_YEAR 4u
#define HAVE_TIME 8u
#define HAVE_WEEKDAY 16u
#define HAVE_GMT 32u
#define HAVE_ALL 31u /* all but GMT, which asctime lacks */

/* Months (0-11), day names (12-18) and the zone (19), three letters each. */
static const char k_words[] = "JanFebMarAprMayJunJulAugSepOctNovDecMonTueWedThuFriSatSunGMT";

#define WORD_WEEKDAY 12
#define WORD_GMT 19

/* The part a word token is, or 0. Case-sensitive. Day names may be written out: any longer token that starts
 * with an abbreviation and ends in "day" is taken as one (the day name is redundant, so it is not checked
 * further). Sets *month for a month. */
static unsigned word_part(const uint8_t *t, size_t n, unsigned *month)
{
    for (int k = 0; k <= WORD_GMT && n >= 3u; k++) {
        if (memcmp(t, k_words + (size_t)k * 3u, 3) != 0) {
            continue;
        }
        if (k < WORD_WEEKDAY && n == 3u) {
            *month = (unsigned)k + 1u;
            return HAVE_MONTH;
        }
        if (k == WORD_GMT) {
            return n == 3u ? HAVE_GMT : 0u;
        }
        if (k >= WORD_WEEKDAY && (n == 3u || (n <= 9u && memcmp(t + n - 3u, "day", 3) == 0))) {
            return HAVE_WEEKDAY;
        }
        return 0;
    }
    return 0;
}

/* The value of n (at most 4) decimal digits, or -1. */
static int number(const uint8_t *t, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)t[i] - '0';
        if (d > 9u) {
            return -1;
        }
        v = v * 10 + (int)d;
    }
    return v;
}

/* Tab too: the value may still carry the whitespace around a header field's value. */
static bool is_separator(uint8_t c) { return c == ' ' || c == ',' || c == '-' || c == '\t'; }

/* See http_date.h for what is accepted. Lenient about order and spacing: no other text has all the parts. */
bool novita_http_date_parse(const uint8_t *s, size_t len, int64_t *unix_s)
{
    const uint8_t *end = s + len;
    unsigned have = 0, day = 0, month = 0, year = 0, secs = 0;
    while (s < end) {
        const uint8_t *t = s;
        unsigned got;
        while (s < end && !is_separator(*s)) {
            s++;
        }
        size_t n = (size_t)(s - t);
        if (n == 0u) {
            s++; /* a separator */
            continue;
        }
        int v = n <= 4u ? number(t, n) : -1;
        if (v >= 0 && !(have & HAVE_DAY) && n <= 2u) {
            got = HAVE_DAY;
            day = (unsigned)v;
        } else if (v >= 0 && (n == 2u || n == 4u)) {
            got = HAVE_YEAR; /* RFC 9110 7.1.1.1 leaves the century of a two-digit year to us: 1970-2069 */
            year = (unsigned)v + (n == 4u ? 0u : v < 70 ? 2000u : 1900u);
        } else if (n == 8u && t[2] == ':' && t[5] == ':') {
            int h = number(t, 2), mi = number(t + 3, 2), se = number(t + 6, 2);
            if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) {
                return false; /* 60: a leap second */
            }
            got = HAVE_TIME;
            secs = (unsigned)(h * 3600 + mi * 60 + se);
        } else {
            got = word_part(t, n, &month);
        }
        if (got == 0u || (have & got) != 0u) {
            return false; /* unknown, or a part seen twice */
        }
        have |= got;
    }
    if ((have & HAVE_ALL) != HAVE_ALL || year < 1970u || day < 1u) {
        return false;
    }
    /* Days from 1970-01-01 (proleptic Gregorian), counting years from March so the leap day comes last. */
    bool leap = year % 4u == 0u && (year % 100u != 0u || year % 400u == 0u);
    if (day > (unsigned)"\37\34\37\36\37\36\37\37\36\37\36\37"[month - 1u] + (unsigned)(month == 2u && leap)) {
        return false;
    }
    unsigned y = year - (unsigned)(month <= 2u), mp = month > 2u ? month - 3u : month + 9u;
    uint32_t days = 365u * y + y / 4u - y / 100u + y / 400u + (153u * mp + 2u) / 5u + day - 1u - 719468u;
    *unix_s = (int64_t)days * 86400 + secs;
    return true;
}
