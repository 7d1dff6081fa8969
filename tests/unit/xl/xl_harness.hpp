// Runs the real xl command code in-process against a FakeHypervisor over a UNIX socket, and
// renders expected output straight from the reference printf formats (the test oracle).
#pragma once

#include "fake_hypervisor.hpp"
#include "tools/xl/xl.hpp"

#include <cstdarg>
#include <cstdio>
#include <gtest/gtest.h>
#include <sstream>

namespace rthv::test {

struct XlRun {
    int status = -1;
    std::string out;
    std::string err;
};

__attribute__((format(printf, 1, 2))) inline std::string ref(const char* f, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, f);
    std::vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return buf;
}

// Formats from shared/docs/rtds-reference.md, "Output layout".
inline std::string ref_pool(const char* pool) { return ref("Cpupool %s: sched=RTDS\n", pool); }
inline std::string ref_dom_header() {
    return ref("%-33s %4s %9s %9s %10s\n", "Name", "ID", "Period", "Budget", "Extratime");
}
inline std::string ref_dom_row(const char* name, int id, int period, int budget, bool extra) {
    return ref("%-33s %4d %9d %9d %10s\n", name, id, period, budget, extra ? "yes" : "no");
}
inline std::string ref_vcpu_header() {
    return ref("%-33s %4s %4s %9s %9s %10s\n", "Name", "ID", "VCPU", "Period", "Budget",
               "Extratime");
}
inline std::string ref_vcpu_row(const char* name, int id, int vcpu, unsigned period,
                                unsigned budget, bool extra) {
    return ref("%-33s %4d %4d %9u %9u %10s\n", name, id, vcpu, period, budget,
               extra ? "yes" : "no");
}

class XlTest : public ::testing::Test {
protected:
    XlRun xl(const std::vector<std::string>& args) { return xl_at(server.path(), args); }
    static XlRun xl_at(const std::string& path, const std::vector<std::string>& args) {
        xl::Session session(path, 2000);
        std::ostringstream out;
        std::ostringstream err;
        XlRun r;
        r.status = xl::run_xl(args, session, {out, err});
        r.out = out.str();
        r.err = err.str();
        return r;
    }
    ctl::RtdsParams params(uint32_t domid, uint32_t vcpu) {
        return hv.domain(domid)->vcpus.at(vcpu).params;
    }
    // Exit status 1, nothing on stdout, exactly one line on stderr containing `what`.
    static void expect_one_line_error(const XlRun& r, const std::string& what) {
        EXPECT_EQ(r.status, 1);
        EXPECT_EQ(r.out, "");
        EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
        ASSERT_FALSE(r.err.empty());
        EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
    }

    FakeDispatcher hv;
    FakeHypervisor server{hv};
};

} // namespace rthv::test
