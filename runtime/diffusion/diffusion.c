/* The diffusion schedules' rates (see diffusion.h), in double, rounded once, and the sampler's step. */
#include <math.h>
#include "runtime/diffusion/diffusion.h"

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

struct ddim_step ddim_step(struct diffusion_rates now, struct diffusion_rates next, double eta)
{
    if (eta <= 0)
        return (struct ddim_step){ next.signal, next.noise, 0.0f };
    /* In float, in this order: the sampler's noise is part of a run's results. */
    const float fresh = (float)eta * next.noise / now.noise *
                        sqrtf(fmaxf(0.0f, 1.0f - now.signal * now.signal / (next.signal * next.signal)));
    if (fresh <= 0)
        return (struct ddim_step){ next.signal, next.noise, 0.0f };
    return (struct ddim_step){ next.signal, sqrtf(fmaxf(0.0f, next.noise * next.noise - fresh * fresh)), fresh };
}

void clip_denoised(struct diffusion_rates now, float low, float high, float x, float *image, float *noise)
{
    const float clipped = fminf(fmaxf(*image, low), high);
    if (clipped == *image)
        return; /* left bit for bit as the unclipped sampler has it */
    *image = clipped;
    if (now.noise > 0)
        *noise = (x - now.signal * clipped) / now.noise;
}

double p2_weight(struct diffusion_rates r, double gamma)
{
    const double snr = (double)r.signal * r.signal / ((double)r.noise * r.noise);
    return pow(1.0 + snr, -gamma);
}

void p2_sampler_init(struct p2_sampler *s, const struct diffusion_config *d, double gamma)
{
    const double width = 1.0 / P2_SAMPLER_INTERVALS;
    double previous = p2_weight(diffusion_rates(d, 0.0f), gamma);
    s->cumulative[0] = 0;
    for (int i = 1; i <= P2_SAMPLER_INTERVALS; i++) {
        const double weight = p2_weight(diffusion_rates(d, (float)(i * width)), gamma);
        s->cumulative[i] = s->cumulative[i - 1] + 0.5 * (previous + weight) * width;
        previous = weight;
    }
    s->mean_weight = s->cumulative[P2_SAMPLER_INTERVALS];
}

float p2_sample_time(const struct p2_sampler *s, double u)
{
    const double target = u * s->mean_weight;
    int low = 0, high = P2_SAMPLER_INTERVALS; /* cumulative[low] <= target < cumulative[high] */
    while (high - low > 1) {
        const int middle = (low + high) / 2;
        if (s->cumulative[middle] <= target)
            low = middle;
        else
            high = middle;
    }
    const double span = s->cumulative[high] - s->cumulative[low];
    const double within = span > 0 ? (target - s->cumulative[low]) / span : 0.0;
    const float t = (float)((low + within) / P2_SAMPLER_INTERVALS);
    return t < 1.0f ? t : nextafterf(1.0f, 0.0f);
}
