// Empties an nlohmann/json tree leaves first, so that its destructor allocates nothing.
//
// Why: nlohmann/json 3.11 destroys a non-empty array or object through a heap-allocated stack
// (to survive deep trees). A destructor that allocates turns an out-of-memory condition into
// std::terminate: the allocation throws std::bad_alloc out of a noexcept destructor. Calling
// json_release(j) before j goes out of scope on the normal path moves that work here, where a
// failed allocation is an ordinary std::bad_alloc that the C API guard turns into CAROM_E_NOMEM.
// The walk keeps its own path (a vector that may throw, in normal flow) and removes, at each
// level, trailing children that are scalars or empty containers; removing those allocates
// nothing. Found by tests/faults/test_failing_new.cc.
#pragma once

#include <iterator>
#include <vector>

namespace carom {

template <class Json>
void json_release(Json &root) {
    auto busy = [](const Json &j) { return j.is_structured() && !j.empty(); };
    std::vector<Json *> path;
    path.push_back(&root);
    while (!path.empty()) {
        Json *j = path.back();
        Json *next = nullptr;
        if (j->is_array()) {
            auto &a = j->template get_ref<typename Json::array_t &>();
            while (!a.empty() && !busy(a.back())) a.pop_back();
            if (!a.empty()) next = &a.back();
        } else if (j->is_object()) {
            auto &o = j->template get_ref<typename Json::object_t &>();
            while (!o.empty() && !busy(std::prev(o.end())->second)) o.erase(std::prev(o.end()));
            if (!o.empty()) next = &std::prev(o.end())->second;
        }
        if (next) {
            path.push_back(next);
        } else {
            path.pop_back();
        }
    }
}

}  // namespace carom
