/* libFuzzer target: experiment_load_text on each input, as feed_experiment
 * (fuzz_feed.h) gives it: the text of an experiment file, run in the Lua
 * sandbox with 1 s of Lua time, so that a loop ends long before
 * libFuzzer's timeout. Seeds: fuzz/corpus/fuzz_experiment/ (shipped
 * experiments and small broken ones). */
#include <stdlib.h>
#include "fuzz/fuzz_feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A failure without its one line naming the file breaks the project's
     * rule for bad input as a crash does: a finding too. */
    if (feed_experiment(data, size) < 0)
        abort();
    return 0;
}
