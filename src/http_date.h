/*
 * HTTP-date parsing (internal, RFC 9110 section 5.6.7): IMF-fixdate plus the two obsolete forms a
 * recipient must accept. Used for Retry-After given as a date, measured against the response's Date.
 */
#ifndef NOVITA_HTTP_DATE_H
#define NOVITA_HTTP_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Parse "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT" or "Sun Nov  6 08:49:37 1994"
 * (len bytes, not NUL-terminated). Read as tokens, so spacing and order are not checked: each needs a day name
 * (three letters, or up to 9 starting with them and ending in "day"), a day of 1-2 digits (the first number),
 * a month, a year (the second number: 4 digits, or 2 read as 1970-2069) and HH:MM:SS, each once, plus at most
 * one "GMT"; names are case-sensitive. Returns false for anything else, including impossible dates and years before 1970;
 * *unix_s receives seconds since 1970-01-01T00:00:00Z.
 */
bool novita_http_date_parse(const uint8_t *s, size_t len, int64_t *unix_s);

#endif /* NOVITA_HTTP_DATE_H */
