/**
 * @file model.h
 * @brief Model descriptors: the field tables that map API JSON keys onto the fixed-size model structs.
 *
 * One descriptor per JSON key drives both decoding (responses into structs) and encoding (structs back to
 * JSON with the API's own key spelling, as the CLI's --json output does). Adding an API field to a model is
 * one struct member plus one table line.
 *
 * Decoding policy (lenient where the real API is messy, strict where data could be lost):
 * - unknown keys are skipped; `null` and absent keys leave the member zeroed;
 * - integers and booleans are accepted as JSON numbers, booleans or numeric strings ("8", "true");
 *   an empty string counts as absent; a fraction, an exponent or an overflow is a decode error;
 * - decimals (NOVITA_FIELD_DECIMAL) are stored exactly as scaled integers, never as floating point;
 * - enum values unknown to this version decode to 0 (the *_UNKNOWN value) and their raw text is kept;
 * - a string longer than its member is NOVITA_ERR_BUFFER_TOO_SMALL with novita_error.what naming the field
 *   ("instance.name") and needed its size: never silently truncated;
 * - an array longer than its member keeps the first elements: `*_count` says how many fitted and
 *   `*_total` how many the response held (the whole response must still fit the token array: see
 *   NOVITA_JSON_TOKENS);
 * - an object member given as an array of objects takes the first element (the API's `node` quirk);
 *   given as an empty array, it counts as absent.
 */
#ifndef NOVITA_MODEL_H
#define NOVITA_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "novita/result.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest scale of a NOVITA_FIELD_DECIMAL (10^18 still fits an int64_t). */
#define NOVITA_DECIMAL_SCALE_MAX 18u

/** Deepest nesting of models under the one being decoded (object in object in object): the decoder walks
 *  nested objects with a fixed stack of NOVITA_MODEL_MAX_DEPTH + 1 levels, and a table nested deeper is a
 *  decode error ("models nested too deeply"). Every model the library exports fits. */
#define NOVITA_MODEL_MAX_DEPTH 3u

/** What a field holds. */
typedef enum novita_field_kind {
    NOVITA_FIELD_STRING = 1,  /**< char[size]; numbers are accepted as their text */
    NOVITA_FIELD_INT,         /**< int32_t (size 4) or int64_t (size 8) */
    NOVITA_FIELD_BOOL,        /**< bool */
    NOVITA_FIELD_ENUM,        /**< enum of 1, 2 or sizeof(int) bytes (short enums: arm-none-eabi makes them 1);
                                   ext: novita_field_enum (names, raw-text member) */
    NOVITA_FIELD_DECIMAL,     /**< int64_t holding value * 10^scale (scale in flags) */
    NOVITA_FIELD_OBJECT,      /**< nested struct; ext: its novita_model */
    NOVITA_FIELD_OBJECT_ARRAY,/**< struct array; ext: novita_field_array (element model, counts) */
    NOVITA_FIELD_STRING_ARRAY,/**< char[capacity][elem_size]; ext: novita_field_array */
    NOVITA_FIELD_INT_ARRAY    /**< int32_t or int64_t [capacity]; ext: novita_field_array */
} novita_field_kind;

/** novita_field.flags: the scale of a decimal (0..NOVITA_DECIMAL_SCALE_MAX) in the low bits ... */
#define NOVITA_FIELD_SCALE_MASK 0x1Fu
/** ... and this bit when `key` holds an accepted alternative spelling after its NUL ("id\0Id"). */
#define NOVITA_FIELD_ALT_KEY 0x80u

struct novita_model;

/**
 * One JSON key of a model: 16 bytes on a 32-bit target. Build tables with the NOVITA_F_* macros of
 * src/model_macros.h. What a kind needs beyond offset and size lives behind `ext`, so the common scalar
 * fields stay small:
 * | kind                    | ext                           | flags                  |
 * |-------------------------|-------------------------------|------------------------|
 * | STRING, INT, BOOL       | NULL                          | NOVITA_FIELD_ALT_KEY   |
 * | DECIMAL                 | NULL                          | scale                  |
 * | ENUM                    | const novita_field_enum *     | 0                      |
 * | OBJECT                  | const novita_model * (member) | 0                      |
 * | OBJECT/STRING/INT_ARRAY | const novita_field_array *    | 0                      |
 */
typedef struct novita_field {
    const char *key;   /**< JSON key as the API spells it; with NOVITA_FIELD_ALT_KEY, "key\0alt" */
    const void *ext;   /**< per kind, see above */
    uint16_t offset;   /**< member offset in the struct */
    uint16_t size;     /**< member size in bytes (arrays: the whole array) */
    uint8_t kind;      /**< novita_field_kind */
    uint8_t flags;     /**< NOVITA_FIELD_SCALE_MASK, NOVITA_FIELD_ALT_KEY */
} novita_field;

/** ext of the array kinds. Capacity = size / elem_size. */
typedef struct novita_field_array {
    const struct novita_model *model; /**< object arrays: the element model; otherwise NULL */
    uint16_t elem_size;               /**< element size (string arrays: capacity of each string) */
    uint16_t count_offset;            /**< uint16_t member receiving the number stored */
    uint16_t total_offset;            /**< uint16_t member receiving the number in the response */
} novita_field_array;

/** ext of NOVITA_FIELD_ENUM: the names and the member that keeps the raw text. */
typedef struct novita_field_enum {
    const char *const *names; /**< names indexed by value, [0] = "" for unknown */
    uint16_t count;           /**< number of names */
    uint16_t text_offset;     /**< offset of the raw-text member (char[text_size]) */
    uint16_t text_size;
} novita_field_enum;

/** A model: a struct type and its fields (12 bytes on a 32-bit target). */
typedef struct novita_model {
    const char *name;            /**< used in error messages, e.g. "instance" */
    const novita_field *fields;
    uint16_t struct_size;
    uint16_t field_count;
} novita_model;

/**
 * @brief Write a model struct as JSON using the API's key spelling (the CLI's --json output).
 *
 * Empty strings, zero counts and unknown enums are written as they are ("", [], raw text), so the output
 * has a stable shape. Decimals are written as exact decimal numbers.
 * @param[in]  model   descriptor of the struct
 * @param[in]  object  the struct to write
 * @param[out] out     destination buffer (caller-owned); NUL-terminated when it fits
 * @param[in]  cap     size of out in bytes
 * @param[out] len     bytes written, or needed when the result is NOVITA_ERR_BUFFER_TOO_SMALL (may be NULL)
 * @return NOVITA_OK, NOVITA_ERR_INVALID_ARG (NULL model/object/out), NOVITA_ERR_BUFFER_TOO_SMALL
 */
NOVITA_NODISCARD novita_result novita_model_to_json(const novita_model *model, const void *object, char *out,
                                                    size_t cap, size_t *len);

/**
 * @brief Look up an enum name. @return the name for value, or "" when value is outside the model's names.
 * @param[in] names enum_names of a field; @param[in] count its enum_count; @param[in] value the value.
 */
const char *novita_enum_name(const char *const *names, uint16_t count, int value);

#ifdef __cplusplus
}
#endif

#endif /* NOVITA_MODEL_H */
