/* libFuzzer target: checkpoint_read on each input, as feed_checkpoint
 * (fuzz_feed.h) writes it. Seeds: fuzz/corpus/fuzz_checkpoint/. */
#include <stdlib.h>
#include "fuzz/fuzz_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A failure without its one line naming the file breaks the project's
     * rule for bad input as a crash does: a finding too. */
    if (feed_checkpoint(data, size) < 0)
        abort();
    return 0;
}
