/*
 * Unit tests of the table-driven decoder (src/json_decode.c), the list scanner (src/json_stream.c) and the
 * encoder (src/model_encode.c) on small local models, plus the property the decoder's fixed stack relies
 * on: every model the library exports nests at most NOVITA_MODEL_MAX_DEPTH levels.
 */
#include <stdlib.h>

#include "json_stream.h"
#include "json_write.h"
#include "model_macros.h"
#include "novita/novita.h"
#include "test_util.h"

/* ------------------------------------------------------------------ every exported model fits */

#define M(stem) extern const novita_model novita_##stem##_model;
#include "unit_models.inc"
#undef M

static const novita_model *const exported[] = {
#define M(stem) &novita_##stem##_model,
#include "unit_models.inc"
#undef M
};

/* Levels of nested models under m (0: no object members). */
static unsigned nesting(const novita_model *m)
{
    unsigned deepest = 0;
    for (size_t i = 0; i < m->field_count; i++) {
        const novita_field *f = &m->fields[i];
        const novita_model *sub = NULL;
        if (f->kind == NOVITA_FIELD_OBJECT)
            sub = (const novita_model *)f->ext;
        else if (f->kind == NOVITA_FIELD_OBJECT_ARRAY)
            sub = ((const novita_field_array *)f->ext)->model;
        if (sub) {
            unsigned d = 1u + nesting(sub);
            deepest = d > deepest ? d : deepest;
        }
    }
    return deepest;
}

static void test_exported_models_fit_the_stack(void)
{
    CHECK(sizeof(exported) / sizeof(exported[0]) > 10u);
    for (size_t i = 0; i < sizeof(exported) / sizeof(exported[0]); i++) {
        TEST_CONTEXT(exported[i]->name);
        CHECK(nesting(exported[i]) <= NOVITA_MODEL_MAX_DEPTH);
    }
    TEST_CONTEXT(NULL);
    /* the layout model.h documents: two pointers, two uint16_t, two bytes */
    CHECK(sizeof(novita_field) == (sizeof(void *) == 4u ? 16u : 24u));
}

/* JSON tokens of a response that fills every member of m to capacity, each key written once: the object,
 * each key, and each value (a scalar 1; a nested object its own count; an array 1 + its elements). */
static size_t tokens_at_capacity(const novita_model *m)
{
    size_t n = 1;
    for (size_t i = 0; i < m->field_count; i++) {
        const novita_field *f = &m->fields[i];
        const novita_field_array *a = (const novita_field_array *)f->ext;
        n += 1u; /* the key */
        if (f->kind == NOVITA_FIELD_OBJECT)
            n += tokens_at_capacity((const novita_model *)f->ext);
        else if (f->kind == NOVITA_FIELD_OBJECT_ARRAY)
            n += 1u + (size_t)(f->size / a->elem_size) * tokens_at_capacity(a->model);
        else if (f->kind == NOVITA_FIELD_STRING_ARRAY || f->kind == NOVITA_FIELD_INT_ARRAY)
            n += 1u + (size_t)(f->size / a->elem_size);
        else
            n += 1u;
    }
    return n;
}

/* A response filling every member of m to capacity, each scalar a one-character value, appended at *at. */
static void write_at_capacity(const novita_model *m, char *out, size_t *at)
{
    out[(*at)++] = '{';
    for (size_t i = 0; i < m->field_count; i++) {
        const novita_field *f = &m->fields[i];
        const novita_field_array *a = (const novita_field_array *)f->ext;
        size_t n = f->kind >= NOVITA_FIELD_OBJECT_ARRAY ? (size_t)(f->size / a->elem_size) : 0u;
        *at += (size_t)sprintf(out + *at, "%s\"%s\":", i ? "," : "", f->key);
        if (f->kind == NOVITA_FIELD_OBJECT)
            write_at_capacity((const novita_model *)f->ext, out, at);
        else if (f->kind >= NOVITA_FIELD_OBJECT_ARRAY) {
            out[(*at)++] = '[';
            for (size_t k = 0; k < n; k++) {
                if (k)
                    out[(*at)++] = ',';
                if (f->kind == NOVITA_FIELD_OBJECT_ARRAY)
                    write_at_capacity(a->model, out, at);
                else
                    *at += (size_t)sprintf(out + *at, f->kind == NOVITA_FIELD_STRING_ARRAY ? "\"x\"" : "1");
            }
            out[(*at)++] = ']';
        } else {
            *at += (size_t)sprintf(out + *at, f->kind == NOVITA_FIELD_STRING || f->kind == NOVITA_FIELD_ENUM ? "\"x\""
                                              : f->kind == NOVITA_FIELD_BOOL                               ? "true"
                                                                                                         : "1");
        }
    }
    out[(*at)++] = '}';
    out[*at] = '\0';
}

static char capacity_json[160000];
static uint64_t capacity_struct[65536 / 8];
static jsmntok_t default_tokens[NOVITA_JSON_TOKENS];

/* tokens_at_capacity() counts what the tokenizer finds, and every model but metrics decodes at capacity
 * with the default token array, its arrays full. */
static void test_models_decode_at_capacity(void)
{
    for (size_t i = 0; i < sizeof(exported) / sizeof(exported[0]); i++) {
        const novita_model *m = exported[i];
        novita_json_doc doc;
        novita_error err;
        size_t len = 0;
        TEST_CONTEXT(m->name);
        write_at_capacity(m, capacity_json, &len);
        CHECK(len < sizeof capacity_json / 2u && m->struct_size <= sizeof capacity_struct);
        memset(&doc, 0, sizeof doc);
        memset(&err, 0, sizeof err);
        doc.json = capacity_json;
        doc.len = len;
        doc.tokens = default_tokens;
        doc.token_cap = NOVITA_JSON_TOKENS;
        doc.err = &err;
        if (m == &novita_instance_metrics_model) {
            CHECK_EQ_INT(novita_json_tokenize(&doc), NOVITA_ERR_BUFFER_TOO_SMALL);
            CHECK_STR(err.what, "token array");
            CHECK_EQ_UINT(err.needed, tokens_at_capacity(m));
            continue;
        }
        CHECK_EQ_INT(novita_json_tokenize(&doc), NOVITA_OK);
        CHECK_EQ_UINT((size_t)doc.token_count, tokens_at_capacity(m));
        CHECK_EQ_INT(novita_decode_model(&doc, 0, m, capacity_struct), NOVITA_OK);
    }
    TEST_CONTEXT(NULL);
}

/* The default token array holds every model filled to capacity, so no struct capacity is out of reach, with
 * room for fields the library does not know; metrics grow with the query's range, as instances.h says. */
static void test_exported_models_fit_the_tokens(void)
{
    size_t points = NOVITA_MAX_METRIC_POINTS, gpus = NOVITA_MAX_METRIC_GPUS, largest = 0;
    for (size_t i = 0; i < sizeof(exported) / sizeof(exported[0]); i++) {
        size_t need = tokens_at_capacity(exported[i]);
        if (exported[i] == &novita_instance_metrics_model)
            continue;
        TEST_CONTEXT(exported[i]->name);
        CHECK(need + 32u <= NOVITA_JSON_TOKENS);
        largest = need > largest ? need : largest;
    }
    TEST_CONTEXT(NULL);
    CHECK_EQ_UINT(largest, tokens_at_capacity(&novita_endpoint_model)); /* the figure config.h quotes */
    CHECK_EQ_UINT(largest, 537);
    CHECK_EQ_UINT(tokens_at_capacity(&novita_instance_metrics_model), 19u + 25u * points + gpus * (10u + 10u * points));
    CHECK(19u + 25u * 15u + 1u * (10u + 10u * 15u) <= NOVITA_JSON_TOKENS); /* "up to 15 samples with one GPU" */
    CHECK(19u + 25u * 16u + 1u * (10u + 10u * 16u) > NOVITA_JSON_TOKENS);
}

/* ------------------------------------------------------------------ local models */

typedef struct inner {
    char name[8];
    int32_t n;
} inner;

static const novita_field inner_fields[] = {
    NOVITA_F_STRING2(inner, "name", "Name", name),
    NOVITA_F_INT(inner, "n", n),
};
static const novita_model inner_model = NOVITA_MODEL(inner, "inner", inner_fields);

static const char *const color_names[] = { "", "red", "green" };

typedef struct outer {
    char id[6];
    int64_t big;
    int32_t small;
    bool on;
    int64_t price; /* scale 3 */
    int color;
    char color_text[8];
    inner one;
    inner many[2];
    uint16_t many_count, many_total;
    char tags[2][4];
    uint16_t tags_count, tags_total;
    int32_t nums[3];
    uint16_t nums_count, nums_total;
} outer;

static const novita_field outer_fields[] = {
    NOVITA_F_STRING2(outer, "id", "Id", id),
    NOVITA_F_INT(outer, "big", big),
    NOVITA_F_INT(outer, "small", small),
    NOVITA_F_BOOL(outer, "on", on),
    NOVITA_F_DECIMAL(outer, "price", price, 3),
    NOVITA_F_ENUM(outer, "color", color, color_text, color_names),
    NOVITA_F_OBJECT(outer, "one", one, inner_model),
    NOVITA_F_OBJECT_ARRAY(outer, "many", many, many_count, many_total, inner_model),
    NOVITA_F_STRING_ARRAY(outer, "tags", tags, tags_count, tags_total),
    NOVITA_F_INT_ARRAY(outer, "nums", nums, nums_count, nums_total),
};
static const novita_model outer_model = NOVITA_MODEL(outer, "outer", outer_fields);

static jsmntok_t tokens[256];

static novita_result decode(const char *json, const novita_model *m, void *out, novita_error *err)
{
    novita_json_doc doc;
    novita_result r;
    memset(err, 0, sizeof(*err));
    memset(&doc, 0, sizeof(doc));
    doc.json = json;
    doc.len = strlen(json);
    doc.tokens = tokens;
    doc.token_cap = sizeof(tokens) / sizeof(tokens[0]);
    doc.err = err;
    r = novita_json_tokenize(&doc);
    return r == NOVITA_OK ? novita_decode_model(&doc, 0, m, out) : r;
}

static void test_scalars(void)
{
    outer o;
    novita_error err;
    CHECK_EQ_INT(decode("{\"Id\":\"a\\u00e9\",\"big\":\"-9223372036854775807\",\"small\":12.0,\"on\":\"true\","
                        "\"price\":\"1.2345\",\"unknown\":{\"x\":[1,2]},\"color\":\"green\"}",
                        &outer_model, &o, &err),
                 NOVITA_OK);
    CHECK(strcmp(o.id, "a\xc3\xa9") == 0);
    CHECK(o.big == -INT64_MAX);
    CHECK_EQ_INT(o.small, 12);
    CHECK(o.on);
    CHECK_EQ_INT(o.price, 1234); /* truncated at the scale */
    CHECK_EQ_INT(o.color, 2);
    CHECK(strcmp(o.color_text, "green") == 0);

    /* null, "" and absent leave zero; decimals take exponents */
    CHECK_EQ_INT(decode("{\"big\":null,\"small\":\"\",\"on\":null,\"price\":1e-2}", &outer_model, &o, &err),
                 NOVITA_OK);
    CHECK(o.big == 0 && o.small == 0 && !o.on);
    CHECK_EQ_INT(o.price, 10);
    CHECK_EQ_INT(decode("{\"price\":\"123456789012345678901234e-10\"}", &outer_model, &o, &err), NOVITA_OK);
    CHECK(o.price == 12345678901234567); /* digits below the scale dropped */

    /* an unknown enum value keeps its text */
    CHECK_EQ_INT(decode("{\"color\":\"blue\"}", &outer_model, &o, &err), NOVITA_OK);
    CHECK_EQ_INT(o.color, 0);
    CHECK(strcmp(o.color_text, "blue") == 0);
}

/* Short enums (arm-none-eabi-gcc's default) make an enum member 1 byte wide, and the raw text follows it
 * directly: the decoder must write the value at the member's own width. Shown here with 1- and 2-byte
 * members, as a Cortex-M4 build lays them out. */
typedef struct narrow_enums {
    uint8_t one;
    char one_text[7];
    uint16_t two;
    char two_text[6];
} narrow_enums;

static const novita_field narrow_fields[] = {
    NOVITA_F_ENUM(narrow_enums, "one", one, one_text, color_names),
    NOVITA_F_ENUM(narrow_enums, "two", two, two_text, color_names),
};
static const novita_model narrow_model = NOVITA_MODEL(narrow_enums, "narrow", narrow_fields);

static void test_narrow_enums(void)
{
    narrow_enums n;
    novita_error err;
    memset(&n, 0x55, sizeof(n));
    CHECK_EQ_INT(decode("{\"one\":\"green\",\"two\":\"red\"}", &narrow_model, &n, &err), NOVITA_OK);
    CHECK_EQ_INT(n.one, 2);
    CHECK(strcmp(n.one_text, "green") == 0);
    CHECK_EQ_INT(n.two, 1);
    CHECK(strcmp(n.two_text, "red") == 0);
    CHECK_EQ_INT(decode("{\"one\":\"purple\"}", &narrow_model, &n, &err), NOVITA_OK);
    CHECK(n.one == 0 && strcmp(n.one_text, "purple") == 0); /* unknown: value 0, text kept whole */
}

static void test_scalar_errors(void)
{
    static const char *const bad[] = {
        "{\"small\":1.5}", "{\"small\":1e3}",   "{\"small\":2147483648}", "{\"big\":9223372036854775808}",
        "{\"small\":\"12.\"}", "{\"small\":\".5\"}", "{\"small\":\"x\"}",      "{\"on\":\"yes\"}",
        "{\"on\":2}",          "{\"price\":\"1e500\"}", "{\"one\":\"text\"}",  "{\"many\":true}",
        "{\"small\":[1]}",
    };
    outer o;
    novita_error err;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        TEST_CONTEXT(bad[i]);
        CHECK_EQ_INT(decode(bad[i], &outer_model, &o, &err), NOVITA_ERR_DECODE);
        CHECK(test_all_zero(&o, sizeof(o)));
        CHECK(strncmp(err.what, "outer.", 6) == 0 || strcmp(err.what, "inner") == 0);
    }
    TEST_CONTEXT(NULL);

    /* too long: names the field and the size it needs */
    CHECK_EQ_INT(decode("{\"id\":\"abcdefgh\"}", &outer_model, &o, &err), NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK(strcmp(err.what, "outer.id") == 0);
    CHECK_EQ_UINT(err.needed, 9);
    CHECK(strstr(err.message, "longer than its field") != NULL);

    /* a failed enum rewrite clears value and text (the whole struct is zeroed on failure anyway) */
    CHECK_EQ_INT(decode("{\"color\":\"red\",\"color\":\"toolongvalue\"}", &outer_model, &o, &err),
                 NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK(o.color == 0 && o.color_text[0] == '\0');

    /* trailing data, empty and broken documents */
    CHECK_EQ_INT(decode("{} {}", &outer_model, &o, &err), NOVITA_ERR_DECODE);
    CHECK(strcmp(err.message, "data after the JSON document") == 0);
    CHECK_EQ_INT(decode("", &outer_model, &o, &err), NOVITA_ERR_DECODE);
    CHECK_EQ_INT(decode("{\"id\":", &outer_model, &o, &err), NOVITA_ERR_DECODE);
}

static void test_strings(void)
{
    outer o;
    novita_error err;
    char text[16];
    novita_json_doc doc;
    /* a surrogate pair is one character; a lone surrogate is U+FFFD */
    CHECK_EQ_INT(decode("{\"id\":\"\\ud83d\\ude00\"}", &outer_model, &o, &err), NOVITA_OK);
    CHECK(strcmp(o.id, "\xf0\x9f\x98\x80") == 0);
    CHECK_EQ_INT(decode("{\"id\":\"\\ud800x\"}", &outer_model, &o, &err), NOVITA_OK);
    CHECK(strcmp(o.id, "\xef\xbf\xbdx") == 0);
    CHECK_EQ_INT(decode("{\"id\":\"\\n\\t\\\"\\/\"}", &outer_model, &o, &err), NOVITA_OK);
    CHECK(strcmp(o.id, "\n\t\"/") == 0);
    /* \u0000 cannot live in a C string: an error, never a value cut short */
    CHECK_EQ_INT(decode("{\"id\":\"ab\\u0000cd\"}", &outer_model, &o, &err), NOVITA_ERR_DECODE);
    CHECK_STR(err.what, "outer.id");

    /* novita_json_string_copy: whole or false (cut between characters) */
    memset(&doc, 0, sizeof(doc));
    doc.json = "{\"message\":\"h\\u00e9llo\",\"n\":12}";
    doc.len = strlen(doc.json);
    doc.tokens = tokens;
    doc.token_cap = 16;
    doc.err = &err;
    CHECK_EQ_INT(novita_json_tokenize(&doc), NOVITA_OK);
    CHECK(novita_json_string_copy(&doc, novita_json_find(&doc, 0, "message"), text, sizeof(text)));
    CHECK(strcmp(text, "h\xc3\xa9llo") == 0);
    CHECK(!novita_json_string_copy(&doc, novita_json_find(&doc, 0, "message"), text, 3));
    CHECK(strcmp(text, "h") == 0);
    CHECK(novita_json_string_copy(&doc, novita_json_find(&doc, 0, "n"), text, sizeof(text)));
    CHECK(strcmp(text, "12") == 0);
    CHECK_EQ_INT(novita_json_find(&doc, 0, "nope"), -1);
    CHECK_EQ_INT(novita_json_find(&doc, 0, "mess"), -1);
}

static void test_objects_and_arrays(void)
{
    outer o;
    novita_error err;
    CHECK_EQ_INT(decode("{\"one\":[{\"name\":\"a\",\"n\":1},{\"name\":\"b\"}],"
                        "\"many\":[{\"Name\":\"x\"},{\"n\":2},{\"n\":3}],"
                        "\"tags\":[\"t1\",null,\"t3\"],\"nums\":[\"4\",5]}",
                        &outer_model, &o, &err),
                 NOVITA_OK);
    CHECK(strcmp(o.one.name, "a") == 0 && o.one.n == 1); /* [ {...} ] for one object: the first */
    CHECK_EQ_INT(o.many_count, 2);
    CHECK_EQ_INT(o.many_total, 3);
    CHECK(strcmp(o.many[0].name, "x") == 0 && o.many[1].n == 2);
    CHECK_EQ_INT(o.tags_count, 2);
    CHECK_EQ_INT(o.tags_total, 3);
    CHECK(strcmp(o.tags[0], "t1") == 0 && o.tags[1][0] == '\0');
    CHECK_EQ_INT(o.nums_count, 2);
    CHECK(o.nums[0] == 4 && o.nums[1] == 5);

    /* absent objects: [], "", null; a single object where a list was documented */
    CHECK_EQ_INT(decode("{\"one\":[],\"many\":{\"n\":7}}", &outer_model, &o, &err), NOVITA_OK);
    CHECK(test_all_zero(&o.one, sizeof(o.one)));
    CHECK(o.many_count == 1 && o.many_total == 1 && o.many[0].n == 7);
    CHECK_EQ_INT(decode("{\"one\":\"\",\"many\":null}", &outer_model, &o, &err), NOVITA_OK);
    CHECK(test_all_zero(&o, sizeof(o)));
    /* `[]` as the whole document for an object: absent, not an error? No: the document must be an object. */
    CHECK_EQ_INT(decode("[]", &outer_model, &o, &err), NOVITA_ERR_DECODE);
    CHECK(strcmp(err.what, "outer") == 0);
    CHECK_EQ_INT(decode("[{\"id\":\"q\"}]", &outer_model, &o, &err), NOVITA_OK);
    CHECK(strcmp(o.id, "q") == 0);
    /* an element that is not an object */
    CHECK_EQ_INT(decode("{\"many\":[1]}", &outer_model, &o, &err), NOVITA_ERR_DECODE);
    CHECK(strcmp(err.what, "inner") == 0);
    /* a null element of an object array: counted and left zeroed, as a null string element is */
    CHECK_EQ_INT(decode("{\"many\":[null,{\"n\":5}]}", &outer_model, &o, &err), NOVITA_OK);
    CHECK(o.many_count == 2 && o.many_total == 2 && test_all_zero(&o.many[0], sizeof o.many[0]) && o.many[1].n == 5);
    /* "" for any array: absent, as for objects and scalars (REFERENCE 3.4: empty strings anywhere) */
    CHECK_EQ_INT(decode("{\"id\":\"a\",\"many\":\"\",\"tags\":\"\",\"nums\":\"\"}", &outer_model, &o, &err), NOVITA_OK);
    CHECK(strcmp(o.id, "a") == 0 && o.many_count == 0 && o.tags_count == 0 && o.nums_count == 0);
    /* any other non-array is still an error */
    CHECK_EQ_INT(decode("{\"tags\":\"t\"}", &outer_model, &o, &err), NOVITA_ERR_DECODE);
    CHECK(strcmp(err.what, "outer.tags") == 0);
}

/* Object members that are not key: value pairs are invalid JSON, not a key shifted onto a value. */
static void test_malformed_members(void)
{
    static const char *const bad[] = { "{\"id\",\"big\":1}", "{\"id\":\"a\",\"big\"}", "{\"one\":{\"name\",\"n\":1}}",
                                       "[{\"id\":\"a\",7}]" };
    outer o;
    novita_error err;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        TEST_CONTEXT(bad[i]);
        CHECK_EQ_INT(decode(bad[i], &outer_model, &o, &err), NOVITA_ERR_DECODE);
        CHECK_STR(err.message, "invalid JSON");
    }
    TEST_CONTEXT(NULL);
}

/* Five models, each the only member of the one above: one level deeper than the decoder's stack. */
typedef struct level4 { int32_t x; } level4;
typedef struct level3 { level4 d; } level3;
typedef struct level2 { level3 c; } level2;
typedef struct level1 { level2 b; } level1;
typedef struct level0 { level1 a; } level0;
static const novita_field level4_fields[] = { NOVITA_F_INT(level4, "x", x) };
static const novita_model level4_model = NOVITA_MODEL(level4, "l4", level4_fields);
static const novita_field level3_fields[] = { NOVITA_F_OBJECT(level3, "d", d, level4_model) };
static const novita_model level3_model = NOVITA_MODEL(level3, "l3", level3_fields);
static const novita_field level2_fields[] = { NOVITA_F_OBJECT(level2, "c", c, level3_model) };
static const novita_model level2_model = NOVITA_MODEL(level2, "l2", level2_fields);
static const novita_field level1_fields[] = { NOVITA_F_OBJECT(level1, "b", b, level2_model) };
static const novita_model level1_model = NOVITA_MODEL(level1, "l1", level1_fields);
static const novita_field level0_fields[] = { NOVITA_F_OBJECT(level0, "a", a, level1_model) };
static const novita_model level0_model = NOVITA_MODEL(level0, "l0", level0_fields);

static void test_nesting_limit(void)
{
    level0 deep;
    level1 fits;
    novita_error err;
    CHECK(nesting(&level1_model) == NOVITA_MODEL_MAX_DEPTH);
    CHECK_EQ_INT(decode("{\"b\":{\"c\":{\"d\":{\"x\":5}}}}", &level1_model, &fits, &err), NOVITA_OK);
    CHECK_EQ_INT(fits.b.c.d.x, 5);
    CHECK_EQ_INT(decode("{\"a\":{\"b\":{\"c\":{\"d\":{\"x\":5}}}}}", &level0_model, &deep, &err), NOVITA_ERR_DECODE);
    CHECK(strcmp(err.what, "l3.d") == 0);
    CHECK(strcmp(err.message, "models nested too deeply") == 0);
    CHECK(test_all_zero(&deep, sizeof(deep)));
    /* the limit is about the tables, not the JSON: deep unknown values are skipped */
    CHECK_EQ_INT(decode("{\"a\":{\"b\":{\"q\":[[[[[{\"c\":1}]]]]]}}}", &level0_model, &deep, &err), NOVITA_OK);
}

/* ------------------------------------------------------------------ the list scanner */

typedef struct envelope {
    int64_t total;
    char note[8];
} envelope;
static const novita_field envelope_fields[] = {
    NOVITA_F_INT(envelope, "total", total),
    NOVITA_F_STRING2(envelope, "note", "msg", note),
};
static const novita_model envelope_model = NOVITA_MODEL(envelope, "list", envelope_fields);

typedef struct collected {
    inner items[3];
    size_t stored;
} collected;

static novita_result collect(void *user, void **item)
{
    collected *c = (collected *)user;
    if (*item)
        c->stored++;
    *item = c->stored < 3u ? &c->items[c->stored] : NULL;
    return NOVITA_OK;
}

/* Feeds json in pieces of `piece` bytes the way the client does (each piece lands after the kept bytes). */
static novita_result scan(const char *json, size_t piece, const char *key, const char *alt, collected *c,
                          envelope *env, uint32_t *items, novita_error *err)
{
    static uint8_t work[1024];
    novita_list_scanner s;
    novita_body_store store = { work, 0 };
    size_t len = strlen(json), pos = 0;
    novita_result r = NOVITA_OK;
    memset(&s, 0, sizeof(s));
    memset(c, 0xA5, sizeof(*c));
    c->stored = 0;
    memset(env, 0, sizeof(*env));
    memset(err, 0, sizeof(*err));
    s.array_key = key;
    s.array_alt_key = alt;
    s.envelope = &envelope_model;
    s.envelope_out = env;
    s.item_model = &inner_model;
    s.item = &c->items[0];
    s.on_item = collect;
    s.user = c;
    s.store = &store;
    s.tokens = tokens;
    s.token_cap = 64;
    s.err = err;
    novita_list_scanner_start(&s);
    while (pos < len && r == NOVITA_OK) {
        size_t n = len - pos < piece ? len - pos : piece, at = store.kept;
        memcpy(work + at, json + pos, n);
        r = novita_list_scanner_write(&s, work + at, n);
        pos += n;
    }
    *items = s.items;
    return r == NOVITA_OK ? novita_list_scanner_finish(&s) : r;
}

static void test_scanner(void)
{
    static const char body[] = "{\"total\": \"5\", \"msg\":\"hi \\\"x\\\"\",\"other\":[{\"n\":9}],"
                               "\"list\":[{\"name\":\"a\"},7,\"s\",[{}],{\"n\":2},{\"n\":3},{\"n\":4}],\"z\":{\"total\":1}}";
    collected c;
    envelope env;
    novita_error err;
    uint32_t items;
    for (size_t piece = 1; piece <= sizeof(body); piece += 7) {
        CHECK_EQ_INT(scan(body, piece, "data", "list", &c, &env, &items, &err), NOVITA_OK);
        CHECK_EQ_INT(items, 4);       /* objects only; the fourth is counted, not decoded */
        CHECK_EQ_UINT(c.stored, 3);
        CHECK(strcmp(c.items[0].name, "a") == 0 && c.items[0].n == 0); /* zeroed before decoding */
        CHECK(c.items[1].n == 2 && c.items[2].n == 3);
        CHECK(env.total == 5);
        CHECK(strcmp(env.note, "hi \"x\"") == 0);
    }
    /* a bare top-level array is the list */
    CHECK_EQ_INT(scan("[{\"n\":1}, {\"n\":2}]", 3, "data", NULL, &c, &env, &items, &err), NOVITA_OK);
    CHECK_EQ_INT(items, 2);
    /* errors: an element that does not decode, a long envelope string, trailing data, incomplete */
    CHECK_EQ_INT(scan("{\"data\":[{\"n\":\"x\"}]}", 4, "data", NULL, &c, &env, &items, &err), NOVITA_ERR_DECODE);
    CHECK(strcmp(err.what, "inner.n") == 0);
    CHECK_EQ_INT(scan("{\"note\":\"123456789\",\"data\":[]}", 5, "data", NULL, &c, &env, &items, &err),
                 NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK(strcmp(err.what, "list.note") == 0);
    CHECK_EQ_INT(scan("{\"data\":[]} x", 5, "data", NULL, &c, &env, &items, &err), NOVITA_ERR_DECODE);
    CHECK_EQ_INT(scan("{\"data\":[{}", 5, "data", NULL, &c, &env, &items, &err), NOVITA_ERR_DECODE);
    CHECK(strcmp(err.message, "incomplete JSON list") == 0);
    CHECK_EQ_INT(scan("{\"total\":12.5,\"data\":[]}", 5, "data", NULL, &c, &env, &items, &err), NOVITA_ERR_DECODE);
    CHECK(strcmp(err.what, "list.total") == 0);
    /* a bracket that closes the other kind of container */
    CHECK_EQ_INT(scan("{\"data\":[{\"n\":1}]]", 3, "data", NULL, &c, &env, &items, &err), NOVITA_ERR_DECODE);
    CHECK(strcmp(err.message, "mismatched bracket") == 0);
    CHECK_EQ_INT(scan("{\"other\":{\"a\":[1}},\"data\":[]}", 3, "data", NULL, &c, &env, &items, &err),
                 NOVITA_ERR_DECODE);
    CHECK_EQ_INT(scan("[{\"n\":1}}", 2, "data", NULL, &c, &env, &items, &err), NOVITA_ERR_DECODE);
}

/* ------------------------------------------------------------------ the encoder */

static void test_encoder(void)
{
    outer o;
    novita_error err;
    char out[512];
    size_t len = 0;
    CHECK_EQ_INT(decode("{\"id\":\"a\\\"b\",\"big\":-3,\"on\":true,\"price\":\"-0.05\",\"color\":\"blue\","
                        "\"many\":[{\"name\":\"m\"}],\"tags\":[\"t\"],\"nums\":[1,-2]}",
                        &outer_model, &o, &err),
                 NOVITA_OK);
    CHECK_EQ_INT(novita_model_to_json(&outer_model, &o, out, sizeof(out), &len), NOVITA_OK);
    CHECK(strcmp(out, "{\"id\":\"a\\\"b\",\"big\":-3,\"small\":0,\"on\":true,\"price\":-0.05,\"color\":\"blue\","
                      "\"one\":{\"name\":\"\",\"n\":0},\"many\":[{\"name\":\"m\",\"n\":0}],\"tags\":[\"t\"],"
                      "\"nums\":[1,-2]}") == 0);
    CHECK_EQ_UINT(len, strlen(out));
    o.price = 37500;
    CHECK_EQ_INT(novita_model_to_json(&outer_model, &o, out, sizeof(out), &len), NOVITA_OK);
    CHECK(strstr(out, "\"price\":37.5,") != NULL);
    o.price = INT64_MIN;
    CHECK_EQ_INT(novita_model_to_json(&outer_model, &o, out, sizeof(out), &len), NOVITA_OK);
    CHECK(strstr(out, "\"price\":-9223372036854775.808,") != NULL);
    o.price = 0;
    CHECK_EQ_INT(novita_model_to_json(&outer_model, &o, out, sizeof(out), &len), NOVITA_OK);
    CHECK(strstr(out, "\"price\":0,") != NULL);
    CHECK_EQ_INT(novita_model_to_json(&outer_model, &o, out, 8, &len), NOVITA_ERR_BUFFER_TOO_SMALL);
    CHECK(len > 8u && out[0] == '\0');
}

/* ------------------------------------------------------------------ the writer */

static void test_writer_escapes(void)
{
    uint8_t buf[128];
    novita_json_writer w;
    novita_jw_init(&w, buf, sizeof(buf));
    novita_jw_object_begin(&w);
    novita_jw_key(&w, "k\"\x01");
    novita_jw_string_n(&w, "\b\t\n\v\f\r\x1f\"\\/\xc3\xa9", 12);
    novita_jw_key(&w, "");
    novita_jw_bool(&w, false);
    novita_jw_member_string(&w, "s", NULL);
    novita_jw_object_end(&w);
    CHECK(!novita_jw_overflowed(&w));
    CHECK_EQ_UINT(w.len, strlen("{\"k\\\"\\u0001\":\"\\b\\t\\n\\u000b\\f\\r\\u001f\\\"\\\\/\xc3\xa9\",\"\":false,\"s\":\"\"}"));
    CHECK(memcmp(buf, "{\"k\\\"\\u0001\":\"\\b\\t\\n\\u000b\\f\\r\\u001f\\\"\\\\/\xc3\xa9\",\"\":false,\"s\":\"\"}",
                 w.len) == 0);
}

int main(void)
{
    test_exported_models_fit_the_stack();
    test_exported_models_fit_the_tokens();
    test_models_decode_at_capacity();
    test_scalars();
    test_narrow_enums();
    test_scalar_errors();
    test_strings();
    test_objects_and_arrays();
    test_malformed_members();
    test_nesting_limit();
    test_scanner();
    test_encoder();
    test_writer_escapes();
    return TEST_REPORT();
}
