// attn/kernels/pool.hpp — the threads the kernels split their work over, started once and kept.
//
// Teaches (lessons 08 and 10): a thread costs something to start, and a sleeping core something to
// wake. Decoding one token against 32k cached keys takes about half a millisecond on one thread;
// starting a second std::thread for each call, and waking the core it lands on, cost about as
// much as the second thread saved (docs/performance.md: 0.97× with two threads). So the workers
// here are started on the first call that wants them and kept; after a call they spin for a
// moment (the next call of a decode loop comes within microseconds) and then sleep.
// Leaves out: work stealing and priorities; each call splits its work into `threads` equal parts.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace attn::kernels {

class thread_pool {
public:
    /// The pool every kernel shares.
    static thread_pool& shared() {
        static thread_pool pool;
        return pool;
    }

    /// work(0), …, work(threads − 1): the first here, the others on kept workers (threads ≥ 2).
    /// False, with nothing run, when the pool is busy with another call (from another thread, or
    /// from inside a work item): the caller then starts threads of its own.
    bool run(std::size_t threads, const std::function<void(std::size_t)>& work) {
        bool expected = false;
        if (!busy_.compare_exchange_strong(expected, true, std::memory_order_acquire)) return false;
        grow(threads - 1);
        job_ = &work;
        active_ = threads;
        // Every worker answers every call, those left out too, so none can still be reading this
        // call's job when the next one is set.
        pending_.store(workers_.size(), std::memory_order_relaxed);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            generation_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        struct finish {  // also when work(0) throws: the workers still hold `work`
            thread_pool& pool;
            ~finish() {
                for (std::size_t spins = 0; pool.pending_.load(std::memory_order_acquire) != 0; ++spins)
                    if (spins > 4096) std::this_thread::yield();
                pool.busy_.store(false, std::memory_order_release);
            }
        } done{*this};
        work(0);
        return true;
    }

    thread_pool() = default;
    thread_pool(const thread_pool&) = delete;
    thread_pool& operator=(const thread_pool&) = delete;
    ~thread_pool() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
            generation_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        for (auto& w : workers_) w.join();
    }

private:
    void grow(std::size_t count) {
        while (workers_.size() < count) {
            const std::size_t index = workers_.size() + 1;  // work(0) is the caller's
            const unsigned long long seen = generation_.load(std::memory_order_acquire);
            workers_.emplace_back([this, index, seen] { loop(index, seen); });
        }
    }

    void loop(std::size_t index, unsigned long long seen) {
        using clock = std::chrono::steady_clock;
        for (;;) {
            // Spin for a moment (the next call of a loop of kernel calls comes soon), then sleep.
            const auto until = clock::now() + std::chrono::microseconds(200);
            for (unsigned k = 0; generation_.load(std::memory_order_acquire) == seen; ++k)
                if (k % 64 == 63 && clock::now() > until) {
                    std::unique_lock<std::mutex> lock(mutex_);
                    wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
                }
            seen = generation_.load(std::memory_order_acquire);
            if (stop_) return;
            if (index < active_) (*job_)(index);
            pending_.fetch_sub(1, std::memory_order_release);
        }
    }

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<unsigned long long> generation_{0};  // one more for every call: the workers' signal
    std::atomic<std::size_t> pending_{0};            // workers yet to answer the current call
    std::atomic<bool> busy_{false};
    const std::function<void(std::size_t)>* job_ = nullptr;
    std::size_t active_ = 0;  // threads in the current call: workers 1 .. active_ − 1 take part
    bool stop_ = false;
};

}  // namespace attn::kernels
