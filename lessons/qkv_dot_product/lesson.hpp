// lessons/qkv_dot_product/lesson.hpp — lesson 01's C++ API: what its walkthrough, page and tests call.
//
// Four tokens, small whole-number weights: every number in the walkthrough can
// be checked by hand, and every one is exact in float32. The walkthrough, the
// page's first preset, the tests and the browser test all start from here.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <attn/fields.hpp>
#include <attn/scores.hpp>

#include "question.hpp"

namespace lessons::qkv_dot_product {

struct example {
    std::vector<std::string> tokens;  // n = 4
    attn::matrix X;                   // (n, d_model) = (4, 4): one embedding row per token
    attn::matrix W_q;                 // (d_model, d_k) = (4, 3)
    attn::matrix W_k;                 // (d_model, d_k) = (4, 3)
    attn::matrix W_v;                 // (d_model, d_v) = (4, 3)
    ATTN_FIELDS(tokens, X, W_q, W_k, W_v)
};

inline example fixed_example() {
    return {
        {"the", "cat", "sat", "down"},
        {{1, 0, 1, 0}, {0, 2, 0, 1}, {1, 1, 0, 0}, {0, 0, 1, 2}},
        {{1, 0, 1}, {0, 1, 0}, {1, 0, 0}, {0, 1, 1}},
        {{0, 1, 0}, {1, 0, 1}, {0, 1, 1}, {1, 0, 0}},
        {{1, 0, 0}, {0, 0.5, 0}, {0, 0, 1}, {0.5, 0.5, 0.5}},
    };
}

/// The playground's one computation: Q, K, V (n, d) and S = Q·Kᵀ (n, n).
struct projected {
    attn::matrix Q, K, V, S;
    ATTN_FIELDS(Q, K, V, S)
};

inline projected compute(const attn::matrix& X, const attn::matrix& W_q, const attn::matrix& W_k,
                         const attn::matrix& W_v) {
    const attn::qkv p = attn::project_qkv(X, W_q, W_k, W_v);
    projected r{p.Q, p.K, p.V, attn::scores(p.Q, p.K)};
    for (auto [name, M] : {std::pair{"Q", &r.Q}, {"K", &r.K}, {"V", &r.V}, {"S", &r.S}})
        attn::require_finite("", name, *M);
    return r;
}

/// What `attnlab example 1 --json` prints and the browser test checks the page against.
struct values {
    std::vector<std::string> tokens;
    attn::matrix X, W_q, W_k, W_v, Q, K, V, S;
    ATTN_FIELDS(tokens, X, W_q, W_k, W_v, Q, K, V, S)
};

inline values example_values() {
    const example ex = fixed_example();
    const projected p = compute(ex.X, ex.W_q, ex.W_k, ex.W_v);
    return {ex.tokens, ex.X, ex.W_q, ex.W_k, ex.W_v, p.Q, p.K, p.V, p.S};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    using checks::mat, checks::vec;
    // The pencil-and-paper exercises' inputs (the worksheet prints them; the answers use them).
    const attn::matrix ex_X = checks::mat({{1, 0, 2}, {0, 1, 1}}), ex_W = checks::mat({{1, 0}, {0, 1}, {1, 1}});
    const attn::matrix ex_Q = checks::mat({{2, 1}, {0, 1}}), ex_K = checks::mat({{1, 0}, {2, 1}, {0, 3}});
    return {
        {"top-key",
         [] {
             const attn::vector q = vec({1, 2, 0});
             const attn::matrix K = mat({{2, 0, 1}, {0, 1, 3}, {1, 1, 1}});
             std::size_t best = 0;
             for (std::size_t j = 1; j < 3; ++j)
                 if (attn::dot(q, xt::row(K, j)) > attn::dot(q, xt::row(K, best))) best = j;
             return std::vector<double>{double(best)};
         }},
        {"scores-shape",
         [] {
             const attn::matrix S = attn::scores(xt::zeros<float>({3, 4}), xt::zeros<float>({5, 4}));
             return std::vector<double>{double(S.shape(0)), double(S.shape(1))};
         },
         {[] {
              return std::vector<double>{5, 3};
          },
          [] {
              return std::vector<double>{4, 4};
          }}},
        {"symmetric",
         [] {
             // three tokens, Q = X·W_q and K = X·W_k with W_q ≠ W_k
             const attn::matrix X = mat({{1, 0, 1}, {0, 1, 1}, {1, 1, 0}});
             const attn::matrix W_q = mat({{1, 0}, {0, 2}, {1, 1}}), W_k = mat({{0, 1}, {1, 0}, {2, 1}});
             const attn::matrix S = attn::scores(attn::project(X, W_q), attn::project(X, W_k));
             bool symmetric = true;
             for (std::size_t i = 0; i < 3; ++i)
                 for (std::size_t j = 0; j < 3; ++j) symmetric = symmetric && S(i, j) == S(j, i);
             return std::vector<double>{symmetric ? 0.0 : 1.0};
         },
         {[] { return std::vector<double>{0}; }}},
        {"paper-project",
         [=] { return checks::flat(attn::project(ex_X, ex_W)); },
         {},
         [=] {
             return std::vector<checks::given>{{"X", ex_X}, {"W_q", ex_W}};
         },
         [=] { return checks::dot_lines("Q", ex_X, attn::matrix(xt::transpose(ex_W))); }},
        {"paper-scores",
         [=] { return checks::flat(attn::scores(ex_Q, ex_K)); },
         {},
         [=] {
             return std::vector<checks::given>{{"Q", ex_Q}, {"K", ex_K}};
         },
         [=] { return checks::dot_lines("S", ex_Q, ex_K); }},
    };
}

}  // namespace lessons::qkv_dot_product
