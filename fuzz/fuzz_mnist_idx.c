/* libFuzzer target: mnist_load_images, mnist_load_labels and
 * mnist_verify_file on each input, as feed_mnist_idx (fuzz_feed.h) writes
 * it. Seeds: fuzz/corpus/fuzz_mnist_idx/. */
#include <stdlib.h>
#include "fuzz/fuzz_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A failure without its one line naming the file breaks the project's
     * rule for bad input as a crash does: a finding too. */
    if (feed_mnist_idx(data, size) < 0)
        abort();
    return 0;
}
