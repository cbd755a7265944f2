/* Macros that build novita_field table entries (internal). One line per JSON key; layout in model.h. */
#ifndef NOVITA_MODEL_MACROS_H
#define NOVITA_MODEL_MACROS_H

#include <stddef.h>

#include "novita/model.h"

/* The per-kind extras (enum names, array counts) are C99 compound literals: at file scope they have static
 * storage, and being const they land in read-only data next to the table. Tables must be at file scope. */

/* NOLINTBEGIN(bugprone-macro-parentheses): `m` names a struct member, which cannot be parenthesised */
#define NOVITA_MEMBER_SIZE(S, m) ((uint16_t)sizeof(((S *)0)->m))
#define NOVITA_MEMBER_OFFSET(S, m) ((uint16_t)offsetof(S, m))
/* Compile-time check inside a constant expression: 0, or an error when cond is false. */
#define NOVITA_STATIC_ZERO(cond) (0 * sizeof(char[(cond) ? 1 : -1]))

#define NOVITA_FIELD_ENTRY(S, key, m, kind, flags, ext) \
    { key, ext, NOVITA_MEMBER_OFFSET(S, m), NOVITA_MEMBER_SIZE(S, m), kind, flags }

#define NOVITA_F_STRING(S, key, m) NOVITA_FIELD_ENTRY(S, key, m, NOVITA_FIELD_STRING, 0, NULL)
/* `alt` is an accepted alternative spelling; both must be string literals: they become "key\0alt". */
#define NOVITA_F_STRING2(S, key, alt, m) \
    NOVITA_FIELD_ENTRY(S, key "\0" alt, m, NOVITA_FIELD_STRING, NOVITA_FIELD_ALT_KEY, NULL)
#define NOVITA_F_INT(S, key, m) NOVITA_FIELD_ENTRY(S, key, m, NOVITA_FIELD_INT, 0, NULL)
#define NOVITA_F_BOOL(S, key, m) NOVITA_FIELD_ENTRY(S, key, m, NOVITA_FIELD_BOOL, 0, NULL)
#define NOVITA_F_DECIMAL(S, key, m, scale)                                                              \
    NOVITA_FIELD_ENTRY(S, key, m, NOVITA_FIELD_DECIMAL,                                               \
                       (uint8_t)((scale) + NOVITA_STATIC_ZERO((scale) <= NOVITA_DECIMAL_SCALE_MAX)), NULL)
/* Enum: `m` is the enum member (1, 2 or sizeof(int) bytes: short enums make it 1 on arm-none-eabi), `text`
 * the raw-text member, `names` a static array of names. */
#define NOVITA_F_ENUM(S, key, m, text, names)                                                             \
    NOVITA_FIELD_ENTRY(S, key, m, NOVITA_FIELD_ENUM,                                                      \
                       (uint8_t)NOVITA_STATIC_ZERO(NOVITA_MEMBER_SIZE(S, m) == 1u ||                       \
                                                   NOVITA_MEMBER_SIZE(S, m) == 2u ||                       \
                                                   NOVITA_MEMBER_SIZE(S, m) == sizeof(int)),               \
                       (&(const novita_field_enum){ names, (uint16_t)(sizeof(names) / sizeof((names)[0])), \
                                                    NOVITA_MEMBER_OFFSET(S, text), NOVITA_MEMBER_SIZE(S, text) }))
#define NOVITA_F_OBJECT(S, key, m, submodel) NOVITA_FIELD_ENTRY(S, key, m, NOVITA_FIELD_OBJECT, 0, &(submodel))
/* Arrays: `m` is the array member, `count`/`total` are uint16_t members. */
#define NOVITA_ARRAY_EXT(S, m, count, total, model)                                                    \
    (&(const novita_field_array){ model, NOVITA_MEMBER_SIZE(S, m[0]), NOVITA_MEMBER_OFFSET(S, count), \
                                  NOVITA_MEMBER_OFFSET(S, total) })
#define NOVITA_F_OBJECT_ARRAY(S, key, m, count, total, submodel) \
    NOVITA_FIELD_ENTRY(S, key, m, NOVITA_FIELD_OBJECT_ARRAY, 0, NOVITA_ARRAY_EXT(S, m, count, total, &(submodel)))
#define NOVITA_F_STRING_ARRAY(S, key, m, count, total) \
    NOVITA_FIELD_ENTRY(S, key, m, NOVITA_FIELD_STRING_ARRAY, 0, NOVITA_ARRAY_EXT(S, m, count, total, NULL))
#define NOVITA_F_INT_ARRAY(S, key, m, count, total) \
    NOVITA_FIELD_ENTRY(S, key, m, NOVITA_FIELD_INT_ARRAY, 0, NOVITA_ARRAY_EXT(S, m, count, total, NULL))
/* NOLINTEND(bugprone-macro-parentheses) */

/* Sizes and offsets are uint16_t: a struct of 64 KiB or more does not compile. */
#define NOVITA_MODEL(S, label, table)                                                          \
    { label, table, (uint16_t)(sizeof(S) + NOVITA_STATIC_ZERO(sizeof(S) <= UINT16_MAX)),      \
      (uint16_t)(sizeof(table) / sizeof((table)[0])) }

#endif /* NOVITA_MODEL_MACROS_H */
