/* The diffusion schedules' rates (see diffusion.h), in double, rounded once. */
#include <math.h>
#include "diffusion.h"

struct diffusion_rates diffusion_rates(const struct diffusion_config *d, float t)
{
    double signal, noise;
    switch (d->schedule) {
    case SCHEDULE_COSINE: {
        double start = acos(d->max_signal_rate), end = acos(d->min_signal_rate);
        double angle = start + (double)t * (end - start);
        signal = cos(angle), noise = sin(angle);
        break;
    }
    case SCHEDULE_LINEAR:
        signal = d->max_signal_rate + (double)t * (d->min_signal_rate - d->max_signal_rate);
        noise = sqrt(fmax(1.0 - signal * signal, 0.0));
        break;
    case SCHEDULE_NONE:
    default:
        return (struct diffusion_rates){ 1.0f, 1.0f, t * t };
    }
    return (struct diffusion_rates){ (float)signal, (float)noise, (float)(noise * noise) };
}
