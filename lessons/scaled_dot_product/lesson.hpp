// lessons/scaled_dot_product/lesson.hpp — lesson 03's C++ API: a sentence to attend over.
//
// The course's running example, "the cat sat on the mat" (attn/examples.hpp):
// four hand-made features per token, so every weight can be read. For
// cross-attention, "le chat assis" asks for the same features it has.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <attn/attention.hpp>
#include <attn/examples.hpp>
#include <attn/fields.hpp>

#include "question.hpp"

namespace lessons::scaled_dot_product {

/// The running example (attn/examples.hpp), and "le chat assis" to cross-attend from it.
struct example {
    std::vector<std::string> features;      // the 4 columns of X
    std::vector<std::string> tokens;        // n = 6
    attn::matrix X;                         // (6, 4): det, animal, action, place
    attn::matrix W_q, W_k, W_v;             // (4, 4) each
    std::vector<std::string> cross_tokens;  // n_q = 3
    attn::matrix X_cross;                   // (3, 4)
    attn::matrix W_q_cross;                 // (4, 4): look for what you are
    ATTN_FIELDS(features, tokens, X, W_q, W_k, W_v, cross_tokens, X_cross, W_q_cross)
};

inline example fixed_example() {
    const attn::sentence s = attn::the_cat_sat();
    return {s.features,
            s.tokens,
            s.X,
            s.W_q,
            s.W_k,
            s.W_v,
            {"le", "chat", "assis"},
            {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}},
            {{6, 0, 0, 0}, {0, 6, 0, 0}, {0, 0, 6, 0}, {0, 0, 0, 6}}};
}

/// What the page shows for one call: the steps, and the values they mix.
struct steps {
    attn::matrix S, P, O, V;
    ATTN_FIELDS(S, P, O, V)
};

/// The steps as the page shows them, refused with the entry's name if float32 overflowed on the way.
inline steps checked(const attn::attention_steps& a, const attn::matrix& V) {
    for (auto [name, M] : {std::pair{"S", &a.S}, {"P", &a.P}, {"O", &a.O}, {"V", &V}})
        attn::require_finite("", name, *M);
    return {a.S, a.P, a.O, V};
}

/// Self-attention over X: Q, K and V all from the sentence.
inline steps self(const attn::matrix& X, const attn::matrix& W_q, const attn::matrix& W_k, const attn::matrix& W_v) {
    const attn::qkv p = attn::project_qkv(X, W_q, W_k, W_v);
    return checked(attn::attention_explained(p.Q, p.K, p.V), p.V);
}

/// Cross-attention: queries from X_q, keys and values from X_kv.
inline steps cross(const attn::matrix& X_q, const attn::matrix& X_kv, const attn::matrix& W_q, const attn::matrix& W_k,
                   const attn::matrix& W_v) {
    return checked(attn::cross_attention_explained(X_q, X_kv, W_q, W_k, W_v), attn::project(X_kv, W_v));
}

/// Query `row`'s output after each key: partials(j, :) = Σ_{j' ≤ j} P(row, j')·v_j'.
struct build_up_result {
    attn::matrix partials;  // (n_k, d_v)
    ATTN_FIELDS(partials)
};
inline build_up_result build_up(const attn::matrix& P, const attn::matrix& V, std::size_t row) {
    return {attn::weighted_sum_steps(P, V, row)};
}

/// What `attnlab example 3 --json` prints and the browser test checks the page against.
struct values {
    attn::matrix S, P, O, cross_P, cross_O;
    ATTN_FIELDS(S, P, O, cross_P, cross_O)
};

inline values example_values() {
    const example ex = fixed_example();
    const steps a = self(ex.X, ex.W_q, ex.W_k, ex.W_v);
    const steps c = cross(ex.X_cross, ex.X, ex.W_q_cross, ex.W_k, ex.W_v);
    return {a.S, a.P, a.O, c.P, c.O};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    using checks::mat;
    // The pencil-and-paper exercises' inputs (the worksheet prints them; the answers use them).
    const attn::matrix ex_P = checks::mat({{0.5f, 0.5f}, {0.25f, 0.75f}}), ex_V = checks::mat({{2, 0}, {0, 4}});
    const attn::matrix ex_Q = checks::mat({{2, 0, 0, 0}, {0, 0, 2, 0}}),
                       ex_K = checks::mat({{1, 0, 0, 0}, {0, 0, 1, 0}});
    const attn::matrix ex_V2 = checks::mat({{1, 0}, {0, 2}});
    return {
        {"uniform",
         [] {
             const attn::matrix Q = xt::zeros<float>({1, 2}), K = mat({{1, 0}, {0, 1}, {1, 1}}),
                                V = mat({{1}, {2}, {6}});
             return std::vector<double>{attn::attention(Q, K, V)(0, 0)};
         }},
        {"blend",
         [] {
             // the uniform example above: equal scores over V = (1), (2), (6)
             const attn::matrix V = mat({{1}, {2}, {6}});
             const attn::matrix O = attn::attention(mat({{1, 0}}), mat({{1, 0}, {1, 0}, {1, 0}}), V);
             bool is_a_row = false;
             for (std::size_t j = 0; j < 3; ++j) is_a_row = is_a_row || O(0, 0) == V(j, 0);
             return std::vector<double>{is_a_row ? 0.0 : 1.0};
         },
         {[] { return std::vector<double>{0}; }, [] { return std::vector<double>{2}; }}},
        {"cross-shape",
         [] {
             const attn::matrix O =
                 attn::cross_attention(xt::zeros<float>({3, 2}), xt::zeros<float>({7, 2}), xt::ones<float>({2, 2}),
                                       xt::ones<float>({2, 2}), xt::ones<float>({2, 4}));
             return std::vector<double>{double(O.shape(0)), double(O.shape(1))};
         },
         {[] {
              return std::vector<double>{7, 4};
          },
          [] {
              return std::vector<double>{3, 7};
          }}},
        {"paper-mix",
         [=] { return checks::flat(attn::weighted_sum(ex_P, ex_V)); },
         {},
         [=] {
             return std::vector<checks::given>{{"P", ex_P}, {"V", ex_V}};
         },
         [=] { return checks::dot_lines("O", ex_P, attn::matrix(xt::transpose(ex_V)), 2); }},
        {"paper-attend",
         [=] { return checks::flat(attn::attention(ex_Q, ex_K, ex_V2)); },
         {},
         [=] {
             return std::vector<checks::given>{{"Q", ex_Q}, {"K", ex_K}, {"V", ex_V2}};
         },
         [=] {
             const attn::attention_steps t = attn::attention_explained(ex_Q, ex_K, ex_V2);
             std::vector<std::string> lines = checks::dot_lines("Q·Kᵀ", ex_Q, ex_K);
             const auto join = [](const std::vector<std::string>& rows) {
                 std::string s;
                 for (const auto& r : rows) s += (s.empty() ? "" : ", ") + r;
                 return s;
             };
             lines.push_back("S = Q·Kᵀ/√4, rows " + join(checks::rows_text(t.S, 0)));
             lines.push_back("P = softmax of each row: " + join(checks::rows_text(t.P, 3)));
             lines.push_back("O = P·V: " + join(checks::rows_text(t.O, 3)));
             return lines;
         }},
    };
}

}  // namespace lessons::scaled_dot_product
