/* HTTP-date parsing: three fixed layouts read field by field, no scanf. */
#include "http_date.h"

#include <string.h>

typedef struct cursor {
    const uint8_t *s;
    size_t len;
    size_t at;
} cursor;

static bool take(cursor *c, char expected)
{
    if (c->at >= c->len || c->s[c->at] != (uint8_t)expected)
        return false;
    c->at++;
    return true;
}

/* Exactly `digits` decimal digits. */
static bool take_number(cursor *c, size_t digits, int *out)
{
    int v = 0;
    if (c->len - c->at < digits)
        return false;
    for (size_t i = 0; i < digits; i++) {
        uint8_t ch = c->s[c->at + i];
        if (ch < '0' || ch > '9')
            return false;
        v = v * 10 + (ch - '0');
    }
    c->at += digits;
    *out = v;
    return true;
}

/* A day name: 3 letters, or the full name when `full` (RFC 850). Only its shape is checked. */
static bool take_day_name(cursor *c, bool full)
{
    static const char *const names[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
                                         "Friday", "Saturday", "Sunday" };
    for (size_t i = 0; i < 7; i++) {
        size_t n = full ? strlen(names[i]) : 3u;
        if (c->len - c->at >= n && memcmp(c->s + c->at, names[i], n) == 0) {
            c->at += n;
            return true;
        }
    }
    return false;
}

static bool take_month(cursor *c, int *month)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (c->len - c->at < 3)
        return false;
    for (int m = 0; m < 12; m++) {
        if (memcmp(c->s + c->at, months + (size_t)m * 3u, 3) == 0) {
            c->at += 3;
            *month = m + 1;
            return true;
        }
    }
    return false;
}

static bool take_time(cursor *c, int *h, int *mi, int *se)
{
    return take_number(c, 2, h) && take(c, ':') && take_number(c, 2, mi) && take(c, ':') &&
           take_number(c, 2, se) && *h <= 23 && *mi <= 59 && *se <= 60;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), by the era-based civil-to-days method. */
static int64_t days_from_civil(int y, int m, int d)
{
    int64_t year = (int64_t)y - (m <= 2 ? 1 : 0);
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    int64_t yoe = year - era * 400;
    int64_t mp = (m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool finish(int y, int mo, int d, int h, int mi, int se, int64_t *unix_s)
{
    if (y < 1970 || d < 1 || d > days_in_month(y, mo))
        return false;
    *unix_s = days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + se;
    return true;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" */
static bool parse_imf(cursor c, int64_t *unix_s)
{
    int d, mo, y, h, mi, se;
    return take_day_name(&c, false) && take(&c, ',') && take(&c, ' ') && take_number(&c, 2, &d) &&
           take(&c, ' ') && take_month(&c, &mo) && take(&c, ' ') && take_number(&c, 4, &y) && take(&c, ' ') &&
           take_time(&c, &h, &mi, &se) && take(&c, ' ') && take(&c, 'G') && take(&c, 'M') && take(&c, 'T') &&
           c.at == c.len && finish(y, mo, d, h, mi, se, unix_s);
}

/* "Sunday, 06-Nov-94 08:49:37 GMT" */
static bool parse_rfc850(cursor c, int64_t *unix_s)
{
    int d, mo, y, h, mi, se;
    if (!(take_day_name(&c, true) && take(&c, ',') && take(&c, ' ') && take_number(&c, 2, &d) && take(&c, '-') &&
          take_month(&c, &mo) && take(&c, '-') && take_number(&c, 2, &y) && take(&c, ' ') &&
          take_time(&c, &h, &mi, &se) && take(&c, ' ') && take(&c, 'G') && take(&c, 'M') && take(&c, 'T') &&
          c.at == c.len))
        return false;
    y += y < 70 ? 2000 : 1900;
    return finish(y, mo, d, h, mi, se, unix_s);
}

/* "Sun Nov  6 08:49:37 1994" (the day is space-padded) */
static bool parse_asctime(cursor c, int64_t *unix_s)
{
    int d, mo, y, h, mi, se;
    if (!(take_day_name(&c, false) && take(&c, ' ') && take_month(&c, &mo) && take(&c, ' ')))
        return false;
    if (c.at < c.len && c.s[c.at] == ' ') {
        c.at++;
        if (!take_number(&c, 1, &d))
            return false;
    } else if (!take_number(&c, 2, &d)) {
        return false;
    }
    return take(&c, ' ') && take_time(&c, &h, &mi, &se) && take(&c, ' ') && take_number(&c, 4, &y) &&
           c.at == c.len && finish(y, mo, d, h, mi, se, unix_s);
}

bool novita_http_date_parse(const uint8_t *s, size_t len, int64_t *unix_s)
{
    cursor c = { s, len, 0 };
    return parse_imf(c, unix_s) || parse_rfc850(c, unix_s) || parse_asctime(c, unix_s);
}
