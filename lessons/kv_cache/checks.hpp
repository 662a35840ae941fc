// lessons/kv_cache/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <vector>

#include <attn/kv_cache.hpp>

#include "question.hpp"

namespace lessons::kv_cache {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"cache-bytes",
         "One layer, one K/V head, d_head = 64, 1000 tokens in float32 (4 bytes): how many bytes does the KV cache hold?",
         kind::number,
         {},
         {"The cache keeps a key and a value for every token.", "2 × 64 × 1000 × 4."},
         [] { return std::vector<double>{attn::kv_cache_bytes(1, 1, 64, 1000, 4)}; },
         0,
         "512,000 bytes, and it grows by 512 bytes with every token decoded."},
    };
}

}  // namespace lessons::kv_cache
