// lessons/online_softmax/exercise.cpp — your turn: lesson 07.
//
// Write the three functions marked TODO(online_softmax): one step of the online
// softmax, merging two states, and the two-pass softmax built on them.
// Signatures are the library's (src/attn/online.hpp);
// lessons/online_softmax/test.cpp runs against these.
//
//   attnlab check 7    build and run the tests against this file
//   attnlab hint 7     a hint if you are stuck (ask again for the next)
//   attnlab lesson 7   the walkthrough, with every m, l and rescale
#include <cmath>
#include <cstddef>
#include <limits>

#include <attn/online.hpp>  // for attn::online_state
#include <attn/shape.hpp>
#include <attn/tensor.hpp>

namespace exercise {

using attn::online_state;
using attn::real;
using attn::vector;

/// Fold score z into s; return exp(m_old - m_new), the factor the old sum was multiplied by.
/// If the new max is still -inf (only -inf seen), change nothing and return 1.
real online_update(online_state& s, real z) {
    // TODO(online_softmax): m_new = max(s.m, z); rescale = exp(s.m - m_new); l = l·rescale + exp(z - m_new).
    (void)s, (void)z;  // silences "unused parameter" until you use them: delete this line
    return 0;
}

/// The state of two disjoint parts as one.
online_state merge(const online_state& a, const online_state& b) {
    online_state r;
    // TODO(online_softmax): r.m = max(a.m, b.m); r.l = a.l·exp(a.m - r.m) + b.l·exp(b.m - r.m) (unless r.m is -inf).
    (void)a, (void)b;  // delete this line
    return r;
}

/// softmax(z) in two passes; all -inf gives zeros.
vector online_softmax(const vector& z) {
    attn::require_nonempty("online_softmax", "z", z);
    vector p = xt::zeros<real>({z.size()});
    // TODO(online_softmax): pass 1, online_update over every z(j); pass 2, p(j) = exp(z(j) - m) / l.
    return p;
}

}  // namespace exercise
