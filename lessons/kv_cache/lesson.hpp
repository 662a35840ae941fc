// lessons/kv_cache/lesson.hpp — lesson 10's C++ API: the sentence to decode, one token at a time.
//
// The running example "the cat sat on the mat" (attn/examples.hpp, lesson 03) and
// its projections, decoded left to right: the prompt "the cat sat" is prefilled,
// then "on the mat" decoded.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <attn/examples.hpp>
#include <attn/fields.hpp>
#include <attn/format.hpp>
#include <attn/kv_cache.hpp>
#include <attn/mask.hpp>
#include <attn/scores.hpp>
#include <attn/softmax.hpp>

#include "question.hpp"

namespace lessons::kv_cache {

struct example {
    std::vector<std::string> tokens;  // n = 6
    attn::matrix Q, K, V;             // (6, 4) each: X·W_q, X·W_k, X·W_v
    std::size_t prompt = 3;           // tokens prefilled in one pass
    ATTN_FIELDS(tokens, Q, K, V, prompt)
};

inline example fixed_example() {
    const attn::sentence e = attn::the_cat_sat();
    const attn::qkv p = attn::project_qkv(e.X, e.W_q, e.W_k, e.W_v);
    return {e.tokens, p.Q, p.K, p.V, 3};
}

/// Attention FLOPs per token at 16 positions up to T, with the cache and recomputing the prefix.
struct cost_curve {
    std::vector<double> t, cached, recompute;
    ATTN_FIELDS(t, cached, recompute)
};
inline cost_curve cost(std::size_t T, std::size_t d) {
    attn::require_whole_in("context length", double(T), 1, 1 << 20);
    attn::require_whole_in("d_head", double(d), 1, 4096);
    cost_curve c;
    for (std::size_t k = 1; k <= 16; ++k) {
        const std::size_t t = std::max<std::size_t>(1, T * k / 16);
        const auto f = attn::decode_cost(t, d, d);
        c.t.push_back(double(t)), c.cached.push_back(f.cached), c.recompute.push_back(f.recompute);
    }
    return c;
}

/// A whole model's cache: bytes in all, per token, and as text.
struct cache_size {
    double bytes, per_token;
    std::string text;
    ATTN_FIELDS(bytes, per_token, text)
};
inline cache_size memory(std::size_t layers, std::size_t kv_heads, std::size_t d_head, std::size_t tokens,
                         std::size_t bytes) {
    attn::require_whole_in("layers", double(layers), 1, 1000);
    attn::require_whole_in("K/V heads", double(kv_heads), 1, 1024);
    attn::require_whole_in("d_head", double(d_head), 1, 4096);
    attn::require_whole_in("tokens", double(tokens), 1, 1e8);
    attn::require_whole_in("bytes per value", double(bytes), 1, 8);
    const double all = attn::kv_cache_bytes(layers, kv_heads, d_head, tokens, bytes);
    return {all, attn::kv_cache_bytes(layers, kv_heads, d_head, 1, bytes), attn::format_bytes(all)};
}

/// What `attnlab example 10 --json` prints: the example decoded, and full causal attention.
struct values {
    attn::matrix O_decode, O_causal, K, V;
    ATTN_FIELDS(O_decode, O_causal, K, V)
};
inline values example_values() {
    const example e = fixed_example();
    return {attn::decode_all(e.Q, e.K, e.V), attn::causal_attention(e.Q, e.K, e.V), e.K, e.V};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    using checks::mat;
    // The pencil-and-paper exercises' inputs (the worksheet prints them; the answers use them).
    const attn::matrix ex_K = checks::mat({{2, 0, 0, 0}, {0, 2, 0, 0}}), ex_V = checks::mat({{1, 0}, {0, 1}});
    const attn::matrix ex_k = checks::mat({{0, 0, 2, 0}}), ex_v = checks::mat({{1, 1}}),
                       ex_q = checks::mat({{1, 1, 0, 0}});
    return {
        {"cache-bytes",
         [] { return std::vector<double>{attn::kv_cache_bytes(1, 1, 64, 1000, 4)}; },
         {},
         {},
         [] {
             return std::vector<std::string>{
                 "2 (a key and a value) × 64 × 1000 tokens × 4 bytes = " +
                     checks::text(attn::kv_cache_bytes(1, 1, 64, 1000, 4), 0) + " bytes",
                 "per token: 2 × 64 × 4 = " + checks::text(attn::kv_cache_bytes(1, 1, 64, 1, 4), 0) + " bytes"};
         }},
        {"deeper-keys",
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
         {[] { return std::vector<double>{0}; }, [] { return std::vector<double>{2}; }}},
        {"llama-token",
         [] { return std::vector<double>{attn::kv_cache_bytes(32, 32, 128, 1, 2)}; },
         {[] { return std::vector<double>{attn::kv_cache_bytes(32, 32, 128, 1, 2) / 2}; }},
         {},
         [] {
             const double token = attn::kv_cache_bytes(32, 32, 128, 1, 2);
             return std::vector<std::string>{"2 × 32 layers × 32 heads × 128 × 2 bytes = " + checks::text(token, 0) +
                                                 " bytes = " + checks::num(token / 1024) + " KiB",
                                             "× 4096 tokens = " + checks::text(token * 4096, 0) + " bytes = " +
                                                 checks::num(token * 4096 / (1024.0 * 1024 * 1024)) + " GiB"};
         }},
        {"paper-bytes",
         [] { return std::vector<double>{attn::kv_cache_bytes(2, 2, 4, 10, 4)}; },
         {},
         [] { return std::vector<checks::given>{}; },
         [] {
             return std::vector<std::string>{
                 "2 (a key and a value) · 2 layers · 2 heads · 4 numbers · 10 tokens · 4 bytes = " +
                 checks::text(attn::kv_cache_bytes(2, 2, 4, 10, 4), 0) + " bytes"};
         }},
        {"paper-decode",
         [=] {
             attn::kv_cache c(3, 4, 2);
             for (std::size_t t = 0; t < 2; ++t) attn::append(c, xt::row(ex_K, t), xt::row(ex_V, t));
             attn::append(c, xt::row(ex_k, 0), xt::row(ex_v, 0));
             const attn::vector o = attn::decode_step(c, xt::row(ex_q, 0));
             return std::vector<double>(o.begin(), o.end());
         },
         {},
         [=] {
             return std::vector<checks::given>{
                 {"cached K", ex_K}, {"cached V", ex_V}, {"new k", ex_k}, {"new v", ex_v}, {"q", ex_q}};
         },
         [=] {
             attn::kv_cache c(3, 4, 2);
             for (std::size_t t = 0; t < 2; ++t) attn::append(c, xt::row(ex_K, t), xt::row(ex_V, t));
             attn::append(c, xt::row(ex_k, 0), xt::row(ex_v, 0));
             std::vector<std::string> lines{"append the new token: the cache now holds " + std::to_string(c.length) +
                                            " keys and values"};
             for (const auto& l : checks::dot_lines("q·k", ex_q, xt::view(c.K, xt::range(0, c.length), xt::all())))
                 lines.push_back(l);
             const attn::matrix s = attn::scaled_scores(ex_q, xt::view(c.K, xt::range(0, c.length), xt::all()));
             lines.push_back("divide by √4 = 2: " + checks::rows_text(s, 0)[0]);
             lines.push_back("softmax: " + checks::rows_text(attn::softmax_rows(s), 3)[0]);
             lines.push_back("o = weights · cached V: " +
                             checks::tuple_text(attn::decode_step(c, xt::row(ex_q, 0)), 3));
             return lines;
         }},
    };
}

}  // namespace lessons::kv_cache
