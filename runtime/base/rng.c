/* Counter-based generation by hashing the counter: splitmix64's finalizer
 * (Steele, Lea, Flood 2014) chained over the key words. */
#include <sleef.h>
#include "runtime/base/rng.h"

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t rng_bits(uint64_t seed, enum rng_stream stream, uint64_t a, uint64_t b)
{
    const uint64_t golden = 0x9e3779b97f4a7c15ull;
    uint64_t h = mix64(seed + golden * (uint64_t)stream);
    h = mix64(h ^ (a + golden));
    return mix64(h ^ (b * golden + 0x632be59bd9b4e019ull));
}

float rng_uniform(uint64_t seed, enum rng_stream stream, uint64_t a, uint64_t b)
{
    return (float)(rng_bits(seed, stream, a, b) >> 40) * 0x1p-24f;
}

/* SLEEF's scalar log and cos, so the values are the same on every platform. */
float rng_normal(uint64_t seed, enum rng_stream stream, uint64_t a, uint64_t b)
{
    float u1 = rng_uniform(seed, stream, a, 2 * b), u2 = rng_uniform(seed, stream, a, 2 * b + 1);
    float radius = Sleef_sqrtf_u05(-2.0f * Sleef_logf_u10(1.0f - u1));
    return radius * Sleef_cosf_u10(6.2831853f * u2);
}
