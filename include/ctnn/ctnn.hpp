// ctnn/ctnn.hpp - the whole core: compile-time neural networks, no heap, no exceptions, no RTTI.
// Host-only helpers (files, printing, plots) are in ctnn/host/ and are not included here.
#pragma once

#include "ctnn/activation.hpp"
#include "ctnn/dense.hpp"
#include "ctnn/loss.hpp"
#include "ctnn/math.hpp"
#include "ctnn/metrics.hpp"
#include "ctnn/network.hpp"
#include "ctnn/optimizer.hpp"
#include "ctnn/random.hpp"
#include "ctnn/train.hpp"
#include "ctnn/datasets.hpp"
#include "ctnn/io.hpp"
#include "ctnn/standardize.hpp"
