// model.hpp - the network type and the samples shared by the host trainer and the firmware.
#pragma once

#include <array>

#include <ctnn/ctnn.hpp>

namespace model {

using net = ctnn::network<float, ctnn::dense<3, 5, ctnn::relu>, ctnn::dense<5, 3, ctnn::relu>,
                          ctnn::dense<3, 1, ctnn::sigmoid>>;

/** The samples the firmware classifies: near each blob, between them, and far out. */
inline constexpr std::array<net::input, 8> samples{{{-2.0f, -2.0f, -2.0f},
                                                    {2.0f, 2.0f, 2.0f},
                                                    {-1.0f, -2.5f, -0.5f},
                                                    {1.5f, 0.5f, 2.5f},
                                                    {0.1f, -0.2f, 0.3f},
                                                    {-0.3f, 0.2f, -0.1f},
                                                    {6.0f, -1.0f, 3.0f},
                                                    {-8.0f, 1.0f, -2.0f}}};

}  // namespace model
