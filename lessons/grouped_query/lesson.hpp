// lessons/grouped_query/lesson.hpp — lesson 11's C++ API: one multi-head layer to share K/V heads in.
//
// The running example's six tokens (attn/examples.hpp, lesson 03), d_model = 4, and a multi-head layer of h = 4 heads of
// width 4 with seeded random weights (the same on every platform: attn::rng).
// Grouping pools its K and V projections (attn::from_multihead).
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include <xtensor/xmath.hpp>

#include <attn/examples.hpp>
#include <attn/fields.hpp>
#include <attn/format.hpp>
#include <attn/gqa.hpp>
#include <attn/kv_cache.hpp>
#include <attn/multihead.hpp>
#include <attn/rng.hpp>

#include "question.hpp"

namespace lessons::grouped_query {

struct example {
    std::vector<std::string> tokens;  // n = 6
    attn::matrix X;                   // (6, 4)
    attn::mha_weights w;              // W_q, W_k, W_v (4, 16); W_o (16, 4)
    std::size_t heads = 4;
    ATTN_FIELDS(tokens, X, w, heads)
};

inline example fixed_example() {
    const attn::sentence e = attn::the_cat_sat();
    attn::rng g(10);
    attn::mha_weights w{attn::normal_matrix(4, 16, g, 1.5), attn::normal_matrix(4, 16, g, 1.5),
                        attn::normal_matrix(4, 16, g, 1.0), attn::normal_matrix(16, 4, g, 0.5)};
    return {e.tokens, e.X, w, 4};
}

/// How far the grouped layer's output A is from the multi-head one B:
/// max |A - B|, and that relative to max |B| (0 when B is all zeros).
inline std::pair<double, double> distance(const attn::matrix& A, const attn::matrix& B) {
    const double d = attn::max_abs_diff(A, B), scale = double(xt::amax(xt::abs(B))());
    return {d, scale > 0 ? d / scale : 0.0};
}

/// The example's layer with its K and V heads pooled into g groups, beside plain multi-head attention.
struct grouping {
    std::vector<attn::matrix> S, P;   // per query head, (n, n): the scaled scores and the weights
    std::vector<std::size_t> groups;  // the K/V head each query head reads
    attn::matrix O, mha;              // the grouped output and the multi-head one, (n, d_model)
    double diff, relative;            // max |O - mha|, and that relative to max |mha|
    double cache_floats;              // per token: the cached K and V widths
    ATTN_FIELDS(S, P, groups, O, mha, diff, relative, cache_floats)
};

inline grouping grouped(const attn::matrix& X, std::size_t g) {
    const example e = fixed_example();
    attn::require_whole_in("K/V heads", double(g), 1, double(e.heads));
    const attn::gqa_steps s = attn::gqa_explained(X, attn::from_multihead(e.w, e.heads, g), e.heads, g);
    grouping r{
        s.S, s.P, {}, s.O, attn::multihead_self_attention(X, e.w, e.heads), 0, 0, double(s.K.shape(1) + s.V.shape(1))};
    for (std::size_t h = 0; h < e.heads; ++h) r.groups.push_back(attn::kv_group(h, e.heads, g));
    for (const attn::matrix& P : r.P) attn::require_finite("", "P", P);
    attn::require_finite("", "O", r.O);
    std::tie(r.diff, r.relative) = distance(r.O, r.mha);
    return r;
}

/// What `attnlab example 11 --json` prints: plain multi-head, and 4, 2 and 1 K/V heads.
struct values {
    attn::matrix mha, O4, O2, O1;
    std::vector<attn::matrix> P4, P2, P1;
    ATTN_FIELDS(mha, O4, P4, O2, P2, O1, P1)
};
inline values example_values() {
    const example e = fixed_example();
    const grouping g4 = grouped(e.X, 4), g2 = grouped(e.X, 2), g1 = grouped(e.X, 1);
    return {g4.mha, g4.O, g2.O, g1.O, g4.P, g2.P, g1.P};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    return {
        {"group",
         [] { return std::vector<double>{double(attn::kv_group(13, 32, 8))}; },
         {},
         {},
         [] {
             const std::size_t per = 32 / 8;
             std::vector<std::string> lines{"32 / 8 = " + std::to_string(per) +
                                            " consecutive query heads per K/V head"};
             for (std::size_t k = 0; k < 8; ++k)
                 lines.push_back("query heads " + std::to_string(k * per) + "–" + std::to_string(k * per + per - 1) +
                                 " read K/V head " + std::to_string(attn::kv_group(k * per, 32, 8)));
             lines.push_back("13 / 4 = " + checks::num(13.0 / per) +
                             ", rounded down: " + std::to_string(attn::kv_group(13, 32, 8)));
             return lines;
         }},
        {"mqa-flops",
         [] {
             return std::vector<double>{attn::gqa_cost(4096, 4096, 32, 1, 128).attention_flops /
                                        attn::gqa_cost(4096, 4096, 32, 32, 128).attention_flops};
         },
         {[] {
             return std::vector<double>{attn::gqa_cost(4096, 4096, 32, 1, 128).cache_bytes_per_token /
                                        attn::gqa_cost(4096, 4096, 32, 32, 128).cache_bytes_per_token};
         }}},
        {"cache-fraction",
         [] {
             return std::vector<double>{attn::gqa_cost(4096, 4096, 32, 8, 128).cache_bytes_per_token /
                                        attn::gqa_cost(4096, 4096, 32, 32, 128).cache_bytes_per_token};
         },
         {[] { return std::vector<double>{4}; }}},
        {"paper-groups",
         [] {
             std::vector<double> out;
             for (std::size_t h = 0; h < 8; ++h) out.push_back(double(attn::kv_group(h, 8, 2) + 1));
             return out;
         },
         {},
         [] { return std::vector<checks::given>{}; },
         [] {
             std::vector<std::string> lines{"8 query heads / 2 K/V heads = 4 query heads share each K/V head"};
             for (std::size_t g = 0; g < 2; ++g) {
                 std::string line = "K/V head " + std::to_string(g + 1) + " serves query heads";
                 for (std::size_t h = 0; h < 8; ++h)
                     if (attn::kv_group(h, 8, 2) == g) line += " " + std::to_string(h + 1);
                 lines.push_back(line);
             }
             return lines;
         }},
        {"paper-cache",
         [] {
             const double gib = 1024.0 * 1024.0 * 1024.0;
             return std::vector<double>{attn::kv_cache_bytes(80, 64, 128, 4096, 2) / gib,
                                        attn::kv_cache_bytes(80, 8, 128, 4096, 2) / gib};
         },
         {},
         [] { return std::vector<checks::given>{}; },
         [] {
             const double gib = 1024.0 * 1024.0 * 1024.0;
             return std::vector<std::string>{
                 "1 GiB = 1024³ = " + checks::text(gib, 0) + " bytes",
                 "64 K/V heads: 2 · 80 layers · 64 · 128 · 4096 tokens · 2 bytes = " +
                     checks::text(attn::kv_cache_bytes(80, 64, 128, 4096, 2), 0) +
                     " bytes = " + checks::num(attn::kv_cache_bytes(80, 64, 128, 4096, 2) / gib) + " GiB",
                 "8 K/V heads: 2 · 80 layers · 8 · 128 · 4096 tokens · 2 bytes = " +
                     checks::text(attn::kv_cache_bytes(80, 8, 128, 4096, 2), 0) +
                     " bytes = " + checks::num(attn::kv_cache_bytes(80, 8, 128, 4096, 2) / gib) + " GiB"};
         }},
    };
}

}  // namespace lessons::grouped_query
