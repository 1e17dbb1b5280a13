// Where results go (store, metrics, alerts). Called on the engine thread: an implementation
// must not block (queue and return).
#pragma once

#include "prober/core/result.hpp"

namespace prober::engine {

class ResultSink {
 public:
  virtual ~ResultSink() = default;
  virtual void on_result(const Result& result) = 0;
  virtual void on_change(const ChangeEvent& /*event*/) {}
};

}  // namespace prober::engine
