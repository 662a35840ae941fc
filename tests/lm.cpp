// tests/lm.cpp — the language model around the transformer block (attn/lm.hpp, attn/inspect.hpp):
// its weights file and every way one can be wrong, the trainer's determinism (for a seed, for any
// number of threads, and across a stop and a resume), decoding through the KV cache against the
// whole forward pass, the maps, and switching heads off. The shipped model's own figures are
// tested by the lessons that show them (lessons/trained_model, lessons/reading_maps).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <attn/inspect.hpp>
#include <attn/lm.hpp>

namespace {

/// A small model and a text to train it on, quick enough to train many times.
attn::lm_config small_config(std::size_t threads = 1) {
    attn::lm_config c;
    c.model = attn::block_config{256, 16, 16, 2, 2};
    c.batch = 4;
    c.threads = threads;
    c.opt.total = 12;
    c.opt.warmup = 3;
    return c;
}
std::string small_text() {
    std::string t;
    for (int k = 0; k < 40; ++k) t += "Attention lets each token look at the others. ";
    return t;
}
/// A model with weights drawn at a scale where every layer matters (initial weights are tiny).
attn::lm_model lively_model(const attn::block_config& c, std::uint64_t seed) {
    attn::rng g(seed);
    attn::lm_model m{c, attn::model_init<float>(c, g)};
    for (auto* p : m.params.params()) *p += attn::normal_matrix<float>(p->shape(0), p->shape(1), g, 0.3);
    return m;
}
std::string replace_line(std::string bytes, const std::string& from, const std::string& to) {
    const std::size_t at = bytes.find(from);
    REQUIRE(at != std::string::npos);
    return bytes.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a weights file reads back bit for bit, and names its shapes in its header", "[lm][file]") {
    attn::lm_trainer t(small_text(), small_config());
    t.step();
    const std::string bytes = t.write_weights();
    CHECK(bytes.rfind("attnlab-weights 1\nvocab 256\ncontext 16\nd_model 16\nheads 2\nlayers 2\n", 0) == 0);
    CHECK(bytes.find("tensor block1.W_q 16 16\n") != std::string::npos);
    const attn::lm_model m = attn::load_model(bytes, "w");
    auto a = m.params;
    auto b = t.model();
    const auto pa = a.params(), pb = b.params();
    REQUIRE(pa.size() == pb.size());
    for (std::size_t k = 0; k < pa.size(); ++k) CHECK(bool(*pa[k] == *pb[k]));
}

TEST_CASE("a file that is not one, truncated, corrupt or mismatched is refused with the reason", "[lm][file][errors]") {
    attn::lm_trainer t(small_text(), small_config());
    const std::string good = t.write_weights();
    const auto refuses = [](const std::string& bytes, const std::string& why) {
        CHECK_THROWS_WITH(attn::load_model(bytes, "model.weights"),
                          Catch::Contains("model.weights: ") && Catch::Contains(why));
    };
    refuses("", "not an Attention Lab weights file");
    refuses("\x89PNG\r\n\x1a\n", "not an Attention Lab weights file");
    refuses(replace_line(good, "attnlab-weights", "attnlab-weightz"), "it starts with 'attnlab-weightz'");
    refuses(replace_line(good, "weights 1\n", "weights 2\n"), "version 2 of the format");
    refuses(good.substr(0, good.size() - 1), "truncated: the header promises");
    refuses(good + "x", "1 bytes after the weights");
    std::string flipped = good;
    flipped[flipped.size() - 10] ^= 0x40;
    refuses(flipped, "corrupt: the weights' FNV-1a hash is");
    refuses(replace_line(good, "tensor E 256 16", "tensor E 256 17"),
            "tensor E is (256, 17) but this header's model needs (256, 16)");
    refuses(replace_line(good, "heads 2\n", "heads 3\n"), "does not split into 3 heads");
    refuses(replace_line(good, "layers 2\n", "layers 1\n"),
            "the header lists 29 tensors; a 1-layer model's weights has 17");
    refuses(replace_line(good, "context 16\n", "context 1x\n"), "the header has an unknown line 'x'");
    refuses(replace_line(good, "context 16\n", "context\n"), "'context' has no number");
    refuses(good.substr(0, good.find("\ndata\n")), "not an Attention Lab weights file");
    // A weight that is not finite, with its hash made right: refused all the same.
    attn::lm_trainer u(small_text(), small_config());
    attn::lm_file f = attn::read_lm_file(u.write_weights(), "w");
    f.groups[0].E(0, 0) = NAN;
    refuses(attn::write_lm_file(f), "a weight that is not finite");
}

TEST_CASE("training is the same for a seed, on one thread or two, and across a stop and a resume", "[lm][train]") {
    const std::string text = small_text();
    const auto losses = [&](attn::lm_trainer& t, std::size_t steps) {
        std::vector<double> out;
        for (std::size_t s = 0; s < steps; ++s) out.push_back(t.step());
        return out;
    };
    attn::lm_trainer one(text, small_config(1)), two(text, small_config(2));
    const std::vector<double> a = losses(one, 12), b = losses(two, 12);
    CHECK(a == b);
    CHECK(one.write_weights() == two.write_weights());
    CHECK(a.front() == Approx(std::log(256.0)).epsilon(0.05));  // chance at first

    attn::lm_trainer first(text, small_config(1));
    const std::vector<double> before = losses(first, 5);
    const attn::lm_file ckpt = attn::read_lm_file(first.write_checkpoint(), "ckpt");
    CHECK(ckpt.kind == "checkpoint");
    CHECK(ckpt.step == 5);
    attn::lm_trainer resumed(text, ckpt, 2);
    std::vector<double> all = before;
    for (double l : losses(resumed, 7)) all.push_back(l);
    CHECK(all == a);  // a stop and a resume change nothing
    CHECK(resumed.write_weights() == one.write_weights());

    attn::lm_config other = small_config();
    other.seed = 2;
    attn::lm_trainer different(text, other);
    CHECK(losses(different, 3) != std::vector<double>(a.begin(), a.begin() + 3));

    CHECK_THROWS_WITH(attn::lm_trainer(text + "!", ckpt, 1), Catch::Contains("trained on another text"));
    CHECK_THROWS_WITH(attn::lm_trainer(std::string(20, 'a'), small_config()), Catch::Contains("too few"));
    attn::lm_config none = small_config();
    none.batch = 0;
    CHECK_THROWS_WITH(attn::lm_trainer(text, none), Catch::Contains("at least one window"));
}

TEST_CASE("the held-out loss and the bigram model it is compared with", "[lm][train]") {
    attn::lm_trainer t(small_text(), small_config());
    // An untrained model predicts nearly uniformly: ln 256 nats a byte. A bigram model of a text
    // that repeats one sentence knows most next bytes from the one before.
    CHECK(t.held_out_loss() == Approx(std::log(256.0)).epsilon(0.02));
    CHECK(t.bigram_held_out_loss() < 1.5);
    CHECK(t.held_out_loss(4) == Approx(t.held_out_loss()).epsilon(0.02));
}

TEST_CASE("a repeated random string says its first period again and again", "[lm]") {
    attn::rng g(3);
    const std::vector<std::size_t> s = attn::repeated_string(50, 12, g);
    REQUIRE(s.size() == 50);
    for (std::size_t i = 12; i < 50; ++i) CHECK(s[i] == s[i - 12]);
    for (std::size_t x : s) CHECK((x >= 'a' && x <= 'z'));
    CHECK_THROWS_WITH(attn::repeated_string(10, 1, g), Catch::Contains("period"));
}

TEST_CASE("decoding through the KV cache gives the whole forward pass's logits, row by row", "[lm][decode]") {
    const attn::lm_model m = lively_model(attn::block_config{256, 12, 16, 4, 2}, 9);
    const std::vector<std::size_t> x = attn::encode_bytes("query keys!?");
    const attn::tensor2<float> Z = attn::model_forward<float>(m.params, m.config, x);
    attn::lm_decoder dec(m);
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const std::vector<float> z = dec.feed(x[i]);
        for (std::size_t j = 0; j < 256; ++j) worst = std::max(worst, double(std::abs(z[j] - Z(i, j))));
    }
    CHECK(worst < 1e-4);
    CHECK(dec.length() == 12);
    CHECK_THROWS_WITH(dec.feed('a'), Catch::Contains("the cache is full (12 positions)"));
    dec.clear();
    CHECK(dec.length() == 0);
    CHECK_THROWS_WITH(dec.feed(256), Catch::Contains("token 256 is outside the vocabulary"));
}

TEST_CASE("greedy generation is the most likely byte each time, and slides past a full context", "[lm][decode]") {
    const attn::lm_model m = lively_model(attn::block_config{256, 12, 16, 4, 2}, 10);
    const std::string out = attn::generate(m, "abc", 5, 0, 0, 1);
    REQUIRE(out.size() == 5);
    std::string text = "abc";
    for (char expected : out) {  // recompute each byte from the whole text, without the cache
        const std::vector<double> p = attn::next_byte(m, text);
        const char best = char(std::max_element(p.begin(), p.end()) - p.begin());
        CHECK(best == expected);
        text += best;
    }
    CHECK(attn::generate(m, "abc", 30, 0, 0, 1).size() == 30);  // past the context of 12
    CHECK(attn::generate(m, "abc", 20, 1.0, 5, 7) == attn::generate(m, "abc", 20, 1.0, 5, 7));
    CHECK(attn::generate(m, "abc", 20, 1.0, 0, 7) != attn::generate(m, "abc", 20, 1.0, 0, 8));
    CHECK_THROWS_WITH(attn::generate(m, "", 5, 0, 0, 1), Catch::Contains("the text is empty"));
    CHECK_THROWS_WITH(attn::generate(m, std::string(13, 'a'), 5, 0, 0, 1), Catch::Contains("at most 12"));
}

TEST_CASE("every head's map is causal, sums to 1 by row, and is lesson 14's P", "[lm][maps]") {
    const attn::lm_model m = lively_model(attn::block_config{256, 12, 16, 4, 2}, 11);
    const std::vector<std::size_t> x = attn::encode_bytes("heads look");
    const auto maps = attn::attention_maps(m, x);
    REQUIRE(maps.size() == 2);
    REQUIRE(maps[1].size() == 4);
    for (const auto& layer : maps)
        for (const auto& A : layer) {
            REQUIRE(A.shape(0) == 10);
            for (std::size_t i = 0; i < 10; ++i) {
                double sum = 0;
                for (std::size_t j = 0; j < 10; ++j) {
                    if (j > i) CHECK(A(i, j) == 0);
                    sum += A(i, j);
                }
                CHECK(sum == Approx(1).epsilon(1e-5));
            }
        }
}

TEST_CASE("switching heads off: none is no change, one changes the logits, and the mask is checked", "[lm][maps]") {
    const attn::lm_model m = lively_model(attn::block_config{256, 12, 16, 4, 2}, 12);
    const std::vector<std::size_t> x = attn::encode_bytes("ablate me");
    const attn::tensor2<float> Z = attn::model_forward<float>(m.params, m.config, x);
    attn::head_mask off = attn::all_heads_on(m.config);
    CHECK(bool(attn::model_forward<float>(m.params, m.config, x, nullptr, &off) == Z));
    off[1][2] = true;
    const attn::tensor2<float> W = attn::model_forward<float>(m.params, m.config, x, nullptr, &off);
    CHECK(W(0, 0) != Z(0, 0));
    // The same as zeroing that head's rows of W_o: its output never reaches the residual stream.
    attn::lm_model cut = m;
    for (std::size_t r = 2 * 4; r < 3 * 4; ++r)
        for (std::size_t j = 0; j < 16; ++j) cut.params.blocks[1].W_o(r, j) = 0;
    const attn::tensor2<float> C = attn::model_forward<float>(cut.params, cut.config, x);
    for (std::size_t e = 0; e < C.size(); ++e) CHECK(W.data()[e] == Approx(C.data()[e]).margin(1e-5));
    attn::head_mask wrong(2, std::vector<bool>(3, false));
    CHECK_THROWS_WITH(attn::model_forward<float>(m.params, m.config, x, nullptr, &wrong),
                      Catch::Contains("a head mask needs 2 layers of 4 heads"));
}
