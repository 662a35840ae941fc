// lessons/grouped_query/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <vector>

#include <attn/gqa.hpp>

#include "question.hpp"

namespace lessons::grouped_query {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"group",
         "32 query heads share 8 K/V heads. Which K/V head does query head 13 (counting from 0) read?",
         kind::number,
         {},
         {"Each K/V head serves 32 / 8 = 4 consecutive query heads.",
          "Heads 0–3 read K/V head 0, heads 4–7 read head 1, …"},
         [] { return std::vector<double>{double(attn::kv_group(13, 32, 8))}; },
         0,
         "13 / 4 rounds down to 3 (Ainslie et al. 2023 group query heads in consecutive runs)."},
    };
}

}  // namespace lessons::grouped_query
