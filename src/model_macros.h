/* Macros that build novita_field table entries (internal). One line per JSON key. */
#ifndef NOVITA_MODEL_MACROS_H
#define NOVITA_MODEL_MACROS_H

#include <stddef.h>

#include "novita/model.h"

/* NOLINTBEGIN(bugprone-macro-parentheses): `m` names a struct member, which cannot be parenthesised */
#define NOVITA_MEMBER_SIZE(S, m) ((uint16_t)sizeof(((S *)0)->m))
#define NOVITA_MEMBER_OFFSET(S, m) ((uint16_t)offsetof(S, m))

#define NOVITA_F_STRING(S, key, m) \
    { key, NULL, NOVITA_FIELD_STRING, NOVITA_MEMBER_OFFSET(S, m), NOVITA_MEMBER_SIZE(S, m), 0, 0, 0, 0, 0, NULL, NULL, 0 }
#define NOVITA_F_STRING2(S, key, alt, m) \
    { key, alt, NOVITA_FIELD_STRING, NOVITA_MEMBER_OFFSET(S, m), NOVITA_MEMBER_SIZE(S, m), 0, 0, 0, 0, 0, NULL, NULL, 0 }
#define NOVITA_F_INT(S, key, m) \
    { key, NULL, NOVITA_FIELD_INT, NOVITA_MEMBER_OFFSET(S, m), NOVITA_MEMBER_SIZE(S, m), 0, 0, 0, 0, 0, NULL, NULL, 0 }
#define NOVITA_F_BOOL(S, key, m) \
    { key, NULL, NOVITA_FIELD_BOOL, NOVITA_MEMBER_OFFSET(S, m), NOVITA_MEMBER_SIZE(S, m), 0, 0, 0, 0, 0, NULL, NULL, 0 }
#define NOVITA_F_DECIMAL(S, key, m, scale) \
    { key, NULL, NOVITA_FIELD_DECIMAL, NOVITA_MEMBER_OFFSET(S, m), NOVITA_MEMBER_SIZE(S, m), 0, 0, 0, 0, scale, NULL, NULL, 0 }
/* Enum: `m` is the int member, `text` the raw-text member, `names` a static array of names. */
#define NOVITA_F_ENUM(S, key, m, text, names)                                                          \
    { key, NULL, NOVITA_FIELD_ENUM, NOVITA_MEMBER_OFFSET(S, m), NOVITA_MEMBER_SIZE(S, m), 0, 0, 0,    \
      NOVITA_MEMBER_OFFSET(S, text), NOVITA_MEMBER_SIZE(S, text), NULL, names,                       \
      (uint16_t)(sizeof(names) / sizeof((names)[0])) }
#define NOVITA_F_OBJECT(S, key, m, submodel) \
    { key, NULL, NOVITA_FIELD_OBJECT, NOVITA_MEMBER_OFFSET(S, m), NOVITA_MEMBER_SIZE(S, m), 0, 0, 0, 0, 0, &(submodel), NULL, 0 }
/* Arrays: `m` is the array member, `count`/`total` are uint16_t members. */
#define NOVITA_F_OBJECT_ARRAY(S, key, m, count, total, submodel)                                          \
    { key, NULL, NOVITA_FIELD_OBJECT_ARRAY, NOVITA_MEMBER_OFFSET(S, m), NOVITA_MEMBER_SIZE(S, m),        \
      NOVITA_MEMBER_SIZE(S, m[0]), NOVITA_MEMBER_OFFSET(S, count), NOVITA_MEMBER_OFFSET(S, total), 0, 0, \
      &(submodel), NULL, 0 }
#define NOVITA_F_STRING_ARRAY(S, key, m, count, total)                                                    \
    { key, NULL, NOVITA_FIELD_STRING_ARRAY, NOVITA_MEMBER_OFFSET(S, m), NOVITA_MEMBER_SIZE(S, m),        \
      NOVITA_MEMBER_SIZE(S, m[0]), NOVITA_MEMBER_OFFSET(S, count), NOVITA_MEMBER_OFFSET(S, total), 0, 0, \
      NULL, NULL, 0 }

#define NOVITA_F_INT_ARRAY(S, key, m, count, total)                                                       \
    { key, NULL, NOVITA_FIELD_INT_ARRAY, NOVITA_MEMBER_OFFSET(S, m), NOVITA_MEMBER_SIZE(S, m),           \
      NOVITA_MEMBER_SIZE(S, m[0]), NOVITA_MEMBER_OFFSET(S, count), NOVITA_MEMBER_OFFSET(S, total), 0, 0, \
      NULL, NULL, 0 }
/* NOLINTEND(bugprone-macro-parentheses) */

#define NOVITA_MODEL(S, label, table) { label, sizeof(S), table, sizeof(table) / sizeof((table)[0]) }

#endif /* NOVITA_MODEL_MACROS_H */
