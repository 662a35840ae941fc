// lessons/07_online_softmax/example.hpp — the row the step debugger starts from.
#pragma once

#include <attn/tensor.hpp>

namespace lesson07 {

/// The digits of π: the maximum grows three times (3 → 4 → 5 → 9) and then holds.
inline attn::vector example_scores() { return {3, 1, 4, 1, 5, 9, 2, 6}; }

}  // namespace lesson07
