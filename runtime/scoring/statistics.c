/* Means, standard deviations and Student-t intervals (see statistics.h). */
#include <math.h>
#include "runtime/scoring/statistics.h"

double student_t_975(int df)
{
    /* Exact to the printed digits up to 30 degrees of freedom; beyond, the
     * Cornish-Fisher expansion around the normal quantile is closer than
     * 1e-4. */
    static const double table[30] = {
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120,  2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    };
    if (df <= 30)
        return table[df - 1];
    const double z = 1.959964, n = df;
    return z + (z * z * z + z) / (4 * n) + (5 * pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * n * n);
}

struct summary summarise(const double *values, int count)
{
    struct summary s = { .count = count, .sd = NAN, .half_width = NAN };
    double sum = 0;
    for (int i = 0; i < count; i++)
        sum += values[i];
    s.mean = sum / count;
    if (count < 2)
        return s;
    double squares = 0;
    for (int i = 0; i < count; i++)
        squares += (values[i] - s.mean) * (values[i] - s.mean);
    s.sd = sqrt(squares / (count - 1));
    s.half_width = student_t_975(count - 1) * s.sd / sqrt(count);
    return s;
}

int excludes_zero(const struct summary *s)
{
    return s->count >= 2 && fabs(s->mean) > s->half_width;
}
