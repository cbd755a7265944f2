/*
 * The one place that includes jsmn (internal). Every novita-c file sees the same token layout.
 * JSMN_PARENT_LINKS keeps jsmn linear on arrays of objects; JSMN_STRICT rejects most of what is not JSON
 * (bare words, unquoted keys); novita_json_tokenize also checks that object members are key: value pairs
 * (strict mode lets {"a","b":1} and a missing comma through). A doubled or trailing comma still passes,
 * harmlessly: every value is read as if the commas were right.
 * json_decode.c defines NOVITA_JSMN_IMPLEMENTATION to compile jsmn's functions (static) in that file only.
 * Token types are compared by name only: the ESP-IDF registry jsmn uses different numeric values.
 */
#ifndef NOVITA_JSON_JSMN_H
#define NOVITA_JSON_JSMN_H

#ifndef JSMN_PARENT_LINKS
#define JSMN_PARENT_LINKS
#endif
#ifndef JSMN_STRICT
#define JSMN_STRICT
#endif

/* A build may pass -DJSMN_STATIC everywhere (ESP-IDF's CONFIG_JSMN_STATIC): only the implementation
 * file wants it; elsewhere it would declare static functions that are never defined. */
#ifdef NOVITA_JSMN_IMPLEMENTATION
#ifndef JSMN_STATIC
#define JSMN_STATIC
#endif
#else
#undef JSMN_STATIC
#define JSMN_HEADER
#endif

#include <jsmn.h>

#endif /* NOVITA_JSON_JSMN_H */
