// lessons/online_softmax/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include <attn/online.hpp>

#include "question.hpp"

namespace lessons::online_softmax {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"online-l",
         "The online softmax has seen the scores 1 and then 3. What is its running sum l, to two decimals?",
         kind::number,
         {},
         {"After 1: m = 1, l = e⁰ = 1.",
          "When 3 arrives, the old l is rescaled by e^(1−3), then e^(3−3) = 1 is added."},
         [] {
             attn::online_state s;
             attn::online_update(s, 1);
             attn::online_update(s, 3);
             return std::vector<double>{s.l};
         },
         0.005,
         "l = 1·e⁻² + 1 ≈ 1.14, with m = 3: the sum as if the maximum had been known from the start."},
        {"merge",
         "Two halves of a row, summarised as states: a has m = 2, l = 1.5; b has m = 3, l = 1. What is l of "
         "the whole row, to two decimals?",
         kind::number,
         {},
         {"Both sums must be measured against the same maximum, max(2, 3) = 3.",
          "a's sum moves to that maximum with the factor e^(2 − 3)."},
         [] {
             return std::vector<double>{attn::merge(attn::online_state{2, 1.5f}, attn::online_state{3, 1}).l};
         },
         0.005,
         "1.5·e⁻¹ + 1 ≈ 1.55, with m = 3: exactly what one pass over the whole row would have summed.",
         {{[] { return std::vector<double>{2.5}; },
           "2.5 adds sums measured against different maxima (2 and 3). Move a's to the larger maximum first: "
           "1.5·e^(2−3) + 1."}}},
        {"why-online",
         "What does the online softmax make possible that the three-pass stable softmax does not?",
         kind::choice,
         {"Computing attention without an n × n score matrix",
          "Streaming over blocks of keys with a small state per query that merges exactly",
          "Fewer exponentials per score", "A faster approximation of the softmax"},
         {"Lesson 06 already avoided the n × n matrix with one row buffer per query.",
          "What does a state (m, l) let you do with two parts of a row?"},
         [] {
             // a row split anywhere and merged gives the state of the whole row
             const attn::vector z = vec({0.5f, 3, -1, 2, 4, 1});
             attn::online_state whole, a, b;
             for (std::size_t j = 0; j < 6; ++j)
                 attn::online_update(j < 2 ? a : b, z(j)), attn::online_update(whole, z(j));
             const attn::online_state ab = attn::merge(a, b);
             return std::vector<double>{std::abs(ab.l - whole.l) < 1e-6 && ab.m == whole.m ? 1.0 : 0.0};
         },
         0,
         "Keys can come in blocks, in any order, or from other threads and devices, and the partial states "
         "(m, l and the output row) merge exactly: the basis of tiling (lesson 08), split-KV decoding and "
         "ring attention.",
         {{[] { return std::vector<double>{0}; },
           "One buffer of n scores per query already avoids the n × n matrix (lesson 06's challenge). The "
           "online form goes further: it needs not even the row, only (m, l) and the output, so keys can "
           "arrive block by block."},
          {[] { return std::vector<double>{2}; },
           "It computes the same exponentials plus a rescale each time the maximum grows: slightly more "
           "work, not less. What it buys is a state that streams and merges."},
          {[] { return std::vector<double>{3}; },
           "Nothing is approximated: the rescale makes the sum exactly what it would have been had the "
           "final maximum been known from the start."}}},
    };
}

}  // namespace lessons::online_softmax
