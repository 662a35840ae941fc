// lessons/kv_cache/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include <attn/kv_cache.hpp>
#include <attn/mask.hpp>

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
        {"deeper-keys",
         "A causal decoder with several layers. In layer 2, what does token 3's key depend on?",
         kind::choice,
         {"Token 3 alone", "Tokens 0 to 3, and it never changes once computed", "Every token of the sequence"},
         {"Layer 2's input for token 3 is layer 1's output for token 3.",
          "Layer 1's output for token 3 attended over tokens 0..3; later tokens are masked."},
         [] {
             // two causal layers; change token 0, then token 4, and watch token 3's layer-2 key
             const attn::matrix X = mat({{1, 0}, {0, 1}, {1, 1}, {0.5f, -1}, {2, 0}});
             const auto key3 = [](attn::matrix x) {
                 const attn::matrix h = attn::causal_attention(x, x, x);  // layer 1 (identity projections)
                 return attn::vector(xt::row(h, 3));                      // layer 2's key for token 3
             };
             attn::matrix first = X, last = X;
             first(0, 0) += 1;
             last(4, 1) += 1;
             const bool on_first = xt::amax(xt::abs(key3(first) - key3(X)))() > 1e-6;
             const bool on_later = xt::amax(xt::abs(key3(last) - key3(X)))() > 1e-6;
             return std::vector<double>{on_first && !on_later ? 1.0 : on_later ? 2.0 : 0.0};
         },
         0,
         "Tokens 0..3: from layer 2 on, token 3's hidden state has mixed in every earlier token. It still "
         "never changes later, because the mask keeps later tokens out at every layer: that is why it can "
         "be cached.",
         {{[] { return std::vector<double>{0}; },
           "Only in layer 1. Layer 1's output for token 3 is an average over tokens 0..3, and layer 2's key "
           "is computed from it, so it depends on all of them."},
          {[] { return std::vector<double>{2}; },
           "The causal mask keeps every later token out at every layer, so nothing after token 3 reaches "
           "it: its key is final once token 3 has been processed."}}},
        {"llama-token",
         "Llama 2 7B: 32 layers, 32 K/V heads of width 128, values in fp16 (2 bytes). How many bytes does "
         "the cache grow by with each token?",
         kind::number,
         {},
         {"Every layer caches a key and a value for every K/V head.", "2 × 32 × 32 × 128 × 2 bytes."},
         [] { return std::vector<double>{attn::kv_cache_bytes(32, 32, 128, 1, 2)}; },
         0,
         "524,288 bytes, 512 KiB per token: 2 GiB for a 4096-token context, per sequence.",
         {{[] { return std::vector<double>{attn::kv_cache_bytes(32, 32, 128, 1, 2) / 2}; },
           "262,144 counts the keys only. The values are cached too: twice that."}}},
    };
}

}  // namespace lessons::kv_cache
