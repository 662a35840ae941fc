// lessons/multihead/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include <attn/multihead.hpp>

#include "question.hpp"

namespace lessons::multihead {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"head-width",
         "d_model = 12 split over 3 heads: how many columns does each head's Q have?",
         kind::number,
         {},
         {"The heads share d_model's columns equally."},
         [] {
             return std::vector<double>{double(attn::head_slice(xt::zeros<float>({1, 12}), 0, 3).shape(1))};
         },
         0,
         "Each head works in d_model / h = 4 dimensions, so all heads together cost what one wide head would."},
        {"heads-exps",
         "n = 1024 tokens, d_model = 512. Going from 1 head to 8 heads (each of width 64, same d_model), by "
         "what factor does the number of exponentials in the softmax grow?",
         kind::number,
         {},
         {"Each head has its own n × n score matrix.", "The matmul FLOPs stay the same; count the scores."},
         [] {
             return std::vector<double>{attn::multihead_cost(1024, 1024, 512, 8, 64, 64, 512).exps /
                                        attn::multihead_cost(1024, 1024, 512, 1, 512, 512, 512).exps};
         },
         0,
         "8×: the projections and the matrix products cost the same (each head is 8× narrower), but every "
         "head scores every pair, so the exps and the score memory grow with h.",
         {{[] {
               return std::vector<double>{attn::multihead_cost(1024, 1024, 512, 8, 64, 64, 512).flops /
                                          attn::multihead_cost(1024, 1024, 512, 1, 512, 512, 512).flops};
           },
           "The multiply-add FLOPs do stay the same, which is why heads are called free. But each head has "
           "its own n × n scores: 8 heads take 8× the exponentials and 8× the score memory."}}},
        {"params",
         "d_model = 512, 8 heads of 64, no biases: how many parameters do W_q, W_k, W_v and W_o hold "
         "together?",
         kind::number,
         {},
         {"Each of the four is 512 × 512.", "4 × 512²."},
         [] { return std::vector<double>{attn::multihead_cost(1, 1, 512, 8, 64, 64, 512).params}; },
         0,
         "1,048,576 = 4·512², whatever the number of heads: splitting into heads adds no weights.",
         {{[] { return std::vector<double>{3.0 * 512 * 512}; },
           "786,432 counts W_q, W_k and W_v; the output projection W_o is 512 × 512 too."},
          {[] { return std::vector<double>{8 * 4.0 * 512 * 512}; },
           "The heads share the four matrices (each head owns 64 of their columns), so 8 heads hold "
           "4·512², not 8 × 4·512²."}}},
    };
}

}  // namespace lessons::multihead
