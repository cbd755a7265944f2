/*
 * libFuzzer target: the table-driven JSON decoder (src/json_decode.c) and the streaming list scanner
 * (src/json_stream.c) on every model family, plus the encoder (src/model_encode.c) on what decoded.
 *
 * Input: an optional first line naming the model ("instance\n", "gpu_product\n": the stem of a
 * novita_<stem>_model), then five control bytes, then the JSON text:
 *   [0] token array size: 1..192 tokens (exhaustion must be a clean error), or 4096 from 0xC0 up
 *   [1] which key the scanner treats as the list (and which as its alternative)
 *   [2] split seed and [3] low nibble: piece size class, high nibble: array capacity (1..4 items)
 *   [4] the item callback cancels at this element (0: never)
 * Without a first line of at most 32 bytes, the first byte picks the model.
 *
 * The models come from fuzz_models.inc, which fuzz/CMakeLists.txt generates from every
 * `extern const novita_model novita_<stem>_model;` in the headers of include/novita/, so a new resource is
 * fuzzed without touching this file. A model no public header exports is one line in models[] below.
 *
 * Checks:
 * - whole-document decode at the root and at each top-level member (how wrapped bodies are read):
 *   success leaves a struct that passes fuzz_check_model(); failure leaves it all zero (the documented
 *   "zeroed on failure") and nothing past the struct is touched; only DECODE or BUFFER_TOO_SMALL;
 * - what decoded re-encodes (novita_model_to_json), that text decodes again, and encoding is then stable;
 * - the list scanner over the same bytes, in pieces and in one piece, delivers the same elements, each
 *   passing fuzz_check_model(), never more than the array holds, and ends in the same result.
 */
#include "fuzz_common.h"
#include "json_stream.h"
#include "model_macros.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ------------------------------------------------------------------ the models */

#define FUZZ_MODEL(stem) extern const novita_model novita_##stem##_model;
#include "fuzz_models.inc"
#undef FUZZ_MODEL

typedef struct fuzz_model {
    const char *stem;
    const novita_model *model;
} fuzz_model;

static const fuzz_model models[] = {
#define FUZZ_MODEL(stem) { #stem, &novita_##stem##_model },
#include "fuzz_models.inc"
#undef FUZZ_MODEL
    /* Models that no public header exports: add one line each, e.g. { "my_model", &my_model }, */
};

#define MODEL_COUNT (sizeof(models) / sizeof(models[0]))

/* Keys the scanner may be told the list is under: every array_key/array_alt_key src/api/ uses, and one
 * that no body holds. make_seeds.py's LIST_KEYS has the same order (seeds name their key by index). */
static const char *const list_keys[] = { "data",     "instances", "template", "templates", "jobs",
                                         "networks", "network",   "endpoints", "bills",    "list" };
#define LIST_KEY_COUNT (sizeof(list_keys) / sizeof(list_keys[0]))

/* A list envelope with one field of every scalar kind, so the scanner's top-level scalar capture meets
 * strings, decimals, booleans and enums as well as the real envelope's "total". */
typedef struct fuzz_envelope {
    int64_t total;
    char message[32];
    int64_t price;
    bool ok;
    int state;
    char state_text[16];
} fuzz_envelope;

static const char *const envelope_states[] = { "", "ready", "running" };

static const novita_field envelope_fields[] = {
    NOVITA_F_INT(fuzz_envelope, "total", total),
    NOVITA_F_STRING(fuzz_envelope, "message", message),
    NOVITA_F_DECIMAL(fuzz_envelope, "price", price, 5),
    NOVITA_F_BOOL(fuzz_envelope, "ok", ok),
    NOVITA_F_ENUM(fuzz_envelope, "state", state, state_text, envelope_states),
};
static const novita_model envelope_model = NOVITA_MODEL(fuzz_envelope, "envelope", envelope_fields);

/* ------------------------------------------------------------------ whole-document decoding */

/* Canary bytes after the struct: the decoder must never write past struct_size. */
#define CANARY_LEN 64u
#define CANARY 0xA5u

static uint8_t *alloc_poisoned(size_t n)
{
    uint8_t *p = (uint8_t *)malloc(n);
    FUZZ_CHECK(p != NULL, "out of memory in the harness");
    memset(p, CANARY, n);
    return p;
}

/* Tokenizes text with a token array of exactly `cap` entries (heap, so overruns are caught). */
static novita_result tokenize(novita_json_doc *doc, const char *text, size_t len, size_t cap, novita_error *err)
{
    novita_result r;
    memset(doc, 0, sizeof(*doc));
    doc->json = text;
    doc->len = len;
    doc->tokens = (jsmntok_t *)malloc(cap * sizeof(jsmntok_t));
    doc->token_cap = cap;
    doc->err = err;
    FUZZ_CHECK(doc->tokens != NULL, "out of memory in the harness");
    r = novita_json_tokenize(doc);
    FUZZ_CHECK(fuzz_is_decode_result(r), "tokenize failed with an undocumented result");
    if (r == NOVITA_OK)
        FUZZ_CHECK(doc->token_count > 0 && (size_t)doc->token_count <= cap, "token count outside the array");
    fuzz_check_error(err);
    return r;
}

/* Encodes a decoded struct; the text must be complete JSON. Returns a heap string. */
static char *encode(const novita_model *m, const void *object, size_t *len)
{
    size_t cap = 4096u, needed = 0;
    char *out = (char *)malloc(cap);
    novita_result r;
    FUZZ_CHECK(out != NULL, "out of memory in the harness");
    r = novita_model_to_json(m, object, out, cap, &needed);
    if (r == NOVITA_ERR_BUFFER_TOO_SMALL) {
        FUZZ_CHECK(out[0] == '\0', "a failed encode left text behind");
        free(out);
        cap = needed + 1u;
        out = (char *)malloc(cap);
        FUZZ_CHECK(out != NULL, "out of memory in the harness");
        r = novita_model_to_json(m, object, out, cap, &needed);
    }
    FUZZ_CHECK(r == NOVITA_OK, "encode failed with room for the length it asked for");
    FUZZ_CHECK(needed < cap && out[needed] == '\0' && strlen(out) == needed, "encode length is wrong");
    *len = needed;
    return out;
}

/* encode -> decode -> encode must reproduce the first encoding: the CLI's --json output is a faithful
 * picture of the struct, and nothing the decoder produces is something it cannot read back. */
static void check_round_trip(const novita_model *m, const uint8_t *object)
{
    size_t len1 = 0, len2 = 0;
    char *text1 = encode(m, object, &len1), *text2;
    novita_json_doc doc;
    novita_error err;
    uint8_t *again = alloc_poisoned(m->struct_size);
    novita_result r;
    memset(&err, 0, sizeof(err));
    r = tokenize(&doc, text1, len1, 4096u, &err);
    if (r == NOVITA_ERR_BUFFER_TOO_SMALL) {
        free(doc.tokens);
        r = tokenize(&doc, text1, len1, err.needed, &err);
    }
    FUZZ_CHECK(r == NOVITA_OK, "the encoder wrote JSON that does not tokenize");
    r = novita_decode_model(&doc, 0, m, again);
    FUZZ_CHECK(r == NOVITA_OK, "the encoder wrote JSON that does not decode into the same model");
    text2 = encode(m, again, &len2);
    FUZZ_CHECK(len1 == len2 && memcmp(text1, text2, len1) == 0, "encode(decode(encode(x))) != encode(x)");
    free(text2);
    free(again);
    free(doc.tokens);
    free(text1);
}

static void decode_at(const novita_json_doc *doc, int at, const novita_model *m)
{
    uint8_t *out = alloc_poisoned(m->struct_size + CANARY_LEN);
    novita_result r = novita_decode_model(doc, at, m, out);
    FUZZ_CHECK(fuzz_is_decode_result(r), "decode failed with an undocumented result");
    for (size_t i = 0; i < CANARY_LEN; i++)
        FUZZ_CHECK(out[m->struct_size + i] == CANARY, "decode wrote past the end of the struct");
    fuzz_check_error(doc->err);
    if (r == NOVITA_OK) {
        fuzz_check_model(m, out);
        check_round_trip(m, out);
    } else {
        FUZZ_CHECK(fuzz_all_zero(out, m->struct_size), "a failed decode left data in the struct");
    }
    free(out);
}

static void decode_document(const char *json, size_t len, size_t token_cap, const novita_model *m)
{
    novita_json_doc doc;
    novita_error err;
    novita_result r;
    memset(&err, 0, sizeof(err));
    r = tokenize(&doc, json, len, token_cap, &err);
    if (r == NOVITA_OK) {
        decode_at(&doc, 0, m);
        if (doc.tokens[0].type == JSMN_OBJECT) {
            /* {"template": {...}}: the client decodes the value of a root key; try the first few members */
            int i = 1;
            for (int k = 0; k < doc.tokens[0].size && k < 8 && i + 1 < doc.token_count; k++) {
                decode_at(&doc, i + 1, m);
                i = novita_json_skip(&doc, i + 1);
            }
        }
    }
    free(doc.tokens);
}

/* ------------------------------------------------------------------ streaming list */

typedef struct scan_result {
    novita_result result;
    uint32_t items;      /* elements the scanner finished */
    size_t stored;       /* elements decoded into the array */
    uint32_t hash;       /* FNV-1a over every decoded element, in order */
    fuzz_envelope envelope;
    novita_error err;
} scan_result;

typedef struct scan_ctx {
    const novita_model *model;
    uint8_t *items;
    size_t capacity;
    size_t cancel_at;
    scan_result *out;
} scan_ctx;

static uint32_t fnv(uint32_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

/* Array mode as src/api/api.c does it: each element into the next slot, then count only (NULL). */
static novita_result on_item(void *user, void **item)
{
    scan_ctx *c = (scan_ctx *)user;
    if (*item) {
        FUZZ_CHECK((uint8_t *)*item == c->items + c->out->stored * c->model->struct_size,
                   "the scanner decoded somewhere else than it was told");
        fuzz_check_model(c->model, (const uint8_t *)*item);
        c->out->hash = fnv(c->out->hash, (const uint8_t *)*item, c->model->struct_size);
        c->out->stored++;
    }
    if (c->cancel_at && c->out->items + 1u == c->cancel_at)
        return NOVITA_ERR_CANCELLED;
    c->out->items++;
    *item = c->out->stored < c->capacity ? c->items + c->out->stored * c->model->struct_size : NULL;
    return NOVITA_OK;
}

/*
 * Feeds json to a list scanner the way the client's receive loop does: each piece lands in the work buffer
 * right after the bytes the scanner keeps, and is scanned in place. The work buffer is exactly the body's
 * size, so a keep() that outran the scanned bytes would be caught by ASan.
 */
static void scan_list(const char *json, size_t len, size_t token_cap, const novita_model *m, const char *key,
                      const char *alt_key, fuzz_splitter *split, size_t capacity, size_t cancel_at, scan_result *out)
{
    novita_list_scanner s;
    novita_body_store store;
    scan_ctx ctx;
    uint8_t *work = (uint8_t *)malloc(len ? len : 1u);
    uint8_t *items = (uint8_t *)calloc(capacity, m->struct_size);
    jsmntok_t *tokens = (jsmntok_t *)malloc(token_cap * sizeof(jsmntok_t));
    size_t pos = 0;
    novita_result r = NOVITA_OK;

    FUZZ_CHECK(work != NULL && items != NULL && tokens != NULL, "out of memory in the harness");
    memset(out, 0, sizeof(*out));
    out->hash = 2166136261u;
    out->envelope.total = -1;
    memset(&s, 0, sizeof(s));
    ctx.model = m;
    ctx.items = items;
    ctx.capacity = capacity;
    ctx.cancel_at = cancel_at;
    ctx.out = out;
    store.base = work;
    store.kept = 0;
    s.array_key = key;
    s.array_alt_key = alt_key;
    s.envelope = &envelope_model;
    s.envelope_out = &out->envelope;
    s.item_model = m;
    s.item = items;
    s.on_item = on_item;
    s.user = &ctx;
    s.store = &store;
    s.tokens = tokens;
    s.token_cap = token_cap;
    s.err = &out->err;
    novita_list_scanner_start(&s);

    while (pos < len && r == NOVITA_OK) {
        size_t piece = split ? fuzz_next_piece(split, len - pos) : len - pos;
        size_t at = store.kept;
        memcpy(work + at, json + pos, piece);
        r = novita_list_scanner_write(&s, work + at, piece);
        pos += piece;
        FUZZ_CHECK(store.kept <= pos, "the scanner keeps more bytes than it was given");
    }
    if (r == NOVITA_OK)
        r = novita_list_scanner_finish(&s);
    FUZZ_CHECK(fuzz_is_decode_result(r) || (r == NOVITA_ERR_CANCELLED && cancel_at),
               "the scanner failed with an undocumented result");
    FUZZ_CHECK(out->stored <= capacity, "more elements stored than the array holds");
    FUZZ_CHECK(out->stored <= out->items + 1u, "elements stored that were never counted");
    FUZZ_CHECK(s.items == out->items + (r == NOVITA_ERR_CANCELLED ? 1u : 0u), "scanner and callback disagree");
    fuzz_check_model(&envelope_model, (const uint8_t *)&out->envelope);
    fuzz_check_error(&out->err);
    if (r == NOVITA_OK)
        FUZZ_CHECK(s.depth == 0 && !s.in_string, "a finished list is still open");
    /* the element being decoded when a failure struck is zeroed or whole: check whatever is there */
    if (s.item)
        fuzz_check_model(m, (const uint8_t *)s.item);
    out->result = r;
    free(tokens);
    free(items);
    free(work);
}

static void check_same_scan(const scan_result *a, const scan_result *b)
{
    FUZZ_CHECK(a->result == b->result, "the list result depends on fragmentation");
    FUZZ_CHECK(a->items == b->items && a->stored == b->stored, "the elements depend on fragmentation");
    FUZZ_CHECK(a->hash == b->hash, "the decoded elements depend on fragmentation");
    FUZZ_CHECK(memcmp(&a->envelope, &b->envelope, sizeof(a->envelope)) == 0, "the envelope depends on fragmentation");
    FUZZ_CHECK(strcmp(a->err.what, b->err.what) == 0 && strcmp(a->err.message, b->err.message) == 0,
               "the error depends on fragmentation");
}

/* ------------------------------------------------------------------ entry point */

/* Picks the model: a first line naming it, else (or for an unknown name) a byte or a hash. */
static const novita_model *pick_model(fuzz_input *in)
{
    const uint8_t *nl = (const uint8_t *)memchr(in->data, '\n', in->len < 33u ? in->len : 33u);
    if (nl) {
        size_t n = (size_t)(nl - in->data);
        uint32_t h = 2166136261u;
        const novita_model *m;
        for (size_t k = 0; k < MODEL_COUNT; k++) {
            if (strlen(models[k].stem) == n && memcmp(models[k].stem, in->data, n) == 0) {
                in->data += n + 1u;
                in->len -= n + 1u;
                return models[k].model;
            }
        }
        m = models[fnv(h, in->data, n) % MODEL_COUNT].model;
        in->data += n + 1u;
        in->len -= n + 1u;
        return m;
    }
    return models[fuzz_take(in) % MODEL_COUNT].model;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = { data, size };
    const novita_model *m = pick_model(&in);
    uint8_t tok = fuzz_take(&in), keys = fuzz_take(&in), seed = fuzz_take(&in), shape = fuzz_take(&in);
    size_t cancel_at = fuzz_take(&in);
    size_t token_cap = tok >= 0xC0u ? 4096u : 1u + (size_t)tok;
    const char *key = list_keys[keys % LIST_KEY_COUNT];
    const char *alt_key = (keys / LIST_KEY_COUNT) % 2u ? list_keys[(keys / 2u) % LIST_KEY_COUNT] : NULL;
    size_t capacity = 1u + (size_t)(shape >> 4) % 4u;
    char *json = (char *)malloc(in.len ? in.len : 1u); /* exact size: reads past the text are caught */
    fuzz_splitter split;
    scan_result whole, pieces;

    FUZZ_CHECK(json != NULL, "out of memory in the harness");
    memcpy(json, in.data, in.len);
    decode_document(json, in.len, token_cap, m);

    scan_list(json, in.len, token_cap, m, key, alt_key, NULL, capacity, cancel_at, &whole);
    fuzz_splitter_init(&split, seed, (uint8_t)(shape & 0x0Fu), in.len);
    scan_list(json, in.len, token_cap, m, key, alt_key, &split, capacity, cancel_at, &pieces);
    check_same_scan(&whole, &pieces);
    free(json);
    return 0;
}
