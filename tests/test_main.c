/* One cmocka group holding every test this binary was linked with, so a run
 * ends with a single summary line. The kernel tests are always linked; the
 * runtime's are absent from the kernel-only build that runs under qemu. */
#include <stdlib.h>
#include "test_util.h"

test_collector kernel_tests, sum_rows_kernel_tests, conv_transpose2d_kernel_tests, conv2d_kernel_tests,
    image_ops_kernel_tests, softmax_kernel_tests, parallel_kernel_tests, tensor_ops_kernel_tests;
test_collector runtime_tests __attribute__((weak));

int main(int argc, char **argv)
{
    /* `test-all 'PATTERN'`: only the tests whose names match the glob. */
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    test_collector *collectors[] = {
        kernel_tests,           sum_rows_kernel_tests, conv_transpose2d_kernel_tests, conv2d_kernel_tests,
        image_ops_kernel_tests, softmax_kernel_tests,  parallel_kernel_tests,         tensor_ops_kernel_tests,
        runtime_tests,
    };
    size_t count = 0;
    for (size_t c = 0; c < sizeof collectors / sizeof collectors[0]; c++)
        if (collectors[c])
            count += collectors[c](NULL);
    struct CMUnitTest *tests = calloc(count, sizeof *tests);
    if (!tests)
        return 1;
    size_t filled = 0;
    for (size_t c = 0; c < sizeof collectors / sizeof collectors[0]; c++)
        if (collectors[c])
            filled += collectors[c](tests + filled);
    int failed = _cmocka_run_group_tests("ddim-lab", tests, filled, NULL, NULL);
    free(tests);
    return failed ? 1 : 0;
}
