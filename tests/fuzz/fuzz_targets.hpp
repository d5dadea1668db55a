// The networks the io fuzzer reads into, shared with the program that writes its seed blobs.
#pragma once

#include "ctnn/ctnn.hpp"

namespace ctnn_fuzz {

/** The demo's network in float: a 192-byte blob. */
using float_net = ctnn::network<float, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 3, ctnn::relu>,
                                ctnn::dense<3, 1, ctnn::sigmoid>>;
/** A small network in double with a softmax output: a 2-3-2 blob of 160 bytes. */
using double_net = ctnn::network<double, ctnn::dense<2, 3, ctnn::tanh>, ctnn::dense<3, 2, ctnn::softmax>>;

}  // namespace ctnn_fuzz
