// attn/examples.hpp — the course's running example, shared by the lessons that return to it.
//
// Teaches: nothing new; it is data. "the cat sat on the mat" with four
// hand-made features per token (determiner, animal, action, place), so every
// weight can be read: W_q says what each kind of word looks for, W_k and W_v are
// the identity, so keys and values are the features themselves. Lesson 03
// attends over it, lesson 10 decodes it through a cache, lesson 11 shares its
// K/V heads. Kept here, below the lessons, because no lesson includes another.
// Leaves out: everything else; each lesson's own example lives in its folder.
#pragma once

#include <string>
#include <vector>

#include "fields.hpp"
#include "tensor.hpp"

namespace attn {

struct sentence {
    std::vector<std::string> features;  // the 4 columns of X
    std::vector<std::string> tokens;    // n = 6
    matrix X;                           // (6, 4): det, animal, action, place
    matrix W_q, W_k, W_v;               // (4, 4) each
    ATTN_FIELDS(features, tokens, X, W_q, W_k, W_v)
};

inline sentence the_cat_sat() {
    return {
        {"det", "animal", "action", "place"},
        {"the", "cat", "sat", "on", "the", "mat"},
        {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0.5, 0, 0, 0.5}, {1, 0, 0, 0}, {0, 0, 0, 1}},
        // feature row -> what it looks for, times 6 so that, after 1/√d_k = 1/2, the softmax can choose
        {{0, 6, 0, 6},   // a determiner looks for the noun it belongs to
         {0, 0, 6, 0},   // an animal looks for what it does
         {0, 6, 0, 0},   // an action looks for who does it
         {6, 0, 0, 0}},  // a place looks for its determiner
        {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}},
        {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}},
    };
}

}  // namespace attn
