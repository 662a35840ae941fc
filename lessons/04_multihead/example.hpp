// lessons/04_multihead/example.hpp — lesson 04's fixed example.
//
// "she read the book", d_model = 4, two heads of d_k = d_v = 2. The embeddings
// are one-hot, so row i of W_q is token i's query (and likewise for W_k). Head 0
// pairs each word with its partner (she-read, the-book); head 1 sends everyone to
// the object, "book", and "book" to its verb. W_v and W_o are the identity so
// each head's output can be read straight off the result.
#pragma once

#include <string>
#include <vector>

#include <attn/multihead.hpp>

namespace lesson04 {

struct example {
    std::vector<std::string> tokens;  // n = 4
    attn::matrix X;                   // (4, 4)
    attn::mha_weights w;              // W_q, W_k, W_v: (4, 4) = (d_model, h·d_k); W_o: (4, 4)
    std::size_t heads;                // 2
};

inline example fixed_example() {
    example ex;
    ex.tokens = {"she", "read", "the", "book"};
    ex.X = {{1, 0, 0, 0},
            {0, 1, 0, 0},
            {0, 0, 1, 0},
            {0, 0, 0, 1}};
    //          head 0  | head 1
    ex.w.W_q = {{0, 3, 3, 0},     // she
                {3, 0, 3, 0},     // read
                {0, -3, 3, 0},    // the
                {-3, 0, 0, 3}};   // book
    ex.w.W_k = {{3, 0, 0, 0},
                {0, 3, 0, 3},
                {-3, 0, 0, 0},
                {0, -3, 3, 0}};
    ex.w.W_v = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    ex.w.W_o = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    ex.heads = 2;
    return ex;
}

}  // namespace lesson04
