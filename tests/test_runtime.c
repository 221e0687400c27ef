/* The runtime's tests, gathered for test_main.c: SHA-256, the MNIST reader,
 * the ddim-lab command line and the output utilities (files, PNGs, grids,
 * progress), the graph's gradients, the experiment files (config), the MNIST
 * classifier, the loss plot (and what it is drawn with), the commands on a
 * run's checkpoint, the fuzz targets' kept findings, resuming runs, the Lua
 * sandbox, the checks before a run, the refusal of non-finite values, the
 * variants that share a training, each in its own file. */
#include "test_util.h"

test_collector sha256_tests, mnist_tests, cli_tests, output_tests, graph_tests, graph_unet_tests, config_tests,
    diffusion_tests, ablation_tests, classifier_tests, loss_plot_tests, sample_metrics_tests, report_tests,
    checkpoint_command_tests, fuzz_regression_tests, resume_tests, sandbox_tests, run_check_tests,
    non_finite_tests, shared_training_tests;

size_t runtime_tests(struct CMUnitTest *out)
{
    test_collector *parts[] = { sha256_tests, mnist_tests, cli_tests, output_tests, graph_tests, graph_unet_tests,
                                config_tests, diffusion_tests,
                                ablation_tests, classifier_tests, loss_plot_tests, sample_metrics_tests, report_tests,
                                checkpoint_command_tests, fuzz_regression_tests, resume_tests, sandbox_tests,
                                run_check_tests, non_finite_tests, shared_training_tests };
    size_t count = 0;
    for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++)
        count += parts[p](out ? out + count : NULL);
    return count;
}
