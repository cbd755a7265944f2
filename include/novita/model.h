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
 *   `*_total` how many the response held;
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

/** What a field holds. */
typedef enum novita_field_kind {
    NOVITA_FIELD_STRING = 1,  /**< char[size]; numbers are accepted as their text */
    NOVITA_FIELD_INT,         /**< int32_t (size 4) or int64_t (size 8) */
    NOVITA_FIELD_BOOL,        /**< bool */
    NOVITA_FIELD_ENUM,        /**< int enum at offset + raw text char[aux_size] at aux_offset */
    NOVITA_FIELD_DECIMAL,     /**< int64_t holding value * 10^scale (scale in aux_size) */
    NOVITA_FIELD_OBJECT,      /**< nested struct described by `model` */
    NOVITA_FIELD_OBJECT_ARRAY,/**< struct array: capacity = size / elem_size, counts at count/total_offset */
    NOVITA_FIELD_STRING_ARRAY,/**< char[capacity][elem_size], counts at count/total_offset */
    NOVITA_FIELD_INT_ARRAY    /**< int32_t or int64_t [capacity], counts at count/total_offset */
} novita_field_kind;

struct novita_model;

/** One JSON key of a model. Build tables with the NOVITA_F_* macros of src/model_macros.h. */
typedef struct novita_field {
    const char *key;                  /**< JSON key as the API spells it */
    const char *alt_key;              /**< accepted alternative spelling (e.g. "Id" for "id"), or NULL */
    uint16_t kind;                    /**< novita_field_kind */
    uint16_t offset;                  /**< member offset in the struct */
    uint16_t size;                    /**< member size in bytes */
    uint16_t elem_size;               /**< arrays: element size (string arrays: capacity of each string) */
    uint16_t count_offset;            /**< arrays: uint16_t member receiving the number stored */
    uint16_t total_offset;            /**< arrays: uint16_t member receiving the number in the response */
    uint16_t aux_offset;              /**< enums: offset of the raw-text member */
    uint16_t aux_size;                /**< enums: size of the raw-text member; decimals: scale */
    const struct novita_model *model; /**< objects and object arrays: the element model */
    const char *const *enum_names;    /**< enums: names indexed by value, [0] = "" for unknown */
    uint16_t enum_count;              /**< enums: number of names */
} novita_field;

/** A model: a struct type and its fields. */
typedef struct novita_model {
    const char *name;            /**< used in error messages, e.g. "instance" */
    size_t struct_size;
    const novita_field *fields;
    size_t field_count;
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
