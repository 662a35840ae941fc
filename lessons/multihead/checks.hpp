// lessons/multihead/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

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
    };
}

}  // namespace lessons::multihead
