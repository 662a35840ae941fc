// lessons/03_scaled_dot_product/example.hpp — a sentence to attend over.
//
// "the cat sat on the mat" with four hand-made features per token
// (determiner, animal, action, place), so every weight can be read: the
// weights W_q say what each kind of word looks for, W_k and W_v are the
// identity, so keys and values are the features themselves. For
// cross-attention, "le chat assis" asks for the same features it has.
#pragma once

#include <string>
#include <vector>

#include <attn/tensor.hpp>

namespace lesson03 {

struct example {
    std::vector<std::string> tokens;        // n = 6
    attn::matrix X;                         // (6, 4): det, animal, action, place
    attn::matrix W_q, W_k, W_v;             // (4, 4) each
    std::vector<std::string> cross_tokens;  // n_q = 3
    attn::matrix X_cross;                   // (3, 4)
    attn::matrix W_q_cross;                 // (4, 4): look for what you are
};

inline example fixed_example() {
    return {
        {"the", "cat", "sat", "on", "the", "mat"},
        {{1, 0, 0, 0},
         {0, 1, 0, 0},
         {0, 0, 1, 0},
         {0.5, 0, 0, 0.5},
         {1, 0, 0, 0},
         {0, 0, 0, 1}},
        // feature row -> what it looks for, times 6 so that, after 1/√d_k = 1/2, the softmax can choose
        {{0, 6, 0, 6},   // a determiner looks for the noun it belongs to
         {0, 0, 6, 0},   // an animal looks for what it does
         {0, 6, 0, 0},   // an action looks for who does it
         {6, 0, 0, 0}},  // a place looks for its determiner
        {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}},
        {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}},
        {"le", "chat", "assis"},
        {{1, 0, 0, 0},
         {0, 1, 0, 0},
         {0, 0, 1, 0}},
        {{6, 0, 0, 0}, {0, 6, 0, 0}, {0, 0, 6, 0}, {0, 0, 0, 6}},
    };
}

}  // namespace lesson03
