// lessons/sliding_window/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include <attn/window.hpp>

#include "question.hpp"

namespace lessons::sliding_window {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"window-pairs",
         "A causal sliding window of w = 3 over n = 5 tokens: how many (query, key) pairs are scored?",
         kind::number,
         {},
         {"Query i sees keys i−2..i that exist.", "1 + 2 + 3 + 3 + 3."},
         [] { return std::vector<double>{attn::window_pairs(5, 3, true)}; },
         0,
         "12 pairs instead of 15 causal ones: for long sequences the cost is about n·w, not n²/2."},
        {"window-cache",
         "A causal window of w = 4096 over n = 100,000 tokens. How many keys must a decoder keep per layer "
         "(and per K/V head) when it reaches the last token?",
         kind::number,
         {},
         {"The next token can see only the last w positions.", "Anything older will never be read again."},
         [] {
             std::size_t kept = 0;
             for (std::size_t j = 0; j < 100000; ++j) kept += attn::in_window(99999, j, 4096, true);
             return std::vector<double>{double(kept)};
         },
         0,
         "4096: a rolling buffer of w slots (Mistral 7B's), so the cache is O(min(n, w)) and stops growing. "
         "The compute is what grows as n·w.",
         {{[] { return std::vector<double>{100000.0 * 4096}; },
           "n·w counts the scores computed over the whole sequence. A decoder keeps only the keys still in "
           "some future window: the last w."},
          {[] { return std::vector<double>{100000}; },
           "A full causal cache keeps all n keys; with a window, keys older than w positions can never be "
           "seen again and their slots are reused."}}},
        {"reach",
         "w = 4096 and 32 layers: from how many positions back can information reach the last token?",
         kind::number,
         {},
         {"Each layer moves information up to w − 1 positions.", "Layers stack: 32 · (w − 1), plus the token itself."},
         [] { return std::vector<double>{double(attn::receptive_field(32, 4096))}; },
         0,
         "131,041 positions: the window limits each layer, not the stack (Mistral 7B's argument).",
         {{[] { return std::vector<double>{4096}; },
           "4096 is one layer's reach. Each layer passes on what it gathered, so the reach grows by w − 1 "
           "with every layer."}}},
    };
}

}  // namespace lessons::sliding_window
