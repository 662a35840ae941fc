// lessons/tiled/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include <attn/tiled.hpp>
#include <attn/attention.hpp>

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
        {"approximate",
         "Each tile sees only a block of a row's keys. Is the tiled result an approximation of attention?",
         kind::choice,
         {"Yes: each block's softmax only sees part of the row", "No: it is exact, up to float rounding",
          "Only when the blocks are small"},
         {"What happens to a row's earlier blocks when a later one raises its maximum?",
          "Lesson 07: the rescale makes the running sums exact."},
         [] {
             const attn::matrix Q = mat({{1, 0, 2}, {0, 1, 1}, {1, 1, 0}, {2, 0, 1}, {0, 2, 1}});
             const attn::matrix K = mat({{1, 2, 0}, {0, 1, 3}, {2, 0, 1}, {1, 1, 1}, {3, 0, 0}});
             const double diff = xt::amax(xt::abs(attn::tiled_attention(Q, K, Q, 2, 2) - attn::attention(Q, K, Q)))();
             return std::vector<double>{diff < 1e-6 ? 1.0 : 0.0};
         },
         0,
         "Exact: every earlier block is rescaled to the row's final maximum, and ℓ divides once at the end. "
         "The tests hold it to float64 within 10⁻⁶; only the order of the additions differs.",
         {{[] { return std::vector<double>{0}; },
           "Each block's contribution is rescaled by e^(m_old − m_new) whenever the maximum grows, so after "
           "the last block the sums are exactly those of the whole row. Nothing is dropped or estimated."},
          {[] { return std::vector<double>{2}; },
           "The block size changes the order of the additions and so the rounding, never the mathematics: "
           "every block size gives the same attention."}}},
        {"extra-memory",
         "B_r = B_c = 64 and d_v = 64, in float32: how many bytes does the tiled loop hold for one query "
         "block (the tile of scores, m and ℓ, and the output block O_i)?",
         kind::number,
         {},
         {"The tile is B_r × B_c floats; m and ℓ are B_r each; O_i is B_r × d_v.", "4 bytes per float."},
         [] { return std::vector<double>{attn::tiled_extra_bytes(64, 64, 64)}; },
         0,
         "33,280 bytes, about 32.5 KiB: O(B_r·B_c + B_r·d_v) whatever n is, small enough for a core's L1 or L2.",
         {{[] { return std::vector<double>{64.0 * 64 * 4}; },
           "16,384 bytes is the tile of scores alone. The unnormalised output block O_i (B_r × d_v) and m, ℓ "
           "live as long as the query block does: count them too."}}},
    };
}

}  // namespace lessons::tiled
