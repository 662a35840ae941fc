// lessons/tiled/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <vector>

#include <attn/tiled.hpp>

#include "question.hpp"

namespace lessons::tiled {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"causal-tiles",
         "n = 256, blocks of 64 × 64, causal: how many tiles does the tiled kernel compute (not skip)?",
         kind::number,
         {},
         {"There are 4 × 4 tiles; those wholly above the diagonal are skipped.", "1 + 2 + 3 + 4."},
         [] {
             const attn::matrix X = xt::zeros<float>({256, 4});
             std::vector<attn::tile_visit> trace;
             attn::tiled_attention(X, X, X, 64, 64, true, &trace);
             double computed = 0;
             for (const auto& t : trace) computed += !t.skipped;
             return std::vector<double>{computed};
         },
         0,
         "10 of 16 tiles, the 4 on the diagonal masked inside: causal attention costs about half."},
    };
}

}  // namespace lessons::tiled
