// Shared helpers for the hv/config tests: parse a string, look errors up.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "hv/config/config.hpp"

namespace rthv::config::test {

// A Config is ~70 KiB: keep it off the test's stack.
struct Parsed {
    std::unique_ptr<Config> cfg = std::make_unique<Config>();
    bool ok = false;
    const Config* operator->() const { return cfg.get(); }
    const Config& operator*() const { return *cfg; }
};

inline Parsed parse_text(const std::string& text, CpuId ncpus = 4) {
    Parsed p;
    p.ok = parse(text.data(), text.size(), ncpus, *p.cfg);
    return p;
}

inline std::string all_errors(const Config& cfg) {
    std::string s;
    for (uint32_t i = 0; i < cfg.error_count; ++i) s += std::string(cfg.errors[i].text) + "\n";
    return s;
}

// The only error of a file that must have exactly one.
inline std::string only_error(const Parsed& p) {
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(p->total_errors(), 1u) << all_errors(*p);
    return p->error_count > 0 ? std::string(p->errors[0].text) : std::string();
}

// A one-domain file with `extra` appended to a valid domain.
inline std::string domain_with(const std::string& extra) {
    return "[domain]\nname = \"d\"\n" + extra + "\n";
}

} // namespace rthv::config::test
