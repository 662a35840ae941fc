// lessons/backward/lesson.hpp — lesson 14's C++ API: a small attention call to differentiate,
// its gradients, and the finite-difference check of any one of them in float32 and float64.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <attn/backward.hpp>
#include <attn/fields.hpp>
#include <attn/scores.hpp>
#include <attn/online.hpp>
#include <attn/rng.hpp>
#include <attn/softmax.hpp>

#include "question.hpp"

namespace lessons::backward {

struct example {
    attn::matrix64 Q, K, V, dO;  // (4, 3) each: n = 4 tokens, d = 3
    ATTN_FIELDS(Q, K, V, dO)
};

inline example fixed_example() {
    attn::rng g(13);
    example e;
    e.Q = attn::normal_matrix<double>(4, 3, g);
    e.K = attn::normal_matrix<double>(4, 3, g);
    e.V = attn::normal_matrix<double>(4, 3, g);
    e.dO = attn::normal_matrix<double>(4, 3, g);  // dL/dO: as if L = Σ O ∘ dO
    return e;
}

/// The weights and the three gradients, in float64.
struct gradients {
    attn::matrix64 P, dQ, dK, dV;
    attn::matrix64 dP, dS;  // on the way: through P·V to the weights, through the softmax to the scores
    ATTN_FIELDS(P, dQ, dK, dV, dP, dS)
};
inline gradients grads(const attn::matrix64& Q, const attn::matrix64& K, const attn::matrix64& V,
                       const attn::matrix64& dO, bool causal) {
    attn::backward_trace<double> t;
    const auto g = attn::attention_backward(Q, K, V, dO, causal, &t);
    return {t.P, g.dQ, g.dK, g.dV, t.dP, t.dS};
}

/// What `attnlab example 14 --json` prints: the example and its gradients.
struct values {
    attn::matrix64 dQ, dK, dV, Q, K, V, dO;
    ATTN_FIELDS(dQ, dK, dV, Q, K, V, dO)
};
inline values example_values() {
    const example e = fixed_example();
    const gradients g = grads(e.Q, e.K, e.V, e.dO, false);
    return {g.dQ, g.dK, g.dV, e.Q, e.K, e.V, e.dO};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    using checks::mat, checks::vec;
    // The pencil-and-paper exercises' inputs (the worksheet prints them; the answers use them).
    const attn::matrix ex_P = checks::mat({{0.25f, 0.75f}, {0.2f, 0.8f}}), ex_dP = checks::mat({{1, 0}, {0, 1}});
    const attn::matrix ex_W = checks::mat({{1, 0}, {0.5f, 0.5f}}), ex_dO = checks::mat({{1, 0}, {0, 2}});
    return {
        {"softmax-grad",
         [] {
             attn::matrix64 P = xt::zeros<double>({1, 2}), dP = xt::zeros<double>({1, 2});
             P(0, 0) = P(0, 1) = 0.5;
             dP(0, 0) = 1;
             const attn::matrix64 dS = attn::softmax_backward(P, dP);
             return std::vector<double>{dS(0, 0), dS(0, 1)};
         }},
        {"row-D",
         [] {
             // softmax_backward computes dS = P ∘ (dP − D): D is what it subtracts from dP
             const attn::matrix64 P = {{0.2, 0.8}}, dP = {{1, 2}};
             const attn::matrix64 dS = attn::softmax_backward(P, dP);
             return std::vector<double>{dP(0, 0) - dS(0, 0) / P(0, 0)};
         },
         {[] { return std::vector<double>{3}; }}},
        {"kept",
         [] {
             // P recomputed from the scores and L alone equals the forward pass's P
             const attn::matrix S = mat({{1, 3, -1, 2}});
             const attn::vector p = attn::softmax(vec({1, 3, -1, 2}));
             attn::online_state st;
             for (float z : S) attn::online_update(st, z);
             const double L = st.m + std::log(st.l);
             double worst = 0;
             for (std::size_t j = 0; j < 4; ++j) worst = std::max(worst, std::abs(std::exp(S(0, j) - L) - p(j)));
             return std::vector<double>{worst < 1e-6 ? 2.0 : 1.0};
         },
         {[] { return std::vector<double>{0}; }, [] { return std::vector<double>{1}; },
          [] { return std::vector<double>{3}; }}},
        {"paper-softmax-back",
         [=] {
             const attn::tensor2<double> dS =
                 attn::softmax_backward<double>(xt::cast<double>(ex_P), xt::cast<double>(ex_dP));
             return std::vector<double>(dS.begin(), dS.end());
         },
         {},
         [=] {
             return std::vector<checks::given>{{"P", ex_P}, {"dP", ex_dP}};
         },
         [=] {
             const attn::tensor2<double> dS =
                 attn::softmax_backward<double>(xt::cast<double>(ex_P), xt::cast<double>(ex_dP));
             std::vector<std::string> lines;
             for (std::size_t i = 0; i < 2; ++i) {
                 double D = 0;
                 for (std::size_t j = 0; j < 2; ++j) D += double(ex_P(i, j)) * double(ex_dP(i, j));
                 lines.push_back("row " + std::to_string(i + 1) + ": D = Σ P·dP = " + checks::text(D, 2) +
                                 "; dS = P ∘ (dP − D) = " + checks::tuple_text(xt::row(dS, i), 3));
             }
             return lines;
         }},
        {"paper-dv",
         [=] { return checks::flat(attn::project(attn::matrix(xt::transpose(ex_W)), ex_dO)); },
         {},
         [=] {
             return std::vector<checks::given>{{"P", ex_W}, {"dO", ex_dO}};
         },
         [=] {
             return checks::dot_lines("dV", attn::matrix(xt::transpose(ex_W)), attn::matrix(xt::transpose(ex_dO)), 2);
         }},
    };
}

}  // namespace lessons::backward
