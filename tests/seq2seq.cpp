// tests/seq2seq.cpp — the RNN encoder-decoder, with and without Bahdanau's attention
// (attn/seq2seq.hpp): the made-up language pair and its known alignment, the GRU step against its
// equations, the whole gradient through time against central finite differences in float64, the
// errors bad input meets, and the two models trained from a fixed seed.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <attn/seq2seq.hpp>

namespace {

/// A model small enough to differentiate numerically parameter by parameter.
attn::seq2seq_config tiny_config() {
    attn::seq2seq_config c;
    c.task = {3, 2};
    c.embed = 3, c.hidden = 4, c.align = 5;
    return c;
}

}  // namespace

TEST_CASE("the language pair: each adjective moves after its noun, and the alignment says from where",
          "[seq2seq][task]") {
    const attn::translation_task t{24, 16};
    attn::rng g(5);
    std::size_t pairs = 0;
    for (std::size_t length : {1, 2, 5, 8, 16}) {
        for (int k = 0; k < 50; ++k) {
            const attn::sentence_pair p = attn::make_sentence(t, length, g);
            REQUIRE(p.source.size() == length);
            REQUIRE(p.target.size() == length);
            REQUIRE(p.alignment.size() == length);
            for (std::size_t i = 0; i < length; ++i) {
                CHECK(p.target[i] == p.source[p.alignment[i]]);  // one translation per word
                if (t.is_adjective(p.source[i])) {               // an adjective comes before its noun
                    REQUIRE(i + 1 < length);
                    CHECK(!t.is_adjective(p.source[i + 1]));
                }
                if (i > 0 && t.is_adjective(p.target[i])) {  // ... and after it in the target
                    CHECK(!t.is_adjective(p.target[i - 1]));
                    CHECK(p.alignment[i] + 1 == p.alignment[i - 1]);
                    ++pairs;
                }
            }
            std::vector<std::size_t> sorted = p.alignment;  // every source word is translated once
            std::sort(sorted.begin(), sorted.end());
            for (std::size_t j = 0; j < length; ++j) CHECK(sorted[j] == j);
        }
    }
    CHECK(pairs > 200);  // the word order really changes
    CHECK_THROWS_AS(attn::make_sentence(t, 0, g), attn::value_error);
}

TEST_CASE("one GRU step is Cho et al.'s equations", "[seq2seq][gru]") {
    // H = 2, input width 1: every gate by hand.
    const attn::matrix W = {{0.5f}, {-1}, {0.25f}, {2}, {1}, {-0.5f}};  // rows: r, r, z, z, n, n
    const attn::matrix U = {{1, 0}, {0, 1}, {0.5f, 0.5f}, {-1, 1}, {2, 0}, {0, -1}};
    const attn::matrix b = {{0, 0.1f, 0, 0, 0.2f, 0}};
    const std::vector<float> x = {0.8f}, h = {0.3f, -0.6f};
    const auto s = attn::gru_forward(W, U, b, x, h);
    auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
    const double r0 = sig(0.5 * 0.8 + 0.3), r1 = sig(-0.8 + 0.1 - 0.6);
    const double z0 = sig(0.25 * 0.8 + 0.5 * 0.3 - 0.5 * 0.6), z1 = sig(2 * 0.8 - 0.3 - 0.6);
    const double n0 = std::tanh(0.8 + 0.2 + 2 * r0 * 0.3), n1 = std::tanh(-0.4 - r1 * -0.6);
    CHECK(s.out[0] == Approx(z0 * 0.3 + (1 - z0) * n0).epsilon(1e-6));
    CHECK(s.out[1] == Approx(z1 * -0.6 + (1 - z1) * n1).epsilon(1e-6));
    CHECK(s.r[1] == Approx(r1).epsilon(1e-6));
}

TEST_CASE(
    "the gradient through time equals central finite differences, with and without attention, "
    "reading one way or both",
    "[seq2seq][backward]") {
    for (int mode = 0; mode < 4; ++mode) {
        const bool attention = mode & 1;
        attn::seq2seq_config c = tiny_config();
        c.both_ways = mode & 2;
        attn::rng g(3);
        attn::seq2seq_params<double> p = attn::seq2seq_init<double>(c, g);
        const attn::sentence_pair ex = attn::make_sentence(c.task, 5, g);
        attn::seq2seq_params<double> grad = attn::seq2seq_zeros<double>(c);
        std::vector<std::vector<double>> d_source;
        attn::seq2seq_backward(p, attention, ex, 1.0, grad, &d_source);
        auto loss = [&] {
            attn::seq2seq_params<double> unused = attn::seq2seq_zeros<double>(c);
            return attn::seq2seq_backward(p, attention, ex, 1.0, unused);
        };
        auto P = p.params(), G = grad.params();
        std::size_t checked = 0;
        for (std::size_t k = 0; k < P.size(); ++k)
            for (std::size_t e = 0; e < P[k]->size(); ++e) {
                double& x = P[k]->data()[e];
                const double old = x, h = 1e-6;
                x = old + h;
                const double up = loss();
                x = old - h;
                const double down = loss();
                x = old;
                const double numeric = (up - down) / (2 * h), analytic = G[k]->data()[e];
                INFO("attention " << attention << ", both ways " << c.both_ways << ", parameter " << k << " element "
                                  << e);
                CHECK(std::abs(numeric - analytic) <= 1e-6 * std::max(1.0, std::abs(numeric)));
                ++checked;
            }
        CHECK(checked > (c.both_ways ? 500 : 300));
        // The attention's own parameters get a gradient only when it is used.
        const double v_norm = std::abs(grad.att_v(0, 0)) + std::abs(grad.att_v(0, 1));
        if (attention)
            CHECK(v_norm > 0);
        else
            CHECK(v_norm == 0);
        // What reaches each source word's embedding sums, per word, to the embedding's gradient.
        REQUIRE(d_source.size() == 5);
        std::vector<double> summed(c.task.words() * c.embed, 0.0);
        for (std::size_t j = 0; j < 5; ++j)
            for (std::size_t k = 0; k < c.embed; ++k) summed[ex.source[j] * c.embed + k] += d_source[j][k];
        for (std::size_t e = 0; e < summed.size(); ++e)
            CHECK(summed[e] == Approx(grad.src_embed.data()[e]).margin(1e-12));
    }
}

TEST_CASE("bad input is refused with a message", "[seq2seq][errors]") {
    const attn::seq2seq_config c = tiny_config();
    attn::rng g(1);
    const auto p = attn::seq2seq_init<float>(c, g);
    CHECK_THROWS_WITH(attn::seq2seq_translate(p, true, {0, 9}),
                      Catch::Contains("word 9 is outside the vocabulary 0..4"));
    CHECK_THROWS_WITH(attn::seq2seq_translate(p, true, {}), Catch::Contains("empty"));
    CHECK_THROWS_WITH(attn::seq2seq_forward(p, false, {0, 1}, {1, 7}), Catch::Contains("target word 7"));
    attn::seq2seq_config bad = c;
    bad.max_length = 2, bad.min_length = 3;
    CHECK_THROWS_WITH(attn::seq2seq_trainer(bad), Catch::Contains("seq2seq: max_length must be from 3 to 64, not 2"));
    bad = c;
    bad.lr = 0;
    CHECK_THROWS_WITH(attn::seq2seq_trainer(bad), Catch::Contains("learning rate"));
}

TEST_CASE("a seed trains the same model twice", "[seq2seq][train]") {
    attn::seq2seq_config c = tiny_config();
    attn::seq2seq_trainer a(c), b(c);
    for (int s = 0; s < 5; ++s) CHECK(a.step() == b.step());
    auto pa = a.params(), pb = b.params();
    for (std::size_t k = 0; k < pa.params().size(); ++k) CHECK(bool(*pa.params()[k] == *pb.params()[k]));
}

TEST_CASE("counted on the graph: an RNN's steps and paths grow with the sentence, attention's path does not",
          "[seq2seq][paths]") {
    using attn::reader;
    for (std::size_t n : {1, 4, 16, 50}) {
        const auto rnn = attn::count_paths(reader::rnn, n, n), att = attn::count_paths(reader::rnn_attention, n, n),
                   self = attn::count_paths(reader::self_attention, n, n);
        // x_1 → h_1 → … → h_n → c_i → y_i; with attention x_j → h_j → c_i → y_i.
        CHECK(rnn.longest_path == n + 2);
        CHECK(att.longest_path == 3);
        CHECK(self.longest_path == 1);
        // Either RNN waits for the whole source, then every target word: x → h_1 … h_n → s_0 … s_n → y_n.
        CHECK(rnn.sequential == 2 * n + 2);
        CHECK(att.sequential >= rnn.sequential);
        CHECK(self.sequential == 1);
    }
    CHECK_THROWS_AS(attn::count_paths(reader::rnn, 0, 3), attn::value_error);
}

// The lesson's claims, from a fixed seed: trained on sentences of 4 to 8 words, the model with
// attention translates sentences of 16 far better than the one without, and its weights, never
// told where each word came from, put their largest value on the true source word.
TEST_CASE("trained: attention beats the fixed vector on sentences twice the training length, and aligns",
          "[seq2seq][train][bottleneck]") {
    attn::seq2seq_config c;  // 60 nouns and 40 adjectives: more than one fixed vector holds
    c.seed = 1;
    attn::seq2seq_eval with{}, without{}, with_short{};
    for (bool attention : {false, true}) {
        c.attention = attention;
        attn::seq2seq_trainer t(c);
        for (int s = 0; s < 3000; ++s) t.step();
        (attention ? with : without) = t.evaluate(16, 100, 8);
        if (attention) with_short = t.evaluate(8, 100, 7);
    }
    INFO("accuracy at 16 words: with attention " << with.accuracy << ", without " << without.accuracy);
    CHECK(with.accuracy >= without.accuracy + 0.20);
    INFO("alignment at 8 words " << with_short.alignment << ", at 16 " << with.alignment);
    CHECK(with_short.alignment >= 0.80);
    CHECK(without.alignment == 0);
}
