/* The diffusion schedules' rates (diffusion.h) against their definitions,
 * the sampler's step with and without fresh noise, the dataset normalization (standardise.h) against hand values and its
 * inverse, and a tiny end-to-end run with the Keras example's settings
 * (offset cosine schedule, normalization, EMA) on the seed's network. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/diffusion/diffusion.h"
#include "runtime/base/files.h"
#include "runtime/base/mnist.h"
#include "runtime/base/standardise.h"
#include "runtime/diffusion/train.h"
#include "test_classifier_file.h"
#include "test_program.h"
#include "test_util.h"

static struct diffusion_config schedule(enum schedule_kind kind)
{
    return (struct diffusion_config){ .steps = 20, .min_signal_rate = 0.02, .max_signal_rate = 0.95,
                                      .schedule = kind };
}

/* none: the seed's rates, exactly; cosine and linear: the signal runs from
 * max_signal_rate at t = 0 to min_signal_rate at t = 1, signal^2 +
 * noise_rate^2 = 1 (variance preserving), level = noise_rate^2; the cosine
 * one's angle is linear in t (checked at the midpoint). Float rounding of
 * double values: 2 eps. */
static void test_schedule_rates(void **state)
{
    (void)state;
    struct diffusion_config none = schedule(SCHEDULE_NONE), cosine = schedule(SCHEDULE_COSINE);
    struct diffusion_config linear = schedule(SCHEDULE_LINEAR);
    for (float t = 0.0f; t <= 1.0f; t += 0.125f) {
        struct diffusion_rates r = diffusion_rates(&none, t);
        assert_true(r.signal == 1.0f && r.noise == 1.0f && r.level == t * t);
        const struct diffusion_config *vp[2] = { &cosine, &linear };
        for (int k = 0; k < 2; k++) {
            r = diffusion_rates(vp[k], t);
            if (fabs((double)r.signal * r.signal + (double)r.noise * r.noise - 1.0) > 4 * FLT_EPSILON ||
                fabs((double)r.level - (double)r.noise * r.noise) > 2 * FLT_EPSILON)
                fail_msg("%s at t = %g: signal %.9g, noise %.9g, level %.9g", k ? "linear" : "cosine", (double)t,
                         (double)r.signal, (double)r.noise, (double)r.level);
        }
    }
    const struct diffusion_config *vp[2] = { &cosine, &linear };
    for (int k = 0; k < 2; k++) {
        assert_true(fabsf(diffusion_rates(vp[k], 0.0f).signal - 0.95f) <= 2 * FLT_EPSILON);
        assert_true(fabsf(diffusion_rates(vp[k], 1.0f).signal - 0.02f) <= 2 * FLT_EPSILON);
    }
    double mid = cos((acos(0.95) + acos(0.02)) / 2);
    assert_true(fabs(diffusion_rates(&cosine, 0.5f).signal - mid) <= 2 * FLT_EPSILON);
    assert_true(fabs(diffusion_rates(&linear, 0.5f).signal - (0.95 + 0.02) / 2) <= 2 * FLT_EPSILON);
}

/* The sampler's step (diffusion.h): eta = 0 is DDIM's deterministic step
 * exactly; eta = 1's fresh noise is DDPM's posterior standard deviation,
 * sqrt((1 - a') / (1 - a) (1 - a / a')) with a = signal^2, computed here in
 * double from that definition; eta = 0.5 halves it; and whatever eta, the
 * step keeps the next time's noise rate (noise^2 + fresh^2 = noise_rate'^2). */
static void test_ddim_step(void **state)
{
    (void)state;
    struct diffusion_config cosine = schedule(SCHEDULE_COSINE), linear = schedule(SCHEDULE_LINEAR);
    const struct diffusion_config *vp[2] = { &cosine, &linear };
    for (int k = 0; k < 2; k++)
        for (int steps = 2; steps <= 100; steps *= 7) {
            for (int s = 0; s + 1 < steps; s++) {
                struct diffusion_rates now = diffusion_rates(vp[k], 1.0f - (float)s / (float)steps);
                struct diffusion_rates next = diffusion_rates(vp[k], 1.0f - (float)(s + 1) / (float)steps);
                struct ddim_step plain = ddim_step(now, next, 0), ddpm = ddim_step(now, next, 1);
                struct ddim_step half = ddim_step(now, next, 0.5);
                assert_true(plain.image == next.signal && plain.noise == next.noise && plain.fresh == 0);
                assert_true(ddpm.image == next.signal && half.image == next.signal);
                double a = (double)now.signal * now.signal, a_next = (double)next.signal * next.signal;
                double posterior = sqrt((1 - a_next) / (1 - a) * (1 - a / a_next));
                const struct ddim_step *both[2] = { &ddpm, &half };
                for (int e = 0; e < 2; e++) {
                    double want = e ? posterior / 2 : posterior;
                    double kept = (double)both[e]->noise * both[e]->noise + (double)both[e]->fresh * both[e]->fresh;
                    if (fabs(both[e]->fresh - want) > 1e-5 * (1 + want) ||
                        fabs(kept - (double)next.noise * next.noise) > 1e-5)
                        fail_msg("%s, %d steps, step %d, eta %s: fresh %.9g (want %.9g), noise %.9g, noise_rate' "
                                 "%.9g", k ? "linear" : "cosine", steps, s, e ? "0.5" : "1",
                                 (double)both[e]->fresh, want, (double)both[e]->noise, (double)next.noise);
                }
                assert_true(ddpm.fresh > 0 && ddpm.fresh < next.noise);
            }
        }
}

/* P2 weights: 1 at gamma 0; (1 + SNR)^-gamma otherwise: 1/2 where signal
 * and noise are equal, noise_rate^2 (= 1 / (1 + SNR)) at gamma 1 on a
 * variance-preserving schedule, falling as the image emerges (t -> 0). */
static void test_p2_weight(void **state)
{
    (void)state;
    const float half = sqrtf(0.5f);
    assert_true(fabs(p2_weight((struct diffusion_rates){ half, half, 0.5f }, 1.0) - 0.5) < 1e-6);
    assert_true(fabs(p2_weight((struct diffusion_rates){ half, half, 0.5f }, 2.0) - 0.25) < 1e-6);
    struct diffusion_config cosine = schedule(SCHEDULE_COSINE);
    double previous = 0;
    for (int i = 0; i <= 10; i++) {
        const struct diffusion_rates r = diffusion_rates(&cosine, (float)i / 10.0f);
        assert_true(p2_weight(r, 0.0) == 1.0);
        const double weight = p2_weight(r, 1.0);
        if (fabs(weight - (double)r.noise * r.noise) > 1e-6 || !(weight > previous))
            fail_msg("t %g: weight %.9g, noise_rate^2 %.9g, previous %.9g", i / 10.0, weight,
                     (double)r.noise * r.noise, previous);
        previous = weight;
    }
}

/* The P2 time sampler on the cosine schedule at gamma 2, where the weight
 * is (1 + cot^2 angle)^-2 = sin^4 angle with the angle linear in t, whose
 * integral is F(angle) = 3 angle / 8 - sin(2 angle) / 4 + sin(4 angle) / 32:
 * the table's mean weight is F's, every drawn time has the cumulative
 * share u that drew it, and the importance weights Z / weight average 1
 * over the draws (the reported loss's correction is unbiased). */
static double sin4_integral(double angle)
{
    return 3.0 * angle / 8.0 - sin(2.0 * angle) / 4.0 + sin(4.0 * angle) / 32.0;
}

static void test_p2_sampler(void **state)
{
    (void)state;
    struct diffusion_config cosine = schedule(SCHEDULE_COSINE);
    struct p2_sampler *sampler = malloc(sizeof *sampler);
    assert_non_null(sampler);
    p2_sampler_init(sampler, &cosine, 2.0);
    const double start = acos(cosine.max_signal_rate), end = acos(cosine.min_signal_rate);
    const double total = (sin4_integral(end) - sin4_integral(start)) / (end - start);
    if (fabs(sampler->mean_weight - total) > 1e-6)
        fail_msg("mean weight %.9g, the closed form's %.9g", sampler->mean_weight, total);
    const int draws = 100000;
    double importance = 0, below_half = 0;
    for (int i = 0; i < draws; i++) {
        const double u = (i + 0.5) / draws;
        const float t = p2_sample_time(sampler, u);
        assert_true(t >= 0.0f && t < 1.0f);
        const double angle = start + (double)t * (end - start);
        const double share = (sin4_integral(angle) - sin4_integral(start)) / (end - start) / total;
        if (fabs(share - u) > 1e-5)
            fail_msg("u %.6f drew t %.6f, whose cumulative share is %.6f", u, (double)t, share);
        importance += sampler->mean_weight / p2_weight(diffusion_rates(&cosine, t), 2.0) / draws;
        below_half += t < 0.5f;
    }
    if (fabs(importance - 1.0) > 1e-3)
        fail_msg("importance weights average %.6f, not 1", importance);
    /* Most draws are noisy: the weight is 0.0095 at t = 0 and 1 at t = 1. */
    assert_true(below_half / draws < 0.3);
    free(sampler);
}

/* clip_denoised: an image inside [low, high] and its noise are left as they
 * are; one outside is clipped to the nearer end and its noise re-derived so
 * that signal image + noise_rate noise is still the noisy pixel. */
static void test_clip_denoised(void **state)
{
    (void)state;
    struct diffusion_config cosine = schedule(SCHEDULE_COSINE);
    const float low = -0.4f, high = 2.8f, x = 1.5f;
    for (float t = 0.1f; t <= 1.0f; t += 0.3f) {
        const struct diffusion_rates now = diffusion_rates(&cosine, t);
        float image = 1.0f, noise = 0.25f;
        clip_denoised(now, low, high, x, &image, &noise);
        assert_true(image == 1.0f && noise == 0.25f);
        const float outside[2] = { -3.0f, 7.0f };
        for (int k = 0; k < 2; k++) {
            image = outside[k], noise = 0.25f;
            clip_denoised(now, low, high, x, &image, &noise);
            assert_true(image == (k ? high : low));
            if (fabsf(now.signal * image + now.noise * noise - x) > 1e-5f)
                fail_msg("t %g: signal %g image %g + noise_rate %g noise %g is not x %g", (double)t,
                         (double)now.signal, (double)image, (double)now.noise, (double)noise, (double)x);
        }
    }
}

/* Half the pixels 0, half 255: mean 0.5, standard deviation 0.5. Then every
 * pixel value, standardised with the real-data-like statistics and back, is
 * itself within 2 ulp of 1 (two roundings of each of two operations); the
 * identity standardisation changes nothing at all. */
static void test_normalization_round_trip(void **state)
{
    (void)state;
    unsigned char pixels[256];
    for (int i = 0; i < 256; i++)
        pixels[i] = i % 2 ? 255 : 0;
    struct standardisation s = standardisation_fit(pixels, 256);
    assert_true(s.mean == 0.5f && s.std == 0.5f);
    for (int i = 0; i < 256; i++)
        pixels[i] = (unsigned char)i;
    s = standardisation_fit(pixels, 256);
    assert_true(fabsf(s.mean - 0.5f) < 1e-6f && s.std > 0.28f && s.std < 0.3f);
    const struct standardisation mnist_like = { 0.1307f, 0.3081f }, identity = { 0.0f, 1.0f };
    for (int i = 0; i < 256; i++) {
        const float v = (float)i * MNIST_PIXEL_SCALE;
        const float back = unstandardise(mnist_like, standardise(mnist_like, v));
        if (fabsf(back - v) > 2 * FLT_EPSILON)
            fail_msg("pixel %d: %.9g standardised and back is %.9g", i, (double)v, (double)back);
        assert_true(standardise(identity, v) == v && unstandardise(identity, v) == v);
    }
}

/* The learning rate schedule: constant without cosine_decay; with it the
 * first step's rate is learning_rate, the rate halves at the run's middle
 * step, falls at every step, and the last one is above 0 and below
 * learning_rate (pi / total_steps)^2 / 4 (1 + cos(pi - x) = x^2 / 2 - ...). */
static void test_learning_rate_schedule(void **state)
{
    (void)state;
    struct train_config c = { .learning_rate = 3e-3 };
    const long total = 1000;
    for (long step = 1; step <= total; step += 111)
        assert_true(learning_rate_at(&c, step, total) == 3e-3);
    c.cosine_decay = 1;
    assert_true(learning_rate_at(&c, 1, total) == 3e-3);
    assert_true(fabs(learning_rate_at(&c, total / 2 + 1, total) - 1.5e-3) < 1e-15);
    for (long step = 2; step <= total; step++)
        if (!(learning_rate_at(&c, step, total) < learning_rate_at(&c, step - 1, total)))
            fail_msg("the rate does not fall at step %ld", step);
    const double pi = acos(-1.0), last = learning_rate_at(&c, total, total);
    assert_true(last > 0 && last < 3e-3 * (pi / total) * (pi / total) / 4);
}

/* A tiny run of the seed's skip network, its options after the fixed ones,
 * into out_dir; fails the test if the run fails. */
static void run_skip(const char *out_dir, const char *options)
{
    char args[1024], out[8192];
    snprintf(args, sizeof args,
             "experiments/skip_vs_noskip.lua --variant skip train.epochs=1 %s --seed 1 --classifier %s --out %s",
             options, test_classifier_file(), out_dir);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
}

/* The whole file at the one path matching pattern (a glob); free() it. */
static char *read_only_match(const char *pattern, size_t *size)
{
    char path[MATCH_PATH_SIZE], err[1024], *text;
    only_match(pattern, path);
    if (read_text_file(path, &text, size, err, sizeof err))
        fail_msg("%s", err);
    return text;
}

/* One tiny run of the seed's skip network: what the tests below compare. */
struct skip_run {
    char *checkpoint, *results, *metrics, *config;
    size_t checkpoint_size;
};

/* run_skip with options[0] into dir/0 and options[1] into dir/1. */
static void run_skip_pair(const char *dir, const char *const options[2], struct skip_run runs[2])
{
    char out_dir[64], pattern[600];
    size_t size;
    for (int i = 0; i < 2; i++) {
        snprintf(out_dir, sizeof out_dir, "%s/%d", dir, i);
        run_skip(out_dir, options[i]);
        snprintf(pattern, sizeof pattern, "%s/skip_vs_noskip/*/skip/seed1/checkpoint.ddim", out_dir);
        runs[i].checkpoint = read_only_match(pattern, &runs[i].checkpoint_size);
        snprintf(pattern, sizeof pattern, "%s/skip_vs_noskip/*/results.csv", out_dir);
        runs[i].results = read_only_match(pattern, &size);
        snprintf(pattern, sizeof pattern, "%s/skip_vs_noskip/*/metrics.csv", out_dir);
        runs[i].metrics = read_only_match(pattern, &size);
        snprintf(pattern, sizeof pattern, "%s/skip_vs_noskip/*/config.lua", out_dir);
        runs[i].config = read_only_match(pattern, &size);
    }
}

static int same_checkpoints(const struct skip_run runs[2])
{
    return runs[0].checkpoint_size == runs[1].checkpoint_size &&
           memcmp(runs[0].checkpoint, runs[1].checkpoint, runs[0].checkpoint_size) == 0;
}

static void free_skip_pair(struct skip_run runs[2])
{
    for (int i = 0; i < 2; i++) {
        free(runs[i].checkpoint);
        free(runs[i].results);
        free(runs[i].metrics);
        free(runs[i].config);
    }
}

/* train.cosine_decay reaches the optimizer: the same 3-step run with and
 * without it writes different weights (its first step is the same, the
 * second and third steps take a smaller learning rate). */
static void test_cosine_decay_changes_training(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-lab-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *const options[2] = {
        "train.max_images=192 train.batch_size=64 train.cosine_decay=false diffusion.steps=2 sample.metric_samples=16",
        "train.max_images=192 train.batch_size=64 train.cosine_decay=true diffusion.steps=2 sample.metric_samples=16",
    };
    struct skip_run runs[2];
    run_skip_pair(dir, options, runs);
    assert_contains(runs[1].config, "cosine_decay = true");
    if (same_checkpoints(runs))
        fail_msg("cosine_decay left the weights unchanged (%s)", dir);
    free_skip_pair(runs);
    remove_tree(dir);
}

/* train.p2_gamma reaches the optimizer and only it: one step on the cosine
 * schedule with and without it reports the same noise loss (the step's
 * loss, before the update, unweighted either way) and writes different
 * weights. */
static void test_p2_gamma_changes_training(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-lab-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *const options[2] = {
        "train.max_images=64 diffusion.schedule=cosine diffusion.gradient_trick=false diffusion.steps=2 "
        "sample.metric_samples=16",
        "train.max_images=64 diffusion.schedule=cosine diffusion.gradient_trick=false diffusion.steps=2 "
        "sample.metric_samples=16 train.p2_gamma=1",
    };
    struct skip_run runs[2];
    run_skip_pair(dir, options, runs);
    assert_contains(runs[1].config, "p2_gamma = 1");
    assert_string_equal(runs[0].results, runs[1].results);
    if (same_checkpoints(runs))
        fail_msg("p2_gamma left the weights unchanged (%s)", dir);
    free_skip_pair(runs);
    remove_tree(dir);
}

/* Runs the tiny pair of runs the options describe (run_skip_pair): the
 * second run's config says `setting`, both report a finite noise loss, and
 * their weights differ (what names the setting in the message). */
static void assert_setting_trains_differently(const char *const options[2], const char *setting, const char *what)
{
    char dir[] = "/tmp/ddim-lab-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct skip_run runs[2];
    run_skip_pair(dir, options, runs);
    assert_contains(runs[1].config, setting);
    for (int i = 0; i < 2; i++) {
        float noise_loss;
        const char *row = strstr(runs[i].results, "\nskip,1,1,");
        if (!row || sscanf(row, "\nskip,1,1,%f,", &noise_loss) != 1 || !isfinite(noise_loss))
            fail_msg("no finite noise loss for skip, seed 1, epoch 1 in:\n%s", runs[i].results);
    }
    if (same_checkpoints(runs))
        fail_msg("%s left the weights unchanged (%s)", what, dir);
    free_skip_pair(runs);
    remove_tree(dir);
}

/* train.p2_sampling reaches the optimizer: the same 3-step run with P2
 * weights and with the times drawn by them writes different weights, and
 * both report a finite noise loss. */
static void test_p2_sampling_changes_training(void **state)
{
    (void)state;
    const char *const options[2] = {
        "train.max_images=192 diffusion.schedule=cosine diffusion.gradient_trick=false diffusion.steps=2 "
        "sample.metric_samples=16 train.p2_gamma=2",
        "train.max_images=192 diffusion.schedule=cosine diffusion.gradient_trick=false diffusion.steps=2 "
        "sample.metric_samples=16 train.p2_gamma=2 train.p2_sampling=true",
    };
    assert_setting_trains_differently(options, "p2_sampling = true", "p2_sampling");
}

/* diffusion.prediction = "velocity" as the trainer's graph wires it: for
 * the network's output o at two noise levels, pred_noise = noise_rate x +
 * signal o and pred_image = signal x - noise_rate o (float rounding of a
 * few products: 1e-5 relative). */
static void test_velocity_prediction_graph(void **state)
{
    (void)state;
    char *overrides[] = { "diffusion.prediction=velocity", "diffusion.gradient_trick=false",
                          "diffusion.schedule=cosine" };
    const struct experiment_options options = { .variant = "skip", .overrides = overrides, .override_count = 3 };
    struct experiment e;
    char err[1024];
    if (experiment_load("experiments/skip_vs_noskip.lua", &options, &e, err, sizeof err))
        fail_msg("%s", err);
    const char *error;
    const struct kernels *k = kernels_select(&error);
    if (!k)
        fail_msg("kernels_select: %s", error);
    static unsigned char pixels[4 * MNIST_IMAGE_PIXELS];
    for (size_t i = 0; i < sizeof pixels; i++)
        pixels[i] = (unsigned char)(i * 37 % 256);
    struct trainer t;
    struct variant *v = &e.variants[0];
    if (trainer_create(&t, v, k, pixels, 4, 2, err, sizeof err))
        fail_msg("%s", err);
    struct plan plan;
    int outputs[3] = { v->output, t.pred_noise, t.pred_image };
    if (plan_create(&plan, &v->graph, k, 2, 3, outputs, t.params, err, sizeof err))
        fail_msg("%s", err);
    const float times[2] = { 0.2f, 0.9f };
    float *x = plan_buffer(&plan, t.noisy);
    for (int b = 0; b < 2; b++) {
        const struct diffusion_rates r = diffusion_rates(&v->diffusion, times[b]);
        plan_buffer(&plan, t.level)[b] = r.level;
        plan_buffer(&plan, t.noise_rate)[b] = r.noise;
        plan_buffer(&plan, t.signal)[b] = r.signal;
        for (int i = 0; i < MNIST_IMAGE_PIXELS; i++)
            x[b * MNIST_IMAGE_PIXELS + i] = sinf(0.1f * (float)(b * MNIST_IMAGE_PIXELS + i));
    }
    plan_run(&plan);
    const float *o = plan_buffer(&plan, v->output), *noise = plan_buffer(&plan, t.pred_noise);
    const float *image = plan_buffer(&plan, t.pred_image);
    for (int b = 0; b < 2; b++) {
        const struct diffusion_rates r = diffusion_rates(&v->diffusion, times[b]);
        for (int i = b * MNIST_IMAGE_PIXELS; i < (b + 1) * MNIST_IMAGE_PIXELS; i++) {
            const double want_noise = (double)r.noise * x[i] + (double)r.signal * o[i];
            const double want_image = (double)r.signal * x[i] - (double)r.noise * o[i];
            if (fabs(noise[i] - want_noise) > 1e-5 * (1 + fabs(want_noise)) ||
                fabs(image[i] - want_image) > 1e-5 * (1 + fabs(want_image)))
                fail_msg("pixel %d: pred_noise %g (want %g), pred_image %g (want %g), output %g", i, noise[i],
                         want_noise, image[i], want_image, o[i]);
        }
    }
    assert_true(t.inv_signal < 0);
    plan_free(&plan);
    trainer_free(&t);
    experiment_free(&e);
}

/* diffusion.prediction = "velocity" reaches the optimizer: the same 3-step
 * run predicting the noise and predicting v (its times drawn by P2 weight,
 * so the reported loss is the importance-weighted one) writes different
 * weights, and both report a finite noise loss. */
static void test_velocity_prediction_trains(void **state)
{
    (void)state;
    const char *const options[2] = {
        "train.max_images=192 diffusion.schedule=cosine diffusion.gradient_trick=false diffusion.steps=2 "
        "sample.metric_samples=16 train.p2_gamma=2 train.p2_sampling=true",
        "train.max_images=192 diffusion.schedule=cosine diffusion.gradient_trick=false diffusion.steps=2 "
        "sample.metric_samples=16 train.p2_gamma=2 train.p2_sampling=true diffusion.prediction=velocity",
    };
    assert_setting_trains_differently(options, "prediction = \"velocity\"", "the velocity prediction");
}

/* Autoguidance in trainer_sample, on the seed's skip network (cosine
 * schedule, v, fresh noise) with two sets of weights, A (the model) and B
 * (the guide): a guide equal to the model changes nothing, bit for bit;
 * guidance 0 samples the guide alone, bit for bit; and one step at
 * guidance 2 gives A's sample extrapolated past B's, 2 A - B (the
 * sample is the predicted image, affine in the network's output). */
static void test_guided_sampling(void **state)
{
    (void)state;
    char *overrides[] = { "diffusion.prediction=velocity", "diffusion.gradient_trick=false",
                          "diffusion.schedule=cosine", "diffusion.eta=1", "diffusion.steps=3",
                          "diffusion.guide_epoch=1", "diffusion.guidance=2", "train.normalize=true" };
    const struct experiment_options options = { .variant = "skip", .overrides = overrides, .override_count = 8 };
    struct experiment e;
    char err[1024];
    if (experiment_load("experiments/skip_vs_noskip.lua", &options, &e, err, sizeof err))
        fail_msg("%s", err);
    const char *error;
    const struct kernels *k = kernels_select(&error);
    if (!k)
        fail_msg("kernels_select: %s", error);
    static unsigned char pixels[4 * MNIST_IMAGE_PIXELS];
    for (size_t i = 0; i < sizeof pixels; i++)
        pixels[i] = (unsigned char)(i * 37 % 256);
    struct trainer t;
    struct variant *v = &e.variants[0];
    enum { BATCH = 2, COUNT = BATCH * MNIST_IMAGE_PIXELS };
    if (trainer_create(&t, v, k, pixels, 4, BATCH, err, sizeof err))
        fail_msg("%s", err);
    float *model = malloc(t.param_floats * sizeof(float)), *guide = malloc(t.param_floats * sizeof(float));
    static float plain[COUNT], guide_alone[COUNT], out[COUNT];
    assert_non_null(model);
    assert_non_null(guide);
    init_parameters(&v->graph, 1, model);
    init_parameters(&v->graph, 2, guide);

    trainer_sample(&t, model, NULL, 0, plain);
    trainer_sample(&t, model, model, 0, out);
    assert_memory_equal(out, plain, sizeof out);
    trainer_sample(&t, guide, NULL, 0, guide_alone);
    if (memcmp(guide_alone, plain, sizeof plain) == 0)
        fail_msg("the two sets of weights drew the same samples");
    v->diffusion.guidance = 0;
    trainer_sample(&t, model, guide, 0, out);
    assert_memory_equal(out, guide_alone, sizeof out);

    v->diffusion.guidance = 2;
    v->diffusion.steps = 1;
    trainer_sample(&t, model, NULL, 0, plain);
    trainer_sample(&t, guide, NULL, 0, guide_alone);
    trainer_sample(&t, model, guide, 0, out);
    for (int i = 0; i < COUNT; i++) {
        const double want = 2.0 * plain[i] - guide_alone[i];
        if (fabs(out[i] - want) > 1e-4 * (1 + fabs(want)))
            fail_msg("pixel %d: guided %g, want 2 x %g - %g = %g", i, out[i], plain[i], guide_alone[i], want);
    }
    free(model);
    free(guide);
    trainer_free(&t);
    experiment_free(&e);
}

/* diffusion.clip_denoised reaches the sampler: the same tiny training with
 * and without it scores different samples (at t = 1 the seed's schedule's
 * predicted images lie far outside [0, 1]); the training losses are the
 * same, bit for bit. (The checkpoints differ: each holds its run's config.) */
static void test_clip_denoised_changes_sampling(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-lab-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *const options[2] = {
        "train.max_images=128 diffusion.steps=2 sample.metric_samples=16 diffusion.clip_denoised=false",
        "train.max_images=128 diffusion.steps=2 sample.metric_samples=16 diffusion.clip_denoised=true",
    };
    struct skip_run runs[2];
    run_skip_pair(dir, options, runs);
    assert_contains(runs[1].config, "clip_denoised = true");
    assert_string_equal(runs[0].results, runs[1].results);
    const char *row[2] = { strstr(runs[0].metrics, "\nskip,1,"), strstr(runs[1].metrics, "\nskip,1,") };
    assert_non_null(row[0]);
    assert_non_null(row[1]);
    if (strcmp(row[0], row[1]) == 0)
        fail_msg("clip_denoised left the samples' metrics unchanged:%s", row[0]);
    free_skip_pair(runs);
    remove_tree(dir);
}

/* The seed's network with the Keras example's diffusion: a tiny run trains,
 * its losses are finite, and the report says the samples come from the EMA. */
static void test_keras_settings_run(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-lab-test-XXXXXX", pattern[600];
    assert_non_null(mkdtemp(dir));
    run_skip(dir, "train.max_images=128 diffusion.steps=3 diffusion.schedule=cosine diffusion.gradient_trick=false "
                  "train.normalize=true train.ema=0.999 sample.metric_samples=64");
    size_t size;
    snprintf(pattern, sizeof pattern, "%s/skip_vs_noskip/*/results.csv", dir);
    char *results = read_only_match(pattern, &size);
    float noise_loss, image_loss;
    const char *row = strstr(results, "\nskip,1,1,");
    if (!row || sscanf(row, "\nskip,1,1,%f,%f,", &noise_loss, &image_loss) != 2 || !isfinite(noise_loss) ||
        !isfinite(image_loss))
        fail_msg("no finite losses for skip, seed 1, epoch 1 in:\n%s", results);
    snprintf(pattern, sizeof pattern, "%s/skip_vs_noskip/*/report.md", dir);
    char *report = read_only_match(pattern, &size);
    assert_contains(report, "from the EMA of the weights");
    snprintf(pattern, sizeof pattern, "%s/skip_vs_noskip/*/config.lua", dir);
    char *config = read_only_match(pattern, &size);
    assert_contains(config, "schedule = \"cosine\"");
    free(results);
    free(report);
    free(config);
    remove_tree(dir);
}

size_t diffusion_tests(struct CMUnitTest *out)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_rates),
        cmocka_unit_test(test_ddim_step),
        cmocka_unit_test(test_clip_denoised),
        cmocka_unit_test(test_p2_weight),
        cmocka_unit_test(test_p2_sampler),
        cmocka_unit_test(test_normalization_round_trip),
        cmocka_unit_test(test_learning_rate_schedule),
        cmocka_unit_test(test_cosine_decay_changes_training),
        cmocka_unit_test(test_p2_gamma_changes_training),
        cmocka_unit_test(test_p2_sampling_changes_training),
        cmocka_unit_test(test_velocity_prediction_graph),
        cmocka_unit_test(test_velocity_prediction_trains),
        cmocka_unit_test(test_guided_sampling),
        cmocka_unit_test(test_clip_denoised_changes_sampling),
        cmocka_unit_test(test_keras_settings_run),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
