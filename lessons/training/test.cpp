// Lesson 15 — the capstone: a tiny attention model trained on toy tasks.
// Runs against attn:: (native and wasm) and against lessons/14/exercise.cpp.
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "lesson.hpp"
#include "support/impl.hpp"

using attn::matrix;
using Sequence = std::vector<std::size_t>;

TEST_CASE("toy_target: copy, reverse, shift", "[training][task]") {
    const Sequence x = {4, 1, 3, 0, 2};
    CHECK(impl::toy_target(attn::toy_task::copy, x) == x);
    CHECK(impl::toy_target(attn::toy_task::reverse, x) == Sequence{2, 0, 3, 1, 4});
    CHECK(impl::toy_target(attn::toy_task::shift, x) == Sequence{2, 4, 1, 3, 0});
    CHECK(impl::toy_target(attn::toy_task::reverse, Sequence{7}) == Sequence{7});
}

TEST_CASE("adam_update: the first step moves every parameter by lr against its gradient's sign", "[training][adam]") {
    matrix p = {{1, 2}, {3, 4}}, g = {{0.5f, -2}, {1e-3f, 0}}, m = xt::zeros<float>({2, 2}),
           v = xt::zeros<float>({2, 2});
    attn::adam_update(p, g, m, v, 1, 0.1f);
    CHECK(p(0, 0) == Approx(0.9).margin(1e-5));
    CHECK(p(0, 1) == Approx(2.1).margin(1e-5));
    CHECK(p(1, 0) == Approx(2.9).margin(1e-4));  // even a tiny gradient moves it by about lr
    CHECK(p(1, 1) == 4);
    CHECK(m(0, 1) == Approx(-0.2).margin(1e-6));
    CHECK(v(0, 1) == Approx(0.004).margin(1e-7));
    attn::adam_update(p, g, m, v, 2, 0.1f);  // the same gradient again: another step of lr
    CHECK(p(0, 0) == Approx(0.8).margin(1e-5));
    matrix wrong = xt::zeros<float>({3, 2});
    CHECK_THROWS_AS(attn::adam_update(p, wrong, m, v, 3, 0.1f), attn::shape_error);
    CHECK_THROWS_AS(attn::adam_update(p, g, m, v, 0, 0.1f), attn::value_error);
}

TEST_CASE("the backward pass of the whole model matches finite differences", "[training][gradient]") {
    attn::toy_config c;
    c.n = 4, c.vocab = 5, c.d = 6;
    attn::rng g(3);
    attn::toy_model m = attn::toy_init(c, g);
    const Sequence x = {1, 4, 0, 2}, y = attn::toy_target(attn::toy_task::reverse, x);
    attn::toy_model grad = attn::toy_zeros(c);
    impl::toy_backward(m, x, y, 1, grad);
    auto loss = [&](const attn::toy_model& mm) {
        const auto f = attn::toy_forward(mm, x);
        double l = 0;
        for (std::size_t i = 0; i < x.size(); ++i) l -= std::log(double(f.probs(i, y[i])));
        return l;
    };
    auto params = m.params();
    auto grads = grad.params();
    for (std::size_t k = 0; k < params.size(); ++k)
        for (std::size_t e = 0; e < params[k]->size(); e += 3) {
            const float x0 = params[k]->data()[e];
            params[k]->data()[e] = x0 + 1e-2f;
            const double up = loss(m);
            params[k]->data()[e] = x0 - 1e-2f;
            const double down = loss(m);
            params[k]->data()[e] = x0;
            INFO("parameter " << k << ", element " << e);
            CHECK(grads[k]->data()[e] == Approx((up - down) / 2e-2).margin(2e-3).epsilon(2e-2));
        }
}

TEST_CASE("toy_backward returns the loss, scales by the weight, and adds into the gradient", "[training][gradient]") {
    attn::toy_config c;
    c.n = 5, c.vocab = 7, c.d = 4;
    attn::rng g(11);
    const attn::toy_model m = attn::toy_init(c, g);
    const Sequence x = {6, 0, 3, 3, 1}, y = attn::toy_target(attn::toy_task::shift, x);
    const auto f = attn::toy_forward(m, x);
    double want = 0;
    for (std::size_t i = 0; i < x.size(); ++i) want -= std::log(double(f.probs(i, y[i])));
    attn::toy_model once = attn::toy_zeros(c), twice = attn::toy_zeros(c), half = attn::toy_zeros(c);
    CHECK(impl::toy_backward(m, x, y, 1, once) == Approx(want).epsilon(1e-5));
    CHECK(impl::toy_backward(m, x, y, 0.5f, half) == Approx(want).epsilon(1e-5));  // the loss is not weighted
    impl::toy_backward(m, x, y, 1, twice);
    impl::toy_backward(m, x, y, 1, twice);  // a batch of two: the gradients add up
    auto a = once.params(), b = twice.params(), h = half.params();
    for (std::size_t k = 0; k < a.size(); ++k)
        for (std::size_t e = 0; e < a[k]->size(); ++e) {
            INFO("parameter " << k << ", element " << e);
            REQUIRE(b[k]->data()[e] == Approx(2 * a[k]->data()[e]).margin(1e-6));
            REQUIRE(h[k]->data()[e] == Approx(0.5 * a[k]->data()[e]).margin(1e-6));
        }
    // Position embeddings get X's gradient whole, so theirs is not zero; a symbol not in x gets none.
    double nonzero = 0;
    for (auto v : once.P) nonzero += v != 0;
    CHECK(nonzero > 0);
    for (std::size_t e = 0; e < c.d; ++e) CHECK(once.E(2, e) == 0);  // symbol 2 is not in x
}

TEST_CASE("training: every task falls below the target loss, with a fixed seed", "[training][train]") {
    for (auto task : {attn::toy_task::reverse, attn::toy_task::copy, attn::toy_task::shift}) {
        attn::toy_config c;
        c.task = task;
        attn::toy_trainer t(c);
        const double start = t.evaluate().loss;
        const std::size_t steps = lessons::training::train_to_target(t);
        const attn::toy_eval end = t.evaluate();
        INFO(attn::task_name(task) << ": " << steps << " steps, from " << start << " to " << end.loss);
        CHECK(start > 2);  // about ln 10: chance
        CHECK(end.loss < lessons::training::target_loss);
        CHECK(end.accuracy > 0.98);
        const Sequence x = lessons::training::probe(), want = attn::toy_target(task, x);
        CHECK(t.predict(x) == want);
        if (task == attn::toy_task::copy) continue;  // copy can be solved by matching symbols, not positions
        const matrix A = t.attention_map(x);         // each query looks where its answer is
        for (std::size_t i = 0; i < x.size(); ++i) {
            std::size_t best = 0;
            for (std::size_t j = 1; j < x.size(); ++j)
                if (A(i, j) > A(i, best)) best = j;
            CHECK(x[best] == want[i]);
        }
    }
    attn::toy_config bad;
    bad.n = 1;
    CHECK_THROWS_AS(attn::toy_trainer(bad), attn::value_error);
}
