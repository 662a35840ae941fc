// lessons/grouped_query/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include <attn/gqa.hpp>

#include "question.hpp"

namespace lessons::grouped_query {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"group",
         "32 query heads share 8 K/V heads. Which K/V head does query head 13 (counting from 0) read?",
         kind::number,
         {},
         {"Each K/V head serves 32 / 8 = 4 consecutive query heads.",
          "Heads 0–3 read K/V head 0, heads 4–7 read head 1, …"},
         [] { return std::vector<double>{double(attn::kv_group(13, 32, 8))}; },
         0,
         "13 / 4 rounds down to 3 (Ainslie et al. 2023 group query heads in consecutive runs)."},
        {"mqa-flops",
         "Multi-query attention (32 query heads share one K/V head) against multi-head attention (32 K/V "
         "heads), same sequence: what is the ratio of their attention FLOPs (Q·Kᵀ and P·V)?",
         kind::number,
         {},
         {"Every query head still scores every key with its own query.",
          "What does sharing change: the number of scores, or the number of distinct keys?"},
         [] {
             return std::vector<double>{attn::gqa_cost(4096, 4096, 32, 1, 128).attention_flops /
                                        attn::gqa_cost(4096, 4096, 32, 32, 128).attention_flops};
         },
         0.005,
         "1.00: the arithmetic is the same. Sharing shrinks the cache (32× here) and the memory traffic of "
         "decoding, which is what limits it.",
         {{[] {
               return std::vector<double>{attn::gqa_cost(4096, 4096, 32, 1, 128).cache_bytes_per_token /
                                          attn::gqa_cost(4096, 4096, 32, 32, 128).cache_bytes_per_token};
           },
           "0.03 is the ratio of the K/V caches. The FLOPs do not shrink: each of the 32 query heads still "
           "computes its own scores against every key."}}},
        {"cache-fraction",
         "GQA with 8 K/V heads for 32 query heads: the KV cache is what fraction of multi-head attention's?",
         kind::number,
         {},
         {"The cache holds one key and one value per K/V head.", "8 of 32."},
         [] {
             return std::vector<double>{attn::gqa_cost(4096, 4096, 32, 8, 128).cache_bytes_per_token /
                                        attn::gqa_cost(4096, 4096, 32, 32, 128).cache_bytes_per_token};
         },
         0.005,
         "0.25: a quarter of the cache, while each query head keeps its own queries.",
         {{[] { return std::vector<double>{4}; },
           "4 is how many times larger multi-head attention's cache is. As a fraction of it, GQA's is 1/4."}}},
    };
}

}  // namespace lessons::grouped_query
