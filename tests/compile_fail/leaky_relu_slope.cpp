// Built twice: as is it must compile; with CTNN_EXPECT_FAIL it must fail with the message below.
// A leaky ReLU slope whose denominator needs more than 24 bits has no weight-blob id of its own.
#include "ctnn/io.hpp"

#ifdef CTNN_EXPECT_FAIL
using act = ctnn::basic_leaky_relu<1, 16777217>;  // 2^24 + 1
#else
using act = ctnn::basic_leaky_relu<1, 16777215>;  // 2^24 - 1
#endif

int main() { return ctnn::io::activation_id<act>::value == 0 ? 1 : 0; }
