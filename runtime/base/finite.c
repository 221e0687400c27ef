/* Finding non-finite float32 values (finite.h). */
#include <math.h>
#include <string.h>
#include "runtime/base/finite.h"

struct non_finite find_non_finite(const void *data, size_t n)
{
    struct non_finite found = { 0 };
    const unsigned char *bytes = data;
    for (size_t i = 0; i < n; i++) {
        float value;
        memcpy(&value, bytes + i * sizeof value, sizeof value); /* an unaligned load where it must be */
        if (isfinite(value))
            continue;
        if (found.count++ == 0) {
            found.first = i;
            found.first_value = value;
        }
    }
    return found;
}

int any_magnitude_above(const float *data, size_t n, float bound)
{
    int above = 0;
    for (size_t i = 0; i < n; i++)
        above |= !(fabsf(data[i]) <= bound); /* NaN compares false */
    return above;
}

const char *non_finite_name(float value)
{
    return isnan(value) ? "NaN" : isinf(value) ? (value > 0 ? "+inf" : "-inf") : "finite";
}
