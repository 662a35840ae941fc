// lessons/masking/lesson.hpp — lesson 06's C++ API: its example, and what its page and walkthrough run.
//
// Six positions, "the cat sat down <pad> <pad>": four real tokens and two of
// padding. Small whole-number embeddings and weights; causal and padding masks
// over them. The page's proof that a causal output never sees the future is
// the library's attn::future_influence.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <attn/fields.hpp>
#include <attn/mask.hpp>
#include <attn/softmax.hpp>

#include "question.hpp"

namespace lessons::masking {

struct example {
    std::vector<std::string> tokens;  // n = 6
    std::size_t valid;                // 4 real tokens, then padding
    attn::matrix X;                   // (6, 3)
    attn::matrix W_q, W_k, W_v;       // (3, 3) each
    ATTN_FIELDS(tokens, valid, X, W_q, W_k, W_v)
};

inline example fixed_example() {
    return {
        {"the", "cat", "sat", "down", "<pad>", "<pad>"},
        4,
        {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1}, {0, 0, 0}, {0, 0, 0}},
        {{2, 0, 1}, {0, 2, 0}, {1, 1, 2}},
        {{1, 1, 0}, {0, 2, 1}, {2, 0, 1}},
        {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
    };
}

/// The page's mask: padding after `valid` keys, and causal if asked. (n, n), as {value}.
inline attn::mask compose(std::size_t n, bool causal, std::size_t valid) {
    attn::require_whole_in("n", double(n), 1, 4096);
    attn::require_whole_in("valid", double(valid), 0, double(n));
    attn::mask M = attn::padding_mask(n, n, valid);
    return causal ? attn::combine(M, attn::causal_mask(n)) : M;
}

/// Masked attention over the example's projections; `big` fills with -1e9 instead of -inf.
using attn::perturb_after;

inline attn::attention_steps run(const attn::matrix& X, const attn::matrix& W_q, const attn::matrix& W_k,
                                 const attn::matrix& W_v, const attn::mask& M, bool big) {
    const attn::qkv p = attn::project_qkv(X, W_q, W_k, W_v);
    return attn::masked_attention_explained(p.Q, p.K, p.V, M, big ? -1e9f : -std::numeric_limits<float>::infinity());
}

/// Query i's row through the mask and the softmax, for the step-through: its scores before the mask,
/// after it (−∞, or −1e9 with `big`, where the mask hides a key), and that row's softmax step by step
/// (its weights are row i of run()'s P).
struct masked_row {
    attn::vector scores, masked;
    attn::softmax_steps softmax;
    ATTN_FIELDS(scores, masked, softmax)
};
inline masked_row row(const attn::matrix& X, const attn::matrix& W_q, const attn::matrix& W_k, const attn::matrix& W_v,
                      const attn::mask& M, std::size_t i, bool big) {
    const attn::qkv p = attn::project_qkv(X, W_q, W_k, W_v);
    const attn::matrix S = attn::scaled_scores(p.Q, p.K);
    attn::require_whole_in("the query", double(i), 0, double(S.shape(0)) - 1);
    const attn::matrix Sm = attn::apply_mask(S, M, big ? -1e9f : -std::numeric_limits<float>::infinity());
    return {xt::row(S, i), xt::row(Sm, i), attn::softmax_trace(xt::row(Sm, i))};
}

/// What `attnlab example 6 --json` prints: the example under both masks, and causal alone.
struct values {
    attn::matrix both_P, both_O, causal_P, causal_O;
    ATTN_FIELDS(both_P, both_O, causal_P, causal_O)
};
inline values example_values() {
    const example ex = fixed_example();
    const std::size_t n = ex.tokens.size();
    const attn::attention_steps a = run(ex.X, ex.W_q, ex.W_k, ex.W_v, compose(n, true, ex.valid), false);
    const attn::attention_steps c = run(ex.X, ex.W_q, ex.W_k, ex.W_v, attn::causal_mask(n), false);
    return {a.P, a.O, c.P, c.O};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    using checks::mat, checks::vec;
    // The pencil-and-paper exercises' inputs (the worksheet prints them; the answers use them).
    const attn::matrix ex_S = checks::mat({{1, 2, 3}, {1, 2, 3}, {1, 2, 3}});
    return {
        {"causal-pairs",
         [] {
             const attn::mask M = attn::causal_mask(4);
             double allowed = 0;
             for (bool b : M) allowed += b;
             return std::vector<double>{allowed};
         },
         {},
         {},
         [] {
             const attn::mask M = attn::causal_mask(4);
             std::vector<std::string> lines;
             for (std::size_t i = 0; i < 4; ++i) {
                 const auto row = xt::row(M, i);
                 lines.push_back("query " + std::to_string(i) + " sees keys 0.." + std::to_string(i) + ": " +
                                 std::to_string(std::count(row.begin(), row.end(), true)));
             }
             lines.push_back(checks::visible_sum(M) + " of 4 · 4 = " + std::to_string(M.size()) + " pairs");
             lines.push_back("n(n+1)/2 = 4 · 5 / 2 = " + std::to_string(4 * 5 / 2));
             return lines;
         }},
        {"mask-after",
         [] {
             const attn::matrix S = mat({{1, 2, 3}, {0.5f, -1, 2}, {2, 0, 1}});
             const attn::mask M = attn::causal_mask(3);
             const attn::matrix before = attn::softmax_rows(attn::apply_mask(S, M));
             attn::matrix after = attn::softmax_rows(S);
             for (std::size_t i = 0; i < 3; ++i) {
                 double sum = 0;
                 for (std::size_t j = 0; j < 3; ++j) sum += after(i, j) *= M(i, j);
                 for (std::size_t j = 0; j < 3; ++j) after(i, j) /= sum;
             }
             return std::vector<double>{xt::amax(xt::abs(before - after))() < 1e-6 ? 0.0 : 1.0};
         },
         {[] { return std::vector<double>{1}; }, [] { return std::vector<double>{2}; }}},
        {"no-renormalise",
         [] {
             attn::vector p = attn::softmax(vec({0, 0, 0, 0}));
             p(2) = p(3) = 0;
             return std::vector<double>{xt::sum(p)()};
         },
         {[] { return std::vector<double>{1}; }},
         {},
         [] {
             attn::vector p = attn::softmax(xt::zeros<attn::real>({std::size_t(4)}));
             const std::string before = checks::tuple_text(p, 2);
             p(2) = p(3) = 0;
             return std::vector<std::string>{"softmax of four equal scores: " + before,
                                             "the last two set to 0: " + checks::tuple_text(p, 2) + ", which sums to " +
                                                 checks::num(double(xt::sum(p)()))};
         }},
        {"paper-causal",
         [] { return checks::flat(attn::causal_mask(4)); },
         {},
         [] { return std::vector<checks::given>{}; },
         [] { return checks::visible_lines(attn::causal_mask(4)); }},
        {"paper-masked",
         [=] {
             return checks::flat(xt::eval(xt::view(attn::softmax_rows(attn::apply_mask(ex_S, attn::causal_mask(3))),
                                                   xt::range(1, 2), xt::all())));
         },
         {},
         [=] {
             return std::vector<checks::given>{{"S", ex_S}};
         },
         [=] {
             const attn::matrix masked = attn::apply_mask(ex_S, attn::causal_mask(3));
             const attn::matrix P = attn::softmax_rows(masked);
             return std::vector<std::string>{
                 "the second query sees keys 1 and 2: key 3's score becomes −∞", "e^(−∞) = 0, so key 3 gets no weight",
                 "softmax of the visible scores: " + checks::tuple_text(xt::view(xt::row(P, 1), xt::range(0, 2)), 3),
                 "row 2 of P: " + checks::rows_text(P, 3)[1]};
         }},
    };
}

}  // namespace lessons::masking
