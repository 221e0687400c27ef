/* `ddim-lab info`: the CPU's features, the kernel ISAs this build has and
 * the one chosen, the libraries' versions, and whether the MNIST files in
 * the data directory match their digests (info.h). */
#include <stdio.h>
#include <stdlib.h>
#include "runtime/base/info.h"
#include "runtime/cli/commands.h"

int run_info(const struct context *context, int argc, char **argv)
{
    if (argc > 0) {
        fprintf(stderr, "ddim-lab: 'info' takes no arguments, got '%s' (see ddim-lab --help)\n", argv[0]);
        return 2;
    }
    /* A damaged data file is an error a script should see, not only a line. */
    const int failed = info_print(stdout, context->kernels, context->data_dir);
    if (failed)
        fprintf(stderr, "ddim-lab: %s: %d MNIST file(s) FAILED their check (see above; make data fetches them "
                        "again)\n", context->data_dir, failed);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
