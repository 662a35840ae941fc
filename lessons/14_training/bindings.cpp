// lessons/14_training/bindings.cpp — what lesson 14's page can call.
//
//   reset(task, lr, seed) -> {ok, loss, accuracy}   a new model and optimiser (held by the module)
//   train(steps)          -> {ok, steps, batch_loss, loss, accuracy}   `steps` Adam steps, then the held-out figures
//   probe()               -> {ok, x, target, predicted, A}             the probe sequence through the model
//   target_loss()         -> {ok, value}
#include <memory>
#include <string>

#include <emscripten/bind.h>

#include <attn/attn.hpp>
#include <convert.hpp>

#include "example.hpp"

namespace {

using web::val;

std::unique_ptr<attn::toy_trainer> trainer;

val sequence(const std::vector<std::size_t>& s) {
    val out = val::array();
    for (auto v : s) out.call<void>("push", static_cast<double>(v));
    return out;
}

val reset(val name, val lr, val seed) {
    return web::guarded([&] {
        attn::toy_config c;
        c.task = attn::parse_task(web::to_text(name, "the task"));
        const double rate = web::to_number(lr, "the learning rate");
        if (!(rate > 0 && rate <= 0.1)) throw attn::value_error("the learning rate must be in (0, 0.1]");
        c.lr = static_cast<attn::real>(rate);
        c.seed = web::to_whole(seed, "the seed", 0, 1e9);
        trainer = std::make_unique<attn::toy_trainer>(c);
        val out = val::object();
        const attn::toy_eval e = trainer->evaluate();
        out.set("loss", double(e.loss));
        out.set("accuracy", double(e.accuracy));
        return out;
    });
}

val train(val steps) {
    return web::guarded([&] {
        if (!trainer) throw attn::value_error("train: call reset first");
        const std::size_t k = web::to_whole(steps, "steps", 1, 1000);
        double batch = 0;
        for (std::size_t s = 0; s < k; ++s) batch = trainer->step();
        val out = val::object();
        out.set("steps", double(trainer->steps()));
        out.set("batch_loss", batch);
        const attn::toy_eval e = trainer->evaluate();
        out.set("loss", double(e.loss));
        out.set("accuracy", double(e.accuracy));
        return out;
    });
}

val probe() {
    return web::guarded([] {
        if (!trainer) throw attn::value_error("probe: call reset first");
        const auto x = lesson14::probe();
        val out = val::object();
        out.set("x", sequence(x));
        out.set("target", sequence(attn::toy_target(trainer->config().task, x)));
        out.set("predicted", sequence(trainer->predict(x)));
        out.set("A", web::from_matrix(trainer->attention_map(x)));
        return out;
    });
}

val target_loss() {
    return web::guarded([] {
        val out = val::object();
        out.set("value", lesson14::target_loss);
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(lesson14) {
    emscripten::function("reset", &reset);
    emscripten::function("train", &train);
    emscripten::function("probe", &probe);
    emscripten::function("target_loss", &target_loss);
}
