// lessons/backward/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <vector>

#include <attn/backward.hpp>

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
    };
}

}  // namespace lessons::backward
