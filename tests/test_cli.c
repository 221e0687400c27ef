/* The ddim-lab command line, run as a program. The Makefile defines
 * DDIM_LAB_BINARY as the binary of the same build and builds it before
 * running the tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test_util.h"
#include "kernels/kernels.h"

#ifndef DDIM_LAB_BINARY
#define DDIM_LAB_BINARY "build/ddim-lab"
#endif

/* A data directory that does not exist, so that `info` does not spend time
 * verifying the real files in tests that are not about them. */
#define NO_DATA "--data /nonexistent/ddim-lab-test"

/* Runs `env_and_args` around the binary through the shell ("VAR=x BINARY
 * args" when env is given), stderr merged into stdout; returns the exit
 * status, the output in out. */
static int run_cli(const char *env, const char *args, char *out, size_t size)
{
    char command[1024];
    snprintf(command, sizeof command, "%s %s %s 2>&1", env ? env : "", DDIM_LAB_BINARY, args);
    FILE *pipe = popen(command, "r");
    assert_non_null(pipe);
    size_t used = fread(out, 1, size - 1, pipe);
    out[used] = '\0';
    char rest[4096];
    while (fread(rest, 1, sizeof rest, pipe) > 0)
        continue; /* drain, so the program is not killed by SIGPIPE */
    int status = pclose(pipe);
    if (!WIFEXITED(status))
        fail_msg("%s did not exit normally (status %d)", command, status);
    return WEXITSTATUS(status);
}

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in:\n%s", part, text);
}

static void test_cli_version(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(run_cli(NULL, "--version", out, sizeof out), 0);
    assert_string_equal(out, "ddim-lab " DDIM_VERSION "\n");
}

static void test_cli_help_lists_commands_and_options(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(run_cli(NULL, "--help", out, sizeof out), 0);
    assert_contains(out, "usage: ddim-lab");
    assert_contains(out, "  info ");
    assert_contains(out, "--data DIR");
    assert_contains(out, "DDIM_ISA");
}

static void test_cli_unknown_option_is_a_usage_error(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(run_cli(NULL, "--frobnicate", out, sizeof out), 2);
    assert_string_equal(out, "ddim-lab: unknown option '--frobnicate' (see ddim-lab --help)\n");
    assert_int_equal(run_cli(NULL, "info --frobnicate", out, sizeof out), 2);
    assert_string_equal(out, "ddim-lab: unknown option '--frobnicate' (see ddim-lab --help)\n");
}

static void test_cli_unknown_command_is_a_usage_error(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(run_cli(NULL, "frobnicate", out, sizeof out), 2);
    assert_string_equal(out, "ddim-lab: unknown command 'frobnicate' (see ddim-lab --help)\n");
    assert_int_equal(run_cli(NULL, "", out, sizeof out), 2);
    assert_contains(out, "usage: ddim-lab");
}

static void test_cli_info_prints_the_chosen_isa(void **state)
{
    (void)state;
    const char *error = NULL;
    const struct kernels *chosen = kernels_select(&error);
    if (!chosen)
        fail_msg("kernels_select: %s", error);
    char out[8192], want[64];
    assert_int_equal(run_cli(NULL, "info " NO_DATA, out, sizeof out), 0);
    snprintf(want, sizeof want, "kernel ISA:   %s (", chosen->isa);
    assert_contains(out, want);
    assert_contains(out, "cpu features: ");
    assert_contains(out, "libraries:    Lua 5.4");
    assert_contains(out, "  train-images-idx3-ubyte.gz  missing");
}

static void test_cli_info_honours_ddim_isa(void **state)
{
    (void)state;
    char out[8192];
    assert_int_equal(run_cli("DDIM_ISA=ref", "info " NO_DATA, out, sizeof out), 0);
    assert_contains(out, "kernel ISA:   ref (forced by DDIM_ISA)\n");
    assert_int_equal(run_cli("DDIM_ISA=vax", "info " NO_DATA, out, sizeof out), 2);
    assert_contains(out, "ddim-lab: DDIM_ISA=vax: ");
    assert_non_null(strchr(out, '\n'));
    assert_string_equal(strchr(out, '\n'), "\n"); /* one line */
}

/* A data directory (from DDIM_DATA, then overridden by --data) holding one
 * damaged file: info names it and the problem, and says the rest are missing. */
static void test_cli_info_reports_the_state_of_the_data(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-lab-test-XXXXXX", path[64], env[64], args[128], out[8192];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t10k-labels-idx1-ubyte.gz", dir);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs("not gzip\n", file);
    fclose(file);

    snprintf(env, sizeof env, "DDIM_DATA=%s", dir);
    int status = run_cli(env, "info", out, sizeof out);
    unlink(path);
    rmdir(dir);
    assert_int_equal(status, 0);
    char want[256];
    snprintf(want, sizeof want, "  t10k-labels-idx1-ubyte.gz   FAILED: %s: not a gzip file\n", path);
    assert_contains(out, want);
    assert_contains(out, "  train-labels-idx1-ubyte.gz  missing");

    snprintf(args, sizeof args, "info --data %s", "/nonexistent/elsewhere");
    assert_int_equal(run_cli(env, args, out, sizeof out), 0);
    assert_contains(out, "data:         /nonexistent/elsewhere\n");
}

size_t cli_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_version),
        cmocka_unit_test(test_cli_help_lists_commands_and_options),
        cmocka_unit_test(test_cli_unknown_option_is_a_usage_error),
        cmocka_unit_test(test_cli_unknown_command_is_a_usage_error),
        cmocka_unit_test(test_cli_info_prints_the_chosen_isa),
        cmocka_unit_test(test_cli_info_honours_ddim_isa),
        cmocka_unit_test(test_cli_info_reports_the_state_of_the_data),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
