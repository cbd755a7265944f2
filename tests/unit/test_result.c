/* Result descriptions, URL checks and the messages client.c builds from shared parts. */
#include <limits.h>
#include <string.h>

#include "fake_port.h"
#include "novita/novita.h"
#include "test_util.h"

static uint8_t work[4096];
static novita_json_token tokens[16];

static void test_strerror_every_value(void)
{
    static const char *const expected[] = { "success", "invalid argument", "buffer too small",
                                            "response could not be decoded", "malformed HTTP response",
                                            "network error", "TLS error", "timed out",
                                            "authentication or permission denied", "not found", "rate limited",
                                            "server error", "API error", "cancelled", "instance failed" };
    for (int i = 0; i < (int)(sizeof expected / sizeof expected[0]); i++)
        CHECK_STR(novita_strerror((novita_result)-i), expected[i]);
    CHECK_STR(novita_strerror((novita_result)1), "unknown error");
    CHECK_STR(novita_strerror((novita_result)-15), "unknown error");
    /* The extremes a novita_result can hold: an int on most ABIs, one byte on arm-none-eabi, whose AAPCS
     * default is -fshort-enums (there (novita_result)INT_MIN would be 0, "success"). */
    {
        int lo = sizeof(novita_result) == 1u ? SCHAR_MIN : sizeof(novita_result) == 2u ? SHRT_MIN : INT_MIN;
        int hi = sizeof(novita_result) == 1u ? SCHAR_MAX : sizeof(novita_result) == 2u ? SHRT_MAX : INT_MAX;
        CHECK_STR(novita_strerror((novita_result)lo), "unknown error");
        CHECK_STR(novita_strerror((novita_result)hi), "unknown error");
    }
}

static novita_result init_with(fake_port *fake, const char *base_url)
{
    static novita_client client;
    novita_client_config cfg;
    novita_result r;
    fake_port_init(fake);
    novita_client_config_init(&cfg);
    cfg.api_key = "k";
    cfg.base_url = base_url;
    r = novita_client_init(&client, &cfg, &fake->port, work, sizeof work, tokens, 16);
    if (r != NOVITA_OK) {
        CHECK_EQ_INT(novita_client_last_error(&client)->result, r);
        CHECK(strncmp(novita_client_last_error(&client)->message, "base URL is not an http(s)://", 29) == 0);
    }
    return r;
}

static void test_base_urls(void)
{
    static const char *const good[] = { "http://h", "https://h:1/", "http://h:65535/p//", "https://a.b/x/y",
                                        "http://[::1]/", "https://[2001:db8::7]:8443/v1" };
    static const char *const bad[] = { "http://h/?q=1", "http://h?x", "htp://h", "https:/h", "http://:80",
                                       "http://h:0", "http://h:65536", "http://h:1234567", "http://h:x",
                                       "httpss://h", "http://u@h", "http://h/#f", "http://[::1",
                                       "http://[]/", "http://[::1]x", "http://[::1/]",
                                       "http://h\r\nX: 1", "http://a b/" };
    fake_port fake;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        TEST_CONTEXT(good[i]);
        CHECK_EQ_INT(init_with(&fake, good[i]), NOVITA_OK);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        TEST_CONTEXT(bad[i]);
        CHECK_EQ_INT(init_with(&fake, bad[i]), NOVITA_ERR_INVALID_ARG);
    }
    TEST_CONTEXT(NULL);
}

int main(void)
{
    test_strerror_every_value();
    test_base_urls();
    return TEST_REPORT();
}
