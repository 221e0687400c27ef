/* SHA-256 (nettle's, as runtime/base/sha256.h uses it) against the test
 * vectors of FIPS 180-4's examples (NIST CSRC): the hex is ours, and the
 * streamed test feeds nettle as mnist.c does. */
#include <string.h>
#include "test_util.h"
#include "runtime/base/sha256.h"

static void assert_digest(const char *message, const char *want_hex)
{
    char hex[SHA256_HEX_SIZE];
    sha256_hex_of(message, strlen(message), hex);
    assert_string_equal(hex, want_hex);
}

static void test_sha256_abc(void **state)
{
    (void)state;
    assert_digest("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_sha256_empty(void **state)
{
    (void)state;
    assert_digest("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* 448 bits: the padding no longer fits in the message's last block. */
static void test_sha256_448_bits(void **state)
{
    (void)state;
    assert_digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256_896_bits(void **state)
{
    (void)state;
    assert_digest("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                  "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* One million 'a', fed in pieces of 1, 2, 3, ... bytes so that every offset
 * into the 64-byte block is crossed by some update. */
static void test_sha256_million_a_streamed(void **state)
{
    (void)state;
    static const size_t total = 1000000;
    char piece[2000];
    memset(piece, 'a', sizeof piece);
    struct sha256_ctx hash;
    sha256_init(&hash);
    size_t fed = 0;
    for (size_t size = 1; fed < total; size = size % sizeof piece + 1) {
        size_t take = size < total - fed ? size : total - fed;
        sha256_update(&hash, take, (const uint8_t *)piece);
        fed += take;
    }
    char hex[SHA256_HEX_SIZE];
    sha256_final_hex(&hash, hex);
    /* ctx is reset: the next message's digest is its own */
    sha256_update(&hash, 3, (const uint8_t *)"abc");
    char abc[SHA256_HEX_SIZE];
    sha256_final_hex(&hash, abc);
    assert_string_equal(abc, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

size_t sha256_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_abc),
        cmocka_unit_test(test_sha256_empty),
        cmocka_unit_test(test_sha256_448_bits),
        cmocka_unit_test(test_sha256_896_bits),
        cmocka_unit_test(test_sha256_million_a_streamed),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
