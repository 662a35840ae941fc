// lessons/backward/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include <attn/backward.hpp>
#include <attn/online.hpp>
#include <attn/softmax.hpp>

#include "question.hpp"

namespace lessons::backward {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"softmax-grad",
         "P = softmax(s) = (0.5, 0.5) and the upstream gradient is dP = (1, 0). What is dS? Two numbers, to two decimals.",
         kind::vector,
         {},
         {"dS_j = P_j·(dP_j − Σ_k P_k·dP_k).", "Σ_k P_k·dP_k = 0.5."},
         [] {
             attn::matrix64 P = xt::zeros<double>({1, 2}), dP = xt::zeros<double>({1, 2});
             P(0, 0) = P(0, 1) = 0.5;
             dP(0, 0) = 1;
             const attn::matrix64 dS = attn::softmax_backward(P, dP);
             return std::vector<double>{dS(0, 0), dS(0, 1)};
         },
         0.005,
         "(0.25, −0.25): the gradient of a softmax always sums to zero, because the weights always sum to 1."},
        {"row-D",
         "A row of weights P = (0.2, 0.8) and upstream gradient dP = (1, 2). What is D = Σ_j P_j·dP_j?",
         kind::number,
         {},
         {"Weight each dP_j by its P_j.", "0.2·1 + 0.8·2."},
         [] {
             // softmax_backward computes dS = P ∘ (dP − D): D is what it subtracts from dP
             const attn::matrix64 P = {{0.2, 0.8}}, dP = {{1, 2}};
             const attn::matrix64 dS = attn::softmax_backward(P, dP);
             return std::vector<double>{dP(0, 0) - dS(0, 0) / P(0, 0)};
         },
         0.005,
         "1.8: the weighted mean of dP, which each entry is measured against, dS_j = P_j(dP_j − D). In "
         "FlashAttention's backward D_i = rowsum(dO ∘ O), the same number without P.",
         {{[] { return std::vector<double>{3}; },
           "3 is the plain sum of dP. D weights each entry by its probability: it is the mean of dP under P."}}},
        {"kept",
         "What does FlashAttention-2 keep per query row from the forward pass, to recompute P in the "
         "backward pass?",
         kind::choice,
         {"The whole row of P", "m and ℓ, two numbers", "One number, L = m + ln ℓ",
          "Nothing: it recomputes everything"},
         {"P(i, j) = e^(S(i, j) − m) / ℓ.", "Can e^(S − m)/ℓ be written with one number instead of two?"},
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
         0,
         "L = m + ln ℓ, since e^(S − m)/ℓ = e^(S − L) (Dao 2023, §3.1.1). FlashAttention-1 (Dao et al. 2022) "
         "kept m and ℓ both.",
         {{[] { return std::vector<double>{0}; },
           "That would bring back the n² memory the forward pass avoided. Each tile of P is recomputed from "
           "Q, K and one statistic per row."},
          {[] { return std::vector<double>{1}; },
           "That is FlashAttention-1 (Dao et al. 2022). FlashAttention-2 folds them into one number, "
           "L = m + ln ℓ, since e^(S − m)/ℓ = e^(S − L)."},
          {[] { return std::vector<double>{3}; },
           "Recomputing m and ℓ would need a whole extra pass over K per query block. One number per row, "
           "L = m + ln ℓ, is kept."}}},
    };
}

}  // namespace lessons::backward
