// lessons/quadratic_cost/checks.hpp — this lesson's self-checks (see web/checks/question.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include <attn/cost.hpp>
#include <attn/attention.hpp>

#include "question.hpp"

namespace lessons::quadratic_cost {

inline std::vector<checks::question> self_checks() {
    using checks::kind, checks::mat, checks::vec;
    return {
        {"doubling",
         "n doubles from 1024 to 2048 (d = 64). By what factor does the naive kernel's score matrix grow?",
         kind::number,
         {},
         {"The score matrix is n × n."},
         [] {
             const double a = attn::attention_cost_model(1024, 1024, 64, 64, false).score_bytes;
             const double b = attn::attention_cost_model(2048, 2048, 64, 64, false).score_bytes;
             return std::vector<double>{b / a};
         },
         0,
         "Twice the tokens, four times the memory: that is the quadratic cost."},
        {"flops",
         "n = 1024 queries and keys, d_k = d_v = 64, no mask: how many FLOPs do Q·Kᵀ and P·V take together "
         "(a multiply-add is 2 FLOPs)?",
         kind::number,
         {},
         {"Every (query, key) pair costs one dot product of length d_k and one d_v-wide multiply-add.",
          "2 · n² · (d_k + d_v)."},
         [] { return std::vector<double>{attn::attention_cost_model(1024, 1024, 64, 64, false).flops}; },
         0,
         "268,435,456 = 2·1024²·128: quadrupled each time n doubles.",
         {{[] { return std::vector<double>{attn::attention_cost_model(1024, 1024, 64, 64, false).flops / 2}; },
           "134,217,728 counts multiply-adds. Each is a multiply and an add: 2 FLOPs, as the papers and the "
           "counters count them."},
          {[] { return std::vector<double>{attn::attention_cost_model(1024, 1024, 64, 64, true).flops}; },
           "That is the causal count, n(n+1)/2 pairs. Without a mask every query scores all n keys."}}},
        {"one-row",
         "Does computing softmax(Q·Kᵀ/√d_k)·V exactly need the whole n × n score matrix in memory at once?",
         kind::choice,
         {"Yes: the softmax of a row needs every score of the matrix",
          "No: one row of n scores at a time is enough, and the result is exact",
          "No, but then the result is only approximate"},
         {"Each query's output uses only its own row of scores.",
          "The three passes of the stable softmax each read that one row."},
         [] {
             // one query row at a time (v2_online keeps no row at all) gives the reference's numbers
             const attn::matrix Q = mat({{1, 0}, {0, 1}, {1, 1}}), K = mat({{1, 2}, {0, 1}, {2, 0}}),
                                V = mat({{1, 0}, {0, 1}, {1, 1}});
             attn::matrix O = xt::zeros<float>({3, 2});
             for (std::size_t i = 0; i < 3; ++i)
                 xt::view(O, xt::range(i, i + 1), xt::all()) =
                     attn::attention(xt::view(Q, xt::range(i, i + 1), xt::all()), K, V);
             return std::vector<double>{xt::amax(xt::abs(O - attn::attention(Q, K, V)))() < 1e-6 ? 1.0 : 0.0};
         },
         0,
         "A row buffer of n floats per query suffices (the challenge below), and it is exact: the rows never "
         "interact. Lesson 07 goes further and needs not even the row.",
         {{[] { return std::vector<double>{0}; },
           "Query i's softmax reads only row i of the scores. Computing one row, using it and overwriting "
           "it with the next needs n floats, not n²."},
          {[] { return std::vector<double>{2}; },
           "Nothing is approximated: each row's softmax and weighted sum are computed in full, only not all "
           "rows at once. The result is the same to the last bit's rounding."}}},
    };
}

}  // namespace lessons::quadratic_cost
